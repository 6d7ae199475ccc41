// Append-throughput benchmark for JournalWriter (not a test). Example:
//   journal_bench --mode never --records 2000000 --size 100 --dir /tmp/jb
// Prints records/s and MB/s for the chosen fsync mode; the folder is
// emptied first and removed afterwards unless --keep is given.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "journal/journal_writer.h"

using namespace flow::journal;

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: journal_bench [--mode always|batch|never] [--records N] [--size BYTES]\n"
               "                     [--dir PATH] [--commit-every N] [--keep]\n"
               "  --commit-every N  batch mode: call commit() after every N appends (default:\n"
               "                    rely on the writer's byte/delay thresholds)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  FsyncMode mode = FsyncMode::Never;
  std::uint64_t records = 1'000'000;
  std::size_t size = 100;
  std::uint64_t commit_every = 0;
  bool keep = false;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "flow-journal-bench";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--mode" && has_value) {
      const std::string value = argv[++i];
      if (value == "always")
        mode = FsyncMode::Always;
      else if (value == "batch")
        mode = FsyncMode::Batch;
      else if (value == "never")
        mode = FsyncMode::Never;
      else
        return usage();
    } else if (arg == "--records" && has_value) {
      records = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--size" && has_value) {
      size = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--dir" && has_value) {
      dir = argv[++i];
    } else if (arg == "--commit-every" && has_value) {
      commit_every = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--keep") {
      keep = true;
    } else {
      return usage();
    }
  }

  std::filesystem::remove_all(dir);
  std::vector<std::byte> payload(size);
  for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<std::byte>(i * 31 + 7);

  JournalWriter writer;
  WriterOptions options;
  options.fsync = mode;
  writer.open(dir, options);
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < records; ++i) {
    payload[0] = static_cast<std::byte>(i);  // records differ, as real ones do
    writer.append(static_cast<RecordType>(1 + i % 6), payload);
    if (commit_every != 0 && (i + 1) % commit_every == 0) writer.commit();
  }
  writer.close();  // flushes (and syncs, unless never)
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const char* name = mode == FsyncMode::Always ? "always" : mode == FsyncMode::Batch ? "batch" : "never";
  const double bytes = static_cast<double>(records) * static_cast<double>(kRecordHeaderSize + size);
  std::printf("mode=%s records=%llu payload=%zu bytes: %.3f s, %.0f records/s, %.1f MB/s\n", name,
              static_cast<unsigned long long>(records), size, seconds, static_cast<double>(records) / seconds,
              bytes / seconds / 1e6);
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
