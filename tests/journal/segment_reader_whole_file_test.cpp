// SegmentReader's whole-file modes (mapped, read into one buffer) against the
// sliding-window reader: the same records, positions and problems on intact,
// bit-flipped and truncated segments, and payloads that stay valid for the
// reader's lifetime.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "journal/journal_writer.h"
#include "journal/segment_reader.h"
#include "test_support.h"

using namespace flow::journal;
using namespace flow::journal::test;

namespace {

struct SegmentRead {
  bool header_ok = false;
  std::vector<Stored> records;
  std::optional<Problem> problem;
  std::uint64_t valid_end = 0;
};

enum class Mode { Window, SmallWindow, Map, Read };

SegmentRead read_segment(const SegmentFile& file, Mode mode) {
  std::optional<SegmentReader> reader;
  switch (mode) {
    case Mode::Window: reader.emplace(file); break;
    case Mode::SmallWindow: reader.emplace(file, 64); break;
    case Mode::Map: reader.emplace(file, WholeFile::Map); break;
    case Mode::Read: reader.emplace(file, WholeFile::Read); break;
  }
  SegmentRead out;
  out.header_ok = reader->header_ok();
  Record record;
  std::vector<Record> kept;
  while (reader->next(record)) {
    kept.push_back(record);
    out.records.push_back(
        Stored{record.type, std::string(reinterpret_cast<const char*>(record.payload.data()), record.payload.size()),
               record.position});
  }
  if (mode == Mode::Map || mode == Mode::Read) {
    // Whole-file payloads outlive the calls that returned them.
    for (std::size_t i = 0; i < kept.size(); ++i) {
      const std::string again(reinterpret_cast<const char*>(kept[i].payload.data()), kept[i].payload.size());
      if (again != out.records[i].payload) FAIL("payload " << i << " changed after later reads");
    }
  }
  out.problem = reader->problem();
  out.valid_end = reader->valid_end();
  return out;
}

void check_same(const SegmentRead& expected, const SegmentRead& actual) {
  REQUIRE(actual.header_ok == expected.header_ok);
  REQUIRE(actual.records == expected.records);
  REQUIRE(actual.valid_end == expected.valid_end);
  REQUIRE(actual.problem.has_value() == expected.problem.has_value());
  if (expected.problem) {
    CHECK(actual.problem->kind == expected.problem->kind);
    CHECK(actual.problem->offset == expected.problem->offset);
    CHECK(actual.problem->bytes == expected.problem->bytes);
    CHECK(actual.problem->detail == expected.problem->detail);
  }
}

void check_all_modes(const SegmentFile& file) {
  const SegmentRead window = read_segment(file, Mode::Window);
  for (Mode mode : {Mode::SmallWindow, Mode::Map, Mode::Read}) {
    INFO("mode " << static_cast<int>(mode));
    check_same(window, read_segment(file, mode));
  }
}

std::vector<SegmentFile> write_segments(const std::filesystem::path& dir) {
  JournalWriter writer;
  writer.open(dir, WriterOptions{.fsync = FsyncMode::Never, .segment_size = 700});
  for (std::uint64_t i = 0; i < 40; ++i) {
    writer.append(static_cast<RecordType>(1 + i % 4), make_payload(i, (i * 17) % 90));
  }
  writer.close();
  return list_segments(dir);
}

}  // namespace

TEST_CASE("whole-file readers read intact segments like the window reader", "[reader][whole-file]") {
  TempDir tmp(TempDir::Where::Memory);
  const auto segments = write_segments(tmp.path());
  REQUIRE(segments.size() >= 3);
  for (const auto& segment : segments) {
    INFO(segment.path.filename().string());
    check_all_modes(segment);
    CHECK_FALSE(read_segment(segment, Mode::Map).problem.has_value());
  }
}

TEST_CASE("whole-file readers report damage like the window reader", "[reader][whole-file]") {
  TempDir tmp(TempDir::Where::Memory);
  const auto segments = write_segments(tmp.path());
  const SegmentFile& segment = segments[1];
  const auto original = read_file(segment.path);

  for (std::size_t offset = 0; offset < original.size(); ++offset) {
    INFO("bit flip at " << offset);
    auto damaged = original;
    damaged[offset] ^= static_cast<std::byte>(1 << (offset % 8));
    write_file(segment.path, damaged);
    check_all_modes(segment);
  }
  for (std::size_t size = 0; size <= original.size(); ++size) {
    INFO("truncated to " << size);
    write_file(segment.path, std::span<const std::byte>(original.data(), size));
    check_all_modes(segment);
  }
  // A torn tail of zero bytes says so, whichever way the file is read.
  auto zeros = original;
  zeros.resize(original.size() + 40, std::byte{0});
  write_file(segment.path, zeros);
  check_all_modes(segment);
  CHECK_THAT(read_segment(segment, Mode::Map).problem->detail, Catch::Contains("zero bytes"));
}

TEST_CASE("whole-file readers report a missing file", "[reader][whole-file]") {
  TempDir tmp(TempDir::Where::Memory);
  const SegmentFile missing{7, tmp / "segment-000007.fj"};
  for (WholeFile how : {WholeFile::Map, WholeFile::Read}) {
    SegmentReader reader(missing, how);
    CHECK_FALSE(reader.header_ok());
    REQUIRE(reader.problem().has_value());
    CHECK(reader.problem()->kind == ProblemKind::UnreadableSegment);
    Record record;
    CHECK_FALSE(reader.next(record));
  }
}
