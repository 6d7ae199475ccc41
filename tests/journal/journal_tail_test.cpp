// JournalTail and SegmentReader::resume_at: following a journal while a
// writer appends to it, across rollovers, through a record still being
// written, from a position, and stopping at damage.
#include <catch2/catch.hpp>

#include "journal/journal_tail.h"
#include "journal/journal_writer.h"
#include "test_support.h"

using namespace flow::journal;
using namespace flow::journal::test;

namespace {

constexpr WriterOptions kSmallSegments{.fsync = FsyncMode::Never, .segment_size = 1024};

std::vector<Stored> drain(JournalTail& tail) {
  std::vector<Stored> out;
  Record record;
  while (tail.next(record)) {
    out.push_back(Stored{record.type,
                         std::string(reinterpret_cast<const char*>(record.payload.data()), record.payload.size()),
                         record.position});
  }
  return out;
}

Stored append(JournalWriter& writer, int i) {
  const std::string payload = make_payload(static_cast<std::uint64_t>(i), 40 + static_cast<std::size_t>(i % 7));
  return Stored{2, payload, writer.append(2, payload)};
}

/// A journal of `count` records in small segments, closed.
std::vector<Stored> write_journal(const std::filesystem::path& dir, int count) {
  std::vector<Stored> written;
  JournalWriter writer;
  writer.open(dir, kSmallSegments);
  for (int i = 0; i < count; ++i) written.push_back(append(writer, i));
  return written;
}

}  // namespace

TEST_CASE("a tail sees every record once, as the writer appends across segments", "[tail]") {
  TempDir tmp;
  JournalTail tail(tmp.path());
  Record record;
  CHECK_FALSE(tail.next(record));  // no segment yet
  CHECK_FALSE(tail.problem());

  JournalWriter writer;
  writer.open(tmp.path(), kSmallSegments);
  std::vector<Stored> written, read;
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i < 7 * round + 1; ++i) written.push_back(append(writer, static_cast<int>(written.size())));
    writer.flush();
    auto got = drain(tail);
    read.insert(read.end(), got.begin(), got.end());
    CHECK(read == written);
    CHECK_FALSE(tail.problem());
    CHECK(tail.position().sequence == written.size());
  }
  CHECK(list_segments(tmp.path()).size() > 3);
  writer.close();
  CHECK(drain(tail).empty());
}

TEST_CASE("a record still being written is not there yet, then is", "[tail]") {
  TempDir tmp;
  TempDir other;
  write_journal(tmp.path(), 1);
  // The same journal with one more record, to take that record's frame from.
  std::filesystem::copy(tmp.path(), other.path(), std::filesystem::copy_options::recursive);
  Stored extra;
  {
    JournalWriter writer;
    writer.open(other.path(), kSmallSegments);
    extra = append(writer, 1);
    writer.close();
  }
  const auto segment = tmp / "segment-000001.fj";
  const auto before = read_file(segment);
  const auto after = read_file(other / "segment-000001.fj");
  REQUIRE(after.size() > before.size() + 10);

  JournalTail tail(tmp.path());
  CHECK(drain(tail).size() == 1);
  for (std::size_t cut : {before.size() + 4, before.size() + 12}) {
    std::vector<std::byte> torn(after.begin(), after.begin() + static_cast<std::ptrdiff_t>(cut));
    write_file(segment, torn);
    CHECK(drain(tail).empty());
    CHECK_FALSE(tail.problem());
  }
  write_file(segment, after);
  const auto got = drain(tail);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == extra);
}

TEST_CASE("a tail starts at a position without reading what is before it", "[tail]") {
  TempDir tmp;
  const std::vector<Stored> written = write_journal(tmp.path(), 60);
  for (std::size_t from : {std::size_t{0}, std::size_t{1}, std::size_t{17}, std::size_t{59}}) {
    JournalTail tail(tmp.path());
    tail.seek(written[from].position);
    const auto got = drain(tail);
    CHECK(got == std::vector<Stored>(written.begin() + static_cast<std::ptrdiff_t>(from), written.end()));
  }
  // Just after the last record: nothing, until there is more.
  JournalTail tail(tmp.path());
  Record record;
  tail.seek(written.back().position);
  REQUIRE(tail.next(record));
  CHECK_FALSE(tail.next(record));
  JournalWriter writer;
  writer.open(tmp.path(), kSmallSegments);
  const Stored more = append(writer, 60);
  writer.flush();
  REQUIRE(tail.next(record));
  CHECK(record.position == more.position);
}

TEST_CASE("damage stops a tail at the damaged record", "[tail]") {
  TempDir tmp;
  const std::vector<Stored> written = write_journal(tmp.path(), 10);
  const Stored& victim = written[4];
  const auto path = tmp / segment_file_name(victim.position.segment);
  auto bytes = read_file(path);
  bytes[victim.position.offset + kRecordHeaderSize + 2] ^= std::byte{0x40};
  write_file(path, bytes);

  JournalTail tail(tmp.path());
  const auto got = drain(tail);
  CHECK(got == std::vector<Stored>(written.begin(), written.begin() + 4));
  REQUIRE(tail.problem());
  CHECK(tail.problem()->kind == ProblemKind::ChecksumMismatch);
  Record record;
  CHECK_FALSE(tail.next(record));

  // A segment's first record with another sequence number than its header's.
  JournalTail wrong(tmp.path());
  wrong.seek({written[0].position.segment, kSegmentHeaderSize, written[0].position.sequence + 3});
  CHECK_FALSE(wrong.next(record));
  REQUIRE(wrong.problem());
  CHECK(wrong.problem()->kind == ProblemKind::SequenceMismatch);
}
