// Helpers shared by the journal tests: a self-deleting temporary folder,
// deterministic payloads, whole-file read/write for damaging segments, and
// reading a journal back into plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "journal/journal_reader.h"
#include "journal/segment_format.h"

namespace flow::journal::test {

class TempDir {
 public:
  /// Disk: the system's temporary folder, a real file system with real
  /// syncs. Memory: /dev/shm when there is one, where syncs cost nothing;
  /// for tests that open thousands of journals to check logic, not
  /// durability.
  enum class Where { Disk, Memory };
  explicit TempDir(Where where = Where::Disk);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// A record as plain values, for comparing what was written with what is read.
struct Stored {
  RecordType type = 0;
  std::string payload;
  RecordPosition position;

  friend bool operator==(const Stored&, const Stored&) = default;
};

/// Payload of `size` bytes that differs for every `seed`.
std::string make_payload(std::uint64_t seed, std::size_t size);

std::span<const std::byte> as_bytes(std::string_view text);

std::vector<std::byte> read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::span<const std::byte> bytes);
void truncate_file(const std::filesystem::path& path, std::uint64_t size);

struct ReadBack {
  std::vector<Stored> records;
  std::vector<Problem> problems;
  bool stopped = false;
};

ReadBack read_all(const std::filesystem::path& dir, CorruptionPolicy policy = CorruptionPolicy::Stop);

}  // namespace flow::journal::test
