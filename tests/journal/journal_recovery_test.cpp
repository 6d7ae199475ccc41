// Torn-tail recovery when a JournalWriter opens: what a crash mid-write can
// leave (short header, length past the end, checksum mismatch, zero fill, a
// segment created but never written), how it is reported, and that appending
// afterwards yields a clean journal. Also what recovery refuses to touch.
#include <catch2/catch.hpp>

#include "journal/journal_verify.h"
#include "journal/journal_writer.h"
#include "test_support.h"

using namespace flow::journal;
using namespace flow::journal::test;

namespace {

// Writes `count` records into a fresh journal and returns them.
std::vector<Stored> write_records(const std::filesystem::path& dir, int count, WriterOptions options = {}) {
  std::vector<Stored> written;
  JournalWriter writer;
  writer.open(dir, options);
  for (int i = 0; i < count; ++i) {
    const std::string payload = make_payload(static_cast<std::uint64_t>(i), 50 + i % 10);
    written.push_back(Stored{1, payload, writer.append(1, payload)});
  }
  writer.close();
  return written;
}

// Opens, appends one record, closes; returns the open report.
OpenReport reopen_and_append(const std::filesystem::path& dir, std::vector<Stored>& expected,
                             WriterOptions options = {}) {
  JournalWriter writer;
  const OpenReport report = writer.open(dir, options);
  const std::string payload = "after recovery";
  expected.push_back(Stored{9, payload, writer.append(9, payload)});
  writer.close();
  return report;
}

}  // namespace

TEST_CASE("a record cut short is truncated and reported", "[recovery]") {
  TempDir tmp;
  auto written = write_records(tmp.path(), 10);
  const auto segment = tmp / "segment-000001.fj";
  const auto full_size = std::filesystem::file_size(segment);
  const std::uint64_t last_start = written.back().position.offset;

  struct Case {
    std::uint64_t cut;
    ProblemKind reason;
  };
  for (const Case c : {Case{last_start + 5, ProblemKind::ShortRecordHeader},
                       Case{last_start + kRecordHeaderSize, ProblemKind::PastEndOfFile},
                       Case{full_size - 1, ProblemKind::PastEndOfFile}}) {
    DYNAMIC_SECTION("cut at " << c.cut) {
      truncate_file(segment, c.cut);
      auto expected = std::vector<Stored>(written.begin(), written.end() - 1);
      const OpenReport report = reopen_and_append(tmp.path(), expected);
      REQUIRE(report.truncations.size() == 1);
      const TailTruncation& cut = report.truncations[0];
      CHECK(cut.file == segment);
      CHECK(cut.segment == 1);
      CHECK(cut.offset == last_start);
      CHECK(cut.bytes_dropped == c.cut - last_start);
      CHECK(cut.reason == c.reason);
      CHECK_FALSE(cut.segment_removed);
      CHECK(report.next_sequence == 9);
      // The dropped bytes are kept beside the segment.
      REQUIRE(std::filesystem::exists(cut.saved_to));
      CHECK(cut.saved_to.filename() == "segment-000001.fj.dropped-" + std::to_string(last_start));
      CHECK(std::filesystem::file_size(cut.saved_to) == cut.bytes_dropped);
      CHECK_THAT(describe(cut), Catch::Contains("truncated at offset"));

      const auto back = read_all(tmp.path());
      CHECK(back.problems.empty());
      CHECK(back.records == expected);
      CHECK(verify(tmp.path()).ok());
    }
  }
}

TEST_CASE("a checksum mismatch in the last record is truncated", "[recovery]") {
  TempDir tmp;
  auto written = write_records(tmp.path(), 10);
  const auto segment = tmp / "segment-000001.fj";
  auto bytes = read_file(segment);
  bytes[written.back().position.offset + kRecordHeaderSize + 3] ^= std::byte{0x40};
  write_file(segment, bytes);

  auto expected = std::vector<Stored>(written.begin(), written.end() - 1);
  const OpenReport report = reopen_and_append(tmp.path(), expected);
  REQUIRE(report.truncations.size() == 1);
  CHECK(report.truncations[0].reason == ProblemKind::ChecksumMismatch);
  CHECK(report.truncations[0].offset == written.back().position.offset);
  CHECK(read_all(tmp.path()).records == expected);
}

TEST_CASE("a zero-filled tail is truncated and described as such", "[recovery]") {
  TempDir tmp;
  auto written = write_records(tmp.path(), 5);
  const auto segment = tmp / "segment-000001.fj";
  const auto size = std::filesystem::file_size(segment);
  truncate_file(segment, size + 4096);  // extends with zeros, like a crash after the size grew

  auto expected = written;
  const OpenReport report = reopen_and_append(tmp.path(), expected);
  REQUIRE(report.truncations.size() == 1);
  CHECK(report.truncations[0].offset == size);
  CHECK(report.truncations[0].bytes_dropped == 4096);
  CHECK(report.truncations[0].reason == ProblemKind::ChecksumMismatch);
  CHECK_THAT(report.truncations[0].detail, Catch::Contains("zero bytes"));
  CHECK(read_all(tmp.path()).records == expected);
}

TEST_CASE("recovery can be told not to keep dropped bytes", "[recovery]") {
  TempDir tmp;
  auto written = write_records(tmp.path(), 5);
  const auto segment = tmp / "segment-000001.fj";
  truncate_file(segment, std::filesystem::file_size(segment) - 2);
  auto expected = std::vector<Stored>(written.begin(), written.end() - 1);
  const OpenReport report = reopen_and_append(tmp.path(), expected, WriterOptions{.keep_dropped_tail = false});
  REQUIRE(report.truncations.size() == 1);
  CHECK(report.truncations[0].saved_to.empty());
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(tmp.path())) ++files;
  CHECK(files == 1);
}

TEST_CASE("damage mid-segment cuts everything after it, keeping a copy", "[recovery]") {
  TempDir tmp;
  auto written = write_records(tmp.path(), 20);
  const auto segment = tmp / "segment-000001.fj";
  auto bytes = read_file(segment);
  const std::uint64_t damaged = written[7].position.offset;
  bytes[damaged + 6] ^= std::byte{1};  // inside record 7's checksum
  write_file(segment, bytes);

  auto expected = std::vector<Stored>(written.begin(), written.begin() + 7);
  const OpenReport report = reopen_and_append(tmp.path(), expected);
  REQUIRE(report.truncations.size() == 1);
  CHECK(report.truncations[0].offset == damaged);
  CHECK(report.truncations[0].bytes_dropped == bytes.size() - damaged);
  const auto saved = read_file(report.truncations[0].saved_to);
  CHECK(std::equal(saved.begin(), saved.end(), bytes.begin() + static_cast<std::ptrdiff_t>(damaged)));
  CHECK(read_all(tmp.path()).records == expected);
}

TEST_CASE("a segment created but never written is removed", "[recovery]") {
  TempDir tmp;
  const WriterOptions options{.segment_size = 1024};
  auto written = write_records(tmp.path(), 40, options);
  auto segments = list_segments(tmp.path());
  REQUIRE(segments.size() >= 2);
  const std::uint32_t next_number = segments.back().number + 1;
  const auto torn = tmp / segment_file_name(next_number);

  for (const std::uint64_t size : {0u, 7u, 32u, 4096u}) {
    DYNAMIC_SECTION("torn segment of " << size << " zero bytes") {
      write_file(torn, {});
      truncate_file(torn, size);
      auto expected = written;
      const OpenReport report = reopen_and_append(tmp.path(), expected, options);
      REQUIRE(report.truncations.size() == 1);
      CHECK(report.truncations[0].segment_removed);
      CHECK(report.truncations[0].segment == next_number);
      CHECK(report.truncations[0].bytes_dropped == size);
      CHECK(report.truncations[0].reason == ProblemKind::BadSegmentHeader);
      CHECK(report.truncations[0].saved_to.empty());  // nothing but zeros to keep
      CHECK(report.next_sequence == written.size());
      const auto back = read_all(tmp.path());
      CHECK(back.problems.empty());
      CHECK(back.records == expected);
    }
  }
}

TEST_CASE("a half-written header of a new segment is removed, its bytes kept", "[recovery]") {
  TempDir tmp;
  auto written = write_records(tmp.path(), 3);
  const auto header = encode_segment_header(SegmentHeader{2, 3});
  write_file(tmp / "segment-000002.fj", std::span<const std::byte>(header.data(), 20));
  auto expected = written;
  const OpenReport report = reopen_and_append(tmp.path(), expected);
  REQUIRE(report.truncations.size() == 1);
  CHECK(report.truncations[0].segment_removed);
  CHECK(std::filesystem::file_size(report.truncations[0].saved_to) == 20);
  CHECK(expected.back().position.segment == 1);
  CHECK(read_all(tmp.path()).records == expected);
}

TEST_CASE("leftover temporary segments are removed", "[recovery]") {
  TempDir tmp;
  write_records(tmp.path(), 3);
  const std::byte junk[3] = {std::byte{1}, std::byte{2}, std::byte{3}};
  write_file(tmp / "segment-000002.fj.tmp", junk);
  JournalWriter writer;
  const OpenReport report = writer.open(tmp.path());
  REQUIRE(report.removed_temp_files.size() == 1);
  CHECK_FALSE(report.truncated());
  CHECK_FALSE(std::filesystem::exists(tmp / "segment-000002.fj.tmp"));
}

TEST_CASE("recovery refuses to cut a damaged header off a segment with data", "[recovery]") {
  TempDir tmp;
  write_records(tmp.path(), 10);
  const auto segment = tmp / "segment-000001.fj";
  auto bytes = read_file(segment);
  bytes[12] ^= std::byte{0x10};  // segment number field: header checksum fails
  write_file(segment, bytes);
  JournalWriter writer;
  CHECK_THROWS_AS(writer.open(tmp.path()), JournalError);
  CHECK_FALSE(writer.is_open());
  CHECK(read_file(segment) == bytes);  // untouched
  // The folder lock was released: another attempt fails the same way, not on the lock.
  try {
    writer.open(tmp.path());
    FAIL("open should have thrown");
  } catch (const JournalError& error) {
    CHECK_THAT(error.what(), Catch::Contains("damaged header"));
  }
}

TEST_CASE("recovery checks only the last segment", "[recovery]") {
  TempDir tmp;
  const WriterOptions options{.segment_size = 1024};
  write_records(tmp.path(), 60, options);
  const auto first = tmp / "segment-000001.fj";
  auto bytes = read_file(first);
  bytes[100] ^= std::byte{0x01};
  write_file(first, bytes);
  JournalWriter writer;
  const OpenReport report = writer.open(tmp.path(), options);
  CHECK_FALSE(report.truncated());
  CHECK(report.next_sequence == 60);
  writer.close();
  // ...and verify finds the damage.
  const VerifyReport verified = verify(tmp.path());
  REQUIRE(verified.problems.size() == 1);
  CHECK(verified.problems[0].segment == 1);
}
