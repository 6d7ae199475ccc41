// JournalWriter: appending and reading back, positions and sequence numbers,
// rollover, the three fsync modes, reopening, and the one-writer lock.
#include <catch2/catch.hpp>

#include <cstring>
#include <thread>

#include "journal/journal_verify.h"
#include "journal/journal_writer.h"
#include "test_support.h"

using namespace flow::journal;
using namespace flow::journal::test;

namespace {

// Polls, for what Batch mode's sync thread does in its own time; the limit
// only stops a broken writer from hanging the test run.
template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

bool becomes_durable(const JournalWriter& writer, std::uint64_t sequence) {
  return eventually([&] { return writer.durable_sequence() >= sequence; });
}

std::size_t thread_count() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) ++count;
  return count;
}

}  // namespace

TEST_CASE("a new journal folder gets its first segment", "[writer]") {
  TempDir tmp;
  const auto dir = tmp / "nested" / "journal";
  JournalWriter writer;
  const OpenReport report = writer.open(dir);
  CHECK(report.created);
  CHECK_FALSE(report.truncated());
  CHECK(report.segment == 1);
  CHECK(report.next_sequence == 0);
  CHECK(writer.is_open());
  REQUIRE(std::filesystem::exists(dir / "segment-000001.fj"));
  CHECK(std::filesystem::file_size(dir / "segment-000001.fj") == kSegmentHeaderSize);
  CHECK_FALSE(std::filesystem::exists(dir / "segment-000001.fj.tmp"));
  writer.close();
  CHECK_FALSE(writer.is_open());

  const auto back = read_all(dir);
  CHECK(back.records.empty());
  CHECK(back.problems.empty());
}

TEST_CASE("records read back with their positions", "[writer]") {
  TempDir tmp;
  std::vector<Stored> written;
  {
    JournalWriter writer;
    writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Never});
    for (std::uint64_t i = 0; i < 1000; ++i) {
      const auto type = static_cast<RecordType>(1 + i % 7);
      const std::string payload = make_payload(i, i % 300);
      const RecordPosition position = writer.append(type, payload);
      CHECK(position.sequence == i);
      written.push_back(Stored{type, payload, position});
    }
    CHECK(writer.next_sequence() == 1000);
    writer.close();
  }
  // Frames are packed one after another after the header.
  CHECK(written[0].position.offset == kSegmentHeaderSize);
  for (std::size_t i = 1; i < written.size(); ++i) {
    CHECK(written[i].position.offset ==
          written[i - 1].position.offset + kRecordHeaderSize + written[i - 1].payload.size());
  }
  const auto back = read_all(tmp.path());
  CHECK(back.problems.empty());
  CHECK(back.records == written);
}

TEST_CASE("empty payloads and invalid arguments", "[writer]") {
  TempDir tmp;
  JournalWriter writer;
  writer.open(tmp.path());
  writer.append(1, std::string_view());
  CHECK_THROWS_AS(writer.append(0, std::string_view("x")), std::invalid_argument);
  CHECK_THROWS_AS(writer.open(tmp.path()), std::logic_error);
  writer.close();
  CHECK_THROWS_AS(writer.append(1, std::string_view("x")), std::logic_error);
  const auto back = read_all(tmp.path());
  REQUIRE(back.records.size() == 1);
  CHECK(back.records[0].payload.empty());
  CHECK(back.records[0].type == 1);

  CHECK_THROWS_AS(JournalWriter().open(tmp / "other", WriterOptions{.segment_size = 16}), std::invalid_argument);
}

TEST_CASE("reopening continues the sequence without reporting a truncation", "[writer]") {
  TempDir tmp;
  std::vector<Stored> written;
  for (int round = 0; round < 3; ++round) {
    JournalWriter writer;
    const OpenReport report = writer.open(tmp.path());
    CHECK(report.created == (round == 0));
    CHECK_FALSE(report.truncated());
    CHECK(report.next_sequence == written.size());
    for (int i = 0; i < 10; ++i) {
      const std::string payload = make_payload(written.size(), 20);
      written.push_back(Stored{2, payload, writer.append(2, payload)});
    }
  }
  const auto back = read_all(tmp.path());
  CHECK(back.problems.empty());
  CHECK(back.records == written);
}

TEST_CASE("segments roll over at the configured size", "[writer]") {
  TempDir tmp;
  const WriterOptions options{.fsync = FsyncMode::Never, .segment_size = 4096, .buffer_size = 1024};
  std::vector<Stored> written;
  {
    JournalWriter writer;
    writer.open(tmp.path(), options);
    for (std::uint64_t i = 0; i < 500; ++i) {
      // Mostly small records, some larger than the buffer, one larger than a segment.
      const std::size_t size = i == 250 ? 10000 : (i % 50 == 0 ? 2000 : i % 90);
      const std::string payload = make_payload(i, size);
      written.push_back(Stored{3, payload, writer.append(3, payload)});
    }
  }
  const auto segments = list_segments(tmp.path());
  REQUIRE(segments.size() > 10);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    CHECK(segments[i].number == i + 1);
    const auto size = std::filesystem::file_size(segments[i].path);
    const bool holds_the_big_one = segments[i].number == written[250].position.segment;
    if (!holds_the_big_one) CHECK(size <= options.segment_size);
  }
  // The oversized record starts a segment of its own.
  CHECK(written[250].position.offset == kSegmentHeaderSize);
  CHECK(written[251].position.segment == written[250].position.segment + 1);

  const auto back = read_all(tmp.path());
  CHECK(back.problems.empty());
  CHECK(back.records == written);

  // Each segment's header names its first record's sequence number.
  JournalReader reader(tmp.path());
  Record record;
  std::uint32_t last_segment = 0;
  while (reader.next(record)) {
    if (record.position.segment != last_segment) {
      CHECK(record.position.offset == kSegmentHeaderSize);
      last_segment = record.position.segment;
    }
  }
}

TEST_CASE("fsync mode Always makes each append durable", "[writer][fsync]") {
  TempDir tmp;
  JournalWriter writer;
  writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Always});
  for (std::uint64_t i = 0; i < 5; ++i) {
    writer.append(1, make_payload(i, 100));
    CHECK(writer.durable_sequence() == i + 1);
    CHECK(writer.written_sequence() == i + 1);
  }
  // Visible to a reader without any flush.
  CHECK(read_all(tmp.path()).records.size() == 5);
}

TEST_CASE("fsync mode Batch groups records until commit or a threshold", "[writer][fsync]") {
  TempDir tmp;
  SECTION("commit makes everything durable at once") {
    JournalWriter writer;
    writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Batch, .batch_delay = std::chrono::hours(1)});
    for (int i = 0; i < 100; ++i) writer.append(1, make_payload(i, 100));
    CHECK(writer.durable_sequence() == 0);
    CHECK(writer.written_sequence() == 0);
    CHECK(read_all(tmp.path()).records.empty());
    CHECK_FALSE(writer.commit_if_due());
    writer.commit();
    CHECK(writer.durable_sequence() == 100);
    CHECK(read_all(tmp.path()).records.size() == 100);
  }
  SECTION("the byte threshold writes, and the sync follows in the background") {
    JournalWriter writer;
    writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Batch,
                                          .batch_bytes = 10 * (kRecordHeaderSize + 100),
                                          .batch_delay = std::chrono::hours(1)});
    for (int i = 0; i < 9; ++i) writer.append(1, make_payload(i, 100));
    CHECK(writer.written_sequence() == 0);
    CHECK(writer.durable_sequence() == 0);
    writer.append(1, make_payload(9, 100));
    CHECK(writer.written_sequence() == 10);
    CHECK(read_all(tmp.path()).records.size() == 10);
    CHECK(becomes_durable(writer, 10));
  }
  SECTION("the delay threshold commits, on commit_if_due or every 64th append") {
    JournalWriter writer;
    writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Batch, .batch_delay = std::chrono::milliseconds(20)});
    writer.append(1, make_payload(0, 100));
    CHECK(writer.durable_sequence() == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    CHECK(writer.commit_if_due());
    CHECK(writer.durable_sequence() == 1);
    CHECK_FALSE(writer.commit_if_due());
    writer.append(1, make_payload(1, 100));
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    // The batch is overdue, but append() looks at the clock only on the
    // batch's kBatchAppendsPerClockCheck-th record.
    for (std::uint64_t i = 2; i < kBatchAppendsPerClockCheck; ++i) writer.append(1, make_payload(i, 100));
    CHECK(writer.written_sequence() == 1);
    writer.append(1, make_payload(kBatchAppendsPerClockCheck, 100));
    CHECK(writer.written_sequence() == kBatchAppendsPerClockCheck + 1);
    CHECK(becomes_durable(writer, kBatchAppendsPerClockCheck + 1));
  }
  SECTION("close commits") {
    {
      JournalWriter writer;
      writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Batch});
      writer.append(1, std::string_view("a"));
      writer.close();
    }
    CHECK(read_all(tmp.path()).records.size() == 1);
  }
}

TEST_CASE("fsync mode Batch: commit waits for syncs running in the background", "[writer][fsync]") {
  TempDir tmp;
  std::vector<Stored> written;
  JournalWriter writer;
  writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Batch, .batch_bytes = 2048});
  for (std::uint64_t i = 0; i < 5000; ++i) {
    const std::string payload = make_payload(i, i % 200);
    written.push_back(Stored{5, payload, writer.append(5, payload)});
  }
  writer.commit();
  CHECK(writer.written_sequence() == writer.next_sequence());
  CHECK(writer.durable_sequence() == writer.next_sequence());
  const auto back = read_all(tmp.path());
  CHECK(back.problems.empty());
  CHECK(back.records == written);
  writer.close();
}

TEST_CASE("fsync mode Batch: rollover while syncs run in the background", "[writer][fsync]") {
  TempDir tmp;
  const WriterOptions options{.fsync = FsyncMode::Batch, .segment_size = 4096, .buffer_size = 1024, .batch_bytes = 300};
  std::vector<Stored> written;
  {
    JournalWriter writer;
    writer.open(tmp.path(), options);
    for (std::uint64_t i = 0; i < 1000; ++i) {
      const std::string payload = make_payload(i, i % 120);
      written.push_back(Stored{6, payload, writer.append(6, payload)});
      const RecordPosition& position = written.back().position;
      // Each sealed segment was synced before the next took appends.
      if (i > 0 && position.segment != written[i - 1].position.segment) {
        CHECK(writer.durable_sequence() >= position.sequence);
      }
    }
    CHECK(writer.current_segment() > 10);
    writer.commit();
    CHECK(writer.durable_sequence() == 1000);
  }
  const auto back = read_all(tmp.path());
  CHECK(back.problems.empty());
  CHECK(back.records == written);
  const VerifyReport report = verify(tmp.path());
  CHECK(report.ok());
  CHECK(report.records == 1000);
  CHECK(report.segments > 10);
}

TEST_CASE("fsync mode Batch: durable_sequence only grows and never passes written_sequence", "[writer][fsync]") {
  TempDir tmp;
  JournalWriter writer;
  writer.open(
      tmp.path(),
      WriterOptions{.fsync = FsyncMode::Batch, .batch_bytes = 1024, .batch_delay = std::chrono::microseconds(100)});
  std::uint64_t last_durable = 0;
  bool ok = true;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    writer.append(1, make_payload(i, 50));
    const std::uint64_t durable = writer.durable_sequence();
    const std::uint64_t written = writer.written_sequence();
    // One combined check: 20000 CHECKs would dominate the run time.
    ok = ok && last_durable <= durable && durable <= written && written <= writer.next_sequence();
    last_durable = durable;
  }
  CHECK(ok);
  // Without a commit the background sync still catches up with the writes.
  CHECK(becomes_durable(writer, writer.written_sequence()));
  CHECK(writer.durable_sequence() == writer.written_sequence());
}

TEST_CASE("fsync mode Batch: close without commit leaves every record readable", "[writer][fsync]") {
  TempDir tmp;
  std::vector<Stored> written;
  {
    JournalWriter writer;
    writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Batch, .batch_bytes = 1024});
    for (std::uint64_t i = 0; i < 3000; ++i) {
      const std::string payload = make_payload(i, i % 64);
      written.push_back(Stored{2, payload, writer.append(2, payload)});
    }
    writer.close();
  }
  const auto back = read_all(tmp.path());
  CHECK(back.problems.empty());
  CHECK(back.records == written);
  JournalWriter again;
  const OpenReport report = again.open(tmp.path());
  CHECK_FALSE(report.truncated());
  CHECK(report.next_sequence == 3000);
}

TEST_CASE("fsync mode Batch: destroying a writer while a sync may be running", "[writer][fsync]") {
  TempDir tmp;
  std::uint64_t appended = 0;
  for (int round = 0; round < 20; ++round) {
    JournalWriter writer;
    writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Batch, .batch_bytes = 256});
    for (int i = 0; i < 200; ++i) writer.append(3, make_payload(appended++, 40));
    // The destructor closes: it waits for the sync thread, syncs, and joins it.
  }
  const auto back = read_all(tmp.path());
  CHECK(back.problems.empty());
  CHECK(back.records.size() == appended);
  CHECK(verify(tmp.path()).ok());
}

TEST_CASE("only fsync mode Batch starts a sync thread, on its first due batch", "[writer][fsync]") {
  TempDir tmp;
  const std::size_t before = thread_count();
  for (const FsyncMode mode : {FsyncMode::Always, FsyncMode::Never}) {
    JournalWriter writer;
    writer.open(tmp.path(), WriterOptions{.fsync = mode, .batch_bytes = 1});
    for (int i = 0; i < 10; ++i) writer.append(1, make_payload(i, 10));
    writer.commit();
    CHECK(thread_count() == before);
  }
  JournalWriter writer;
  writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Batch, .batch_bytes = 100});
  writer.append(1, make_payload(0, 10));
  writer.commit();
  CHECK(thread_count() == before);
  writer.append(1, make_payload(1, 200));
  CHECK(thread_count() == before + 1);
  writer.close();
  // A joined thread's /proc entry can outlive join() by a moment.
  CHECK(eventually([&] { return thread_count() == before; }));
}

TEST_CASE("fsync mode Never writes when the buffer fills or on flush", "[writer][fsync]") {
  TempDir tmp;
  JournalWriter writer;
  writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Never, .buffer_size = 4096});
  writer.append(1, make_payload(0, 100));
  CHECK(writer.written_sequence() == 0);
  CHECK(read_all(tmp.path()).records.empty());
  writer.flush();
  CHECK(writer.written_sequence() == 1);
  CHECK(writer.durable_sequence() == 0);
  CHECK(read_all(tmp.path()).records.size() == 1);
  // 4096-byte buffer, 109-byte frames: the 38th frame no longer fits.
  for (int i = 1; i < 100; ++i) writer.append(1, make_payload(i, 100));
  CHECK(writer.written_sequence() > 1);
  CHECK(writer.written_sequence() < 100);
  writer.commit();
  CHECK(writer.durable_sequence() == 100);
  CHECK(read_all(tmp.path()).records.size() == 100);
}

TEST_CASE("a buffer of size zero writes every record directly", "[writer]") {
  TempDir tmp;
  JournalWriter writer;
  writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Never, .buffer_size = 0});
  writer.append(4, std::string_view("direct"));
  CHECK(writer.written_sequence() == 1);
  const auto back = read_all(tmp.path());
  REQUIRE(back.records.size() == 1);
  CHECK(back.records[0].payload == "direct");
}

TEST_CASE("only one writer may hold a journal", "[writer]") {
  TempDir tmp;
  JournalWriter first;
  first.open(tmp.path());
  JournalWriter second;
  CHECK_THROWS_AS(second.open(tmp.path()), JournalError);
  CHECK_FALSE(second.is_open());
  first.close();
  second.open(tmp.path());
  CHECK(second.is_open());
}

TEST_CASE("verify counts records by type", "[writer][verify]") {
  TempDir tmp;
  {
    JournalWriter writer;
    writer.open(tmp.path(), WriterOptions{.segment_size = 512});
    for (int i = 0; i < 100; ++i) writer.append(static_cast<RecordType>(1 + i % 3), make_payload(i, 10 * (i % 3)));
  }
  const VerifyReport report = verify(tmp.path());
  CHECK(report.ok());
  CHECK(report.records == 100);
  CHECK(report.segments == list_segments(tmp.path()).size());
  CHECK(report.segments > 1);
  REQUIRE(report.by_type.size() == 3);
  CHECK(report.by_type.at(1).records == 34);
  CHECK(report.by_type.at(1).payload_bytes == 0);
  CHECK(report.by_type.at(2).records == 33);
  CHECK(report.by_type.at(2).payload_bytes == 330);
  CHECK(report.by_type.at(3).records == 33);
  CHECK(report.by_type.at(3).payload_bytes == 660);
  CHECK(report.payload_bytes == 990);
  CHECK(report.first_sequence == 0u);
  CHECK(report.last_sequence == 99u);
  std::uint64_t bytes = 0;
  for (const auto& segment : list_segments(tmp.path())) bytes += std::filesystem::file_size(segment.path);
  CHECK(report.file_bytes == bytes);
  CHECK(report.file_bytes == report.segments * kSegmentHeaderSize + 100 * kRecordHeaderSize + 990);
  const std::string text = format_report(report);
  CHECK_THAT(text, Catch::Contains("records: 100"));
  CHECK_THAT(text, Catch::Contains("type 2: 33 records, 330 payload bytes"));
  CHECK_THAT(text, Catch::Contains("ok"));
}

TEST_CASE("records written in place by reserve and append_reserved read back like appended ones", "[writer]") {
  TempDir tmp;
  const WriterOptions options{.fsync = FsyncMode::Never, .segment_size = 4096, .buffer_size = 1024};
  std::vector<Stored> written;
  {
    JournalWriter writer;
    writer.open(tmp.path(), options);
    CHECK(writer.max_reservable() == 1024 - kRecordHeaderSize);
    for (std::uint64_t i = 0; i < 400; ++i) {
      const std::string payload = make_payload(i, i % 97);
      if (i % 3 == 0) {
        written.push_back(Stored{5, payload, writer.append(5, payload)});
        continue;
      }
      // A bound above the final size, as the record encoders give.
      auto* room = reinterpret_cast<char*>(writer.reserve(payload.size() + 40));
      std::memcpy(room, payload.data(), payload.size());
      written.push_back(Stored{6, payload, writer.append_reserved(6, payload.size())});
    }
    CHECK_THROWS_AS(writer.reserve(writer.max_reservable() + 1), std::invalid_argument);
    writer.reserve(10);
    CHECK_THROWS_AS(writer.append_reserved(6, 11), std::logic_error);
  }
  const auto segments = list_segments(tmp.path());
  REQUIRE(segments.size() > 3);
  for (const auto& segment : segments) CHECK(std::filesystem::file_size(segment.path) <= options.segment_size);
  const auto back = read_all(tmp.path());
  CHECK(back.problems.empty());
  CHECK(back.records == written);
  CHECK(verify(tmp.path()).problems.empty());
}

TEST_CASE("fsync mode Never does not sync a sealed segment", "[writer][fsync]") {
  TempDir tmp;
  JournalWriter writer;
  writer.open(tmp.path(), WriterOptions{.fsync = FsyncMode::Never, .segment_size = 4096, .buffer_size = 1024});
  for (int i = 0; i < 200; ++i) writer.append(1, make_payload(i, 100));
  CHECK(writer.current_segment() > 1);
  CHECK(writer.durable_sequence() == 0);
  writer.flush();
  CHECK(writer.written_sequence() == 200);
  CHECK(read_all(tmp.path()).records.size() == 200);
  // Batch mode still syncs what it seals.
  TempDir batch_dir;
  JournalWriter batch;
  batch.open(batch_dir.path(), WriterOptions{.fsync = FsyncMode::Batch,
                                             .segment_size = 4096,
                                             .buffer_size = 1024,
                                             .batch_bytes = 1u << 20,
                                             .batch_delay = std::chrono::seconds(60)});
  for (int i = 0; i < 200; ++i) batch.append(1, make_payload(i, 100));
  CHECK(batch.current_segment() > 1);
  CHECK(batch.durable_sequence() > 0);
}

TEST_CASE("every segment starts with the preamble", "[writer][preamble]") {
  // The runtime's list of names (records/name_list.h) goes first in every
  // segment it appends to, so that a segment's records can be read with
  // nothing but that segment.
  TempDir tmp;
  const WriterOptions options{.fsync = FsyncMode::Never, .segment_size = 2048, .buffer_size = 512};
  const std::string preamble = make_payload(99, 300);
  std::vector<std::uint32_t> segments_with_records;
  {
    JournalWriter writer;
    writer.open(tmp.path(), options);
    writer.set_segment_preamble(9, preamble);
    for (std::uint64_t i = 0; i < 200; ++i) {
      const std::string payload = make_payload(i, i % 7 == 0 ? 1500 : 40 + i % 60);
      if (i % 2 == 0 || payload.size() > writer.max_reservable()) {
        writer.append(3, payload);
      } else {
        std::byte* room = writer.reserve(payload.size());
        std::memcpy(room, payload.data(), payload.size());
        writer.append_reserved(3, payload.size());
      }
    }
    writer.close();
  }
  const auto back = read_all(tmp.path());
  CHECK(back.problems.empty());
  REQUIRE(back.records.size() > 200);
  std::uint32_t segment = 0;
  std::size_t segments = 0, preambles = 0;
  for (const Stored& record : back.records) {
    if (record.type == 9) {
      ++preambles;
      CHECK(record.payload == preamble);
      CHECK(record.position.offset == kSegmentHeaderSize);
    }
    if (record.position.segment != segment) {
      segment = record.position.segment;
      ++segments;
      CHECK(record.type == 9);  // the first record of every segment
    }
  }
  CHECK(segments > 5);
  CHECK(preambles == segments);
  CHECK(back.records.size() == 200 + segments);
}

TEST_CASE("reopening goes on in the last segment only when it starts with the same preamble", "[writer][preamble]") {
  TempDir tmp;
  const std::string names_a = make_payload(1, 100);
  const std::string names_b = make_payload(2, 100);
  auto run = [&](const std::string& preamble, std::uint64_t seed) {
    JournalWriter writer;
    writer.open(tmp.path());
    writer.set_segment_preamble(9, preamble);
    const RecordPosition position = writer.append(3, make_payload(seed, 50));
    writer.close();
    return position;
  };
  const RecordPosition first = run(names_a, 10);
  CHECK(first.segment == 1);
  CHECK(first.sequence == 1);  // after the preamble
  const RecordPosition same = run(names_a, 11);
  CHECK(same.segment == 1);  // the same list: the segment goes on
  CHECK(same.sequence == 2);
  const RecordPosition other = run(names_b, 12);
  CHECK(other.segment == 2);  // another list: a segment of its own
  CHECK(other.sequence == 4);
  const RecordPosition back_to_a = run(names_a, 13);
  CHECK(back_to_a.segment == 3);

  const auto back = read_all(tmp.path());
  CHECK(back.problems.empty());
  std::vector<std::pair<std::uint32_t, std::string>> preambles;
  for (const Stored& record : back.records) {
    if (record.type == 9) preambles.emplace_back(record.position.segment, record.payload);
  }
  CHECK(preambles == std::vector<std::pair<std::uint32_t, std::string>>{{1, names_a}, {2, names_b}, {3, names_a}});
  CHECK(back.records.size() == 7);

  // A journal written without a preamble gets a new segment for one.
  TempDir plain;
  {
    JournalWriter writer;
    writer.open(plain.path());
    writer.append(3, make_payload(20, 10));
  }
  JournalWriter writer;
  writer.open(plain.path());
  writer.set_segment_preamble(9, names_a);
  CHECK(writer.append(3, make_payload(21, 10)).segment == 2);
  CHECK_THROWS_AS(writer.set_segment_preamble(0, names_a), std::invalid_argument);
}
