// JournalReader and verify on damaged journals: where reading stops or
// resumes under each CorruptionPolicy, and what each problem says.
#include <catch2/catch.hpp>

#include "journal/journal_verify.h"
#include "journal/journal_writer.h"
#include "test_support.h"

using namespace flow::journal;
using namespace flow::journal::test;

namespace {

constexpr WriterOptions kSmallSegments{.fsync = FsyncMode::Never, .segment_size = 1024};

std::vector<Stored> write_journal(const std::filesystem::path& dir, int count) {
  std::vector<Stored> written;
  JournalWriter writer;
  writer.open(dir, kSmallSegments);
  for (int i = 0; i < count; ++i) {
    const std::string payload = make_payload(static_cast<std::uint64_t>(i), 40);
    written.push_back(Stored{static_cast<RecordType>(1 + i % 2), payload,
                             writer.append(static_cast<RecordType>(1 + i % 2), payload)});
  }
  return written;
}

std::vector<Stored> in_segment(const std::vector<Stored>& records, std::uint32_t segment) {
  std::vector<Stored> out;
  for (const auto& r : records) {
    if (r.position.segment == segment) out.push_back(r);
  }
  return out;
}

}  // namespace

TEST_CASE("an empty folder reads as an empty journal", "[reader]") {
  TempDir tmp;
  const auto back = read_all(tmp.path());
  CHECK(back.records.empty());
  CHECK(back.problems.empty());
  CHECK(verify(tmp.path()).ok());
  CHECK_THROWS_AS(JournalReader(tmp / "missing"), JournalError);
  CHECK_THROWS_AS(verify(tmp / "missing"), JournalError);
}

TEST_CASE("damage in a middle segment: Stop and SkipSegment", "[reader]") {
  TempDir tmp;
  const auto written = write_journal(tmp.path(), 100);
  REQUIRE(list_segments(tmp.path()).size() >= 4);
  const auto segment2 = in_segment(written, 2);
  REQUIRE(segment2.size() >= 3);
  const Stored& victim = segment2[2];
  const auto path = tmp / "segment-000002.fj";
  auto bytes = read_file(path);
  bytes[victim.position.offset + kRecordHeaderSize + 1] ^= std::byte{0x80};
  write_file(path, bytes);

  // Stop: exactly the records before the damaged one.
  const auto stopped = read_all(tmp.path(), CorruptionPolicy::Stop);
  CHECK(stopped.stopped);
  REQUIRE(stopped.problems.size() == 1);
  const Problem& problem = stopped.problems[0];
  CHECK(problem.kind == ProblemKind::ChecksumMismatch);
  CHECK(problem.segment == 2);
  CHECK(problem.file == path);
  CHECK(problem.offset == victim.position.offset);
  CHECK(problem.bytes == bytes.size() - victim.position.offset);
  CHECK_THAT(describe(problem), Catch::StartsWith("segment-000002.fj @ " + std::to_string(victim.position.offset) +
                                                  ": checksum-mismatch"));
  const auto before =
      std::vector<Stored>(written.begin(), written.begin() + static_cast<std::ptrdiff_t>(victim.position.sequence));
  CHECK(stopped.records == before);

  // SkipSegment: the rest of segment 2 is skipped, later segments are read,
  // and the sequence jump after the skip is not reported a second time.
  const auto skipped = read_all(tmp.path(), CorruptionPolicy::SkipSegment);
  CHECK_FALSE(skipped.stopped);
  REQUIRE(skipped.problems.size() == 1);
  std::vector<Stored> expected = before;
  for (const auto& r : written) {
    if (r.position.segment > 2) expected.push_back(r);
  }
  CHECK(skipped.records == expected);

  const VerifyReport report = verify(tmp.path());
  CHECK_FALSE(report.ok());
  CHECK(report.records == expected.size());
  CHECK(report.unread_bytes == problem.bytes);
  CHECK_THAT(format_report(report), Catch::Contains("1 problem(s)"));
}

TEST_CASE("a missing segment is reported", "[reader]") {
  TempDir tmp;
  const auto written = write_journal(tmp.path(), 100);
  std::filesystem::remove(tmp / "segment-000003.fj");

  const auto stopped = read_all(tmp.path(), CorruptionPolicy::Stop);
  REQUIRE(stopped.problems.size() == 1);
  CHECK(stopped.problems[0].kind == ProblemKind::MissingSegment);
  CHECK(stopped.problems[0].segment == 4);
  CHECK_THAT(stopped.problems[0].detail, Catch::Contains("segment 3 is missing"));
  CHECK(stopped.records.size() == in_segment(written, 1).size() + in_segment(written, 2).size());

  const auto skipped = read_all(tmp.path(), CorruptionPolicy::SkipSegment);
  REQUIRE(skipped.problems.size() == 1);  // no second report for the sequence gap
  CHECK(skipped.records.size() == written.size() - in_segment(written, 3).size());
}

TEST_CASE("a segment cut at a record boundary shows as a sequence mismatch", "[reader]") {
  TempDir tmp;
  const auto written = write_journal(tmp.path(), 100);
  const auto segment2 = in_segment(written, 2);
  truncate_file(tmp / "segment-000002.fj", segment2.back().position.offset);

  const auto skipped = read_all(tmp.path(), CorruptionPolicy::SkipSegment);
  REQUIRE(skipped.problems.size() == 1);
  CHECK(skipped.problems[0].kind == ProblemKind::SequenceMismatch);
  CHECK(skipped.problems[0].segment == 3);
  CHECK(skipped.records.size() == written.size() - 1);
}

TEST_CASE("a renamed segment is reported", "[reader]") {
  TempDir tmp;
  write_journal(tmp.path(), 100);
  const auto count = list_segments(tmp.path()).size();
  std::filesystem::rename(tmp / segment_file_name(static_cast<std::uint32_t>(count)),
                          tmp / segment_file_name(static_cast<std::uint32_t>(count + 1)));
  const auto skipped = read_all(tmp.path(), CorruptionPolicy::SkipSegment);
  std::vector<ProblemKind> kinds;
  for (const auto& p : skipped.problems) kinds.push_back(p.kind);
  CHECK(kinds == std::vector<ProblemKind>{ProblemKind::MissingSegment, ProblemKind::SegmentNumberMismatch});
  CHECK(skipped.records.size() == 100);  // its records are intact
}

TEST_CASE("a damaged segment header is reported and skipped", "[reader]") {
  TempDir tmp;
  const auto written = write_journal(tmp.path(), 100);
  const auto path = tmp / "segment-000001.fj";
  auto bytes = read_file(path);
  bytes[0] = std::byte{'X'};
  write_file(path, bytes);
  const auto stopped = read_all(tmp.path());
  REQUIRE(stopped.problems.size() == 1);
  CHECK(stopped.problems[0].kind == ProblemKind::BadSegmentHeader);
  CHECK(stopped.problems[0].offset == 0);
  CHECK(stopped.problems[0].bytes == bytes.size());
  CHECK(stopped.records.empty());
  const auto skipped = read_all(tmp.path(), CorruptionPolicy::SkipSegment);
  CHECK(skipped.records.size() == written.size() - in_segment(written, 1).size());
}

TEST_CASE("an unreadable segment is reported, not thrown", "[reader]") {
  TempDir tmp;
  write_journal(tmp.path(), 10);
  std::filesystem::create_directory(tmp / "segment-000002.fj");  // a folder where a file should be
  const auto back = read_all(tmp.path(), CorruptionPolicy::SkipSegment);
  CHECK(back.records.size() == 10);
  REQUIRE(back.problems.size() == 1);
  CHECK(back.problems[0].kind == ProblemKind::UnreadableSegment);
}

TEST_CASE("a record of reserved type 0 is reported", "[reader]") {
  TempDir tmp;
  write_journal(tmp.path(), 3);
  // Hand-craft a well-formed frame of type 0 at the end of segment 1.
  const auto path = tmp / "segment-000001.fj";
  auto bytes = read_file(path);
  const std::string payload = "zero";
  std::byte header[kRecordHeaderSize];
  encode_record_header(header, 0, as_bytes(payload));
  bytes.insert(bytes.end(), header, header + kRecordHeaderSize);
  for (char c : payload) bytes.push_back(static_cast<std::byte>(c));
  write_file(path, bytes);
  const auto back = read_all(tmp.path());
  CHECK(back.records.size() == 3);
  REQUIRE(back.problems.size() == 1);
  CHECK(back.problems[0].kind == ProblemKind::InvalidRecordType);
}

TEST_CASE("a length beyond the maximum is reported without allocating it", "[reader]") {
  TempDir tmp;
  write_journal(tmp.path(), 3);
  const auto path = tmp / "segment-000001.fj";
  auto bytes = read_file(path);
  std::byte frame[kRecordHeaderSize] = {};
  store_u32_le(frame, 0xFFFFFFF0u);
  frame[8] = std::byte{1};
  bytes.insert(bytes.end(), frame, frame + kRecordHeaderSize);
  write_file(path, bytes);
  const auto back = read_all(tmp.path());
  REQUIRE(back.problems.size() == 1);
  CHECK(back.problems[0].kind == ProblemKind::LengthTooLarge);
}

TEST_CASE("a small read buffer still reads large records", "[reader]") {
  TempDir tmp;
  std::vector<Stored> written;
  {
    JournalWriter writer;
    writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Never});
    for (std::uint64_t i = 0; i < 20; ++i) {
      const std::string payload = make_payload(i, i * 997);
      written.push_back(Stored{1, payload, writer.append(1, payload)});
    }
  }
  JournalReader reader(tmp.path(), ReaderOptions{.buffer_size = 64});
  Record record;
  std::size_t i = 0;
  while (reader.next(record)) {
    REQUIRE(i < written.size());
    CHECK(std::string(reinterpret_cast<const char*>(record.payload.data()), record.payload.size()) ==
          written[i].payload);
    ++i;
  }
  CHECK(i == written.size());
  CHECK(reader.problems().empty());
}
