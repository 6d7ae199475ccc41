// Fuzz target: the journal reader on one segment file's bytes. The input is
// written as a segment in a scratch folder (on /dev/shm when there is one)
// and read as the runtime reads journals: the segment reader (a sliding
// window of small reads, the whole file read, the whole file mapped), the
// journal reader, `journal verify`, the record decoders of runtime/records
// (owned records and allocation-free views) and the writer's torn-tail
// recovery followed by an append. Each input is read twice: as given, and
// "sealed" — with the header's and every frame's checksum recomputed —
// so that mutations reach the record decoders instead of stopping at a
// checksum. Invariants: no crash or sanitizer report; the three segment
// readers return the same records and problem; verify counts what the
// reader reads; records and views accept the same payloads, and what
// decodes re-encodes stably; after recovery and an append the journal reads
// back without a problem, ending with the new record after the old intact
// prefix.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "journal/crc32c.h"
#include "journal/journal_reader.h"
#include "journal/journal_verify.h"
#include "journal/journal_writer.h"
#include "journal/segment_reader.h"
#include "records/journal_records.h"
#include "records/name_list.h"
#include "records/record_views.h"

namespace flow::fuzz {

namespace {

namespace fs = std::filesystem;
using namespace flow::journal;

fs::path* scratch_dir = nullptr;

/// A scratch folder for the whole run (one per process), removed at exit.
const fs::path& scratch() {
  if (!scratch_dir) {
    std::string base = fs::is_directory("/dev/shm") ? "/dev/shm" : fs::temp_directory_path().string();
    std::string pattern = base + "/flow-fuzz-journal-XXXXXX";
    FLOW_FUZZ_CHECK(::mkdtemp(pattern.data()) != nullptr, "cannot create a scratch folder");
    scratch_dir = new fs::path(pattern);
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(*scratch_dir, ignored);
    });
  }
  return *scratch_dir;
}

struct Read {
  RecordType type;
  std::string payload;
  RecordPosition position;
  bool operator==(const Read&) const = default;
};

std::string text_of(std::span<const std::byte> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

/// Every record of one segment reader, and its problem ("" when none).
std::vector<Read> read_segment(SegmentReader&& reader, std::string& problem) {
  std::vector<Read> out;
  Record record;
  while (reader.next(record)) out.push_back({record.type, text_of(record.payload), record.position});
  problem = reader.problem() ? describe(*reader.problem()) : "";
  return out;
}

// ---- Record payloads (runtime/records) -------------------------------------

template <typename R>
void check_reencodes(const R& record) {
  // decode(encode(r)) must succeed and encode to the same bytes.
  const std::string once = runtime::encode(record);
  R again;
  FLOW_FUZZ_CHECK(runtime::decode(once, again), "a re-encoded record does not decode");
  FLOW_FUZZ_CHECK(runtime::encode(again) == once, "a re-encoded record does not re-encode the same");
}

template <typename R>
void decode_plain(std::string_view payload) {
  R record;
  if (runtime::decode(payload, record)) check_reencodes(record);
}

template <typename R>
void decode_named(std::string_view payload, const runtime::NameList* names) {
  R record;
  if (runtime::decode(payload, record, names)) check_reencodes(record);
}

void decode_events(std::string_view payload, const runtime::NameList* names) {
  runtime::EventRecord record;
  runtime::EventView view;
  const bool ok = runtime::decode(payload, record, names);
  FLOW_FUZZ_CHECK(ok == runtime::decode_view(payload, view, names), "event record and view disagree");
  if (ok) {
    FLOW_FUZZ_CHECK(record.id == view.id && record.type == view.type && record.data_json == view.data_json,
                    "event record and view decode different fields");
    check_reencodes(record);
  }
}

void decode_decisions(uint8_t kind, std::string_view payload, const runtime::NameList* names) {
  std::vector<runtime::DecisionRecord> records;
  std::vector<runtime::DecisionView> views;
  const bool ok = runtime::decode_decisions(kind, payload, records, names);
  FLOW_FUZZ_CHECK(ok == runtime::decode_decision_views(kind, payload, views, names),
                  "decision records and views disagree");
  if (!ok) return;
  FLOW_FUZZ_CHECK(records.size() == views.size(), "decision records and views differ in number");
  std::vector<runtime::RuleValue> rules;
  for (size_t i = 0; i < records.size(); ++i) {
    FLOW_FUZZ_CHECK(
        records[i].event == views[i].event && records[i].flow == views[i].flow && records[i].result == views[i].result,
        "a decision record and its view decode different fields");
    runtime::decode_rules(views[i], rules);
    FLOW_FUZZ_CHECK(rules.size() == records[i].rules.size(), "decision rules differ in number");
    for (size_t r = 0; r < rules.size(); ++r) {
      FLOW_FUZZ_CHECK(rules[r].name == records[i].rules[r].name && rules[r].value == records[i].rules[r].value,
                      "decision rules differ");
    }
  }
}

/// Decodes every record as the queries do, by kind; a `names` record
/// becomes the list later version-3 records of the segment refer to.
void decode_records(const std::vector<Read>& records) {
  runtime::NameList names;
  const runtime::NameList* list = nullptr;
  for (const Read& r : records) {
    const std::string_view payload = r.payload;
    switch (static_cast<runtime::RecordKind>(r.type)) {
      case runtime::RecordKind::Definition: decode_plain<runtime::DefinitionRecord>(payload); break;
      case runtime::RecordKind::Event: decode_events(payload, list); break;
      case runtime::RecordKind::Decision:
      case runtime::RecordKind::Decisions: decode_decisions(r.type, payload, list); break;
      case runtime::RecordKind::Attempt: decode_named<runtime::AttemptRecord>(payload, list); break;
      case runtime::RecordKind::DeadLetter: decode_plain<runtime::DeadLetterRecord>(payload); break;
      case runtime::RecordKind::Rejected: decode_plain<runtime::RejectedRecord>(payload); break;
      case runtime::RecordKind::Instance: decode_named<runtime::InstanceRecord>(payload, list); break;
      case runtime::RecordKind::Names: list = names.assign(payload) ? &names : nullptr; break;
      default: break;  // a type the runtime does not write: the storage layer carries it anyway
    }
  }
}

// ---- The segment file -------------------------------------------------------

/// The input with its header's and every whole frame's checksum recomputed.
std::string sealed(std::string bytes) {
  auto* data = reinterpret_cast<std::byte*>(bytes.data());
  if (bytes.size() >= kSegmentHeaderSize) {
    store_u32_le(data + 28, crc32c_mask(crc32c(data, 28)));
  }
  size_t at = kSegmentHeaderSize;
  while (at + kRecordHeaderSize <= bytes.size()) {
    const uint32_t length = load_u32_le(data + at);
    if (length > bytes.size() - at - kRecordHeaderSize) break;
    const auto type = static_cast<RecordType>(data[at + kRecordTypeOffset]);
    const std::span<const std::byte> payload(data + at + kRecordHeaderSize, length);
    store_u32_le(data + at + kRecordCrcOffset, crc32c_mask(record_crc(type, payload)));
    at += kRecordHeaderSize + length;
  }
  return bytes;
}

void write_segment(const fs::path& dir, const SegmentFile& file, std::string_view bytes) {
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(dir)) fs::remove_all(entry.path(), ignored);
  std::ofstream out(file.path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  FLOW_FUZZ_CHECK(out.good(), "cannot write the segment file");
}

/// The records a Stop-policy reader reads: the journal's intact prefix.
std::vector<Read> intact_prefix(const fs::path& dir, bool& stopped) {
  JournalReader reader(dir, ReaderOptions{CorruptionPolicy::Stop});
  std::vector<Read> out;
  Record record;
  while (reader.next(record)) out.push_back({record.type, text_of(record.payload), record.position});
  stopped = reader.stopped();
  return out;
}

/// Tail recovery on open, then one append: the journal must then read back
/// whole, ending with that record.
void check_recovery(const fs::path& dir, const std::vector<Read>& prefix) {
  const std::string payload = "fuzz";
  {
    JournalWriter writer;
    try {
      writer.open(dir, WriterOptions{.fsync = FsyncMode::Never});
    } catch (const JournalError&) {
      return;  // refused (a damaged header on a segment with data): left for a person, as documented
    }
    writer.append(RecordType{2}, payload);
    writer.close();
  }
  bool stopped = false;
  const std::vector<Read> after = intact_prefix(dir, stopped);
  FLOW_FUZZ_CHECK(!stopped, "the journal has a problem after recovery and an append");
  FLOW_FUZZ_CHECK(!after.empty() && after.back().payload == payload, "the appended record is not the last one");
  FLOW_FUZZ_CHECK(std::vector<Read>(after.begin(), after.end() - 1) == prefix,
                  "recovery lost or changed records of the intact prefix");
}

void read_journal(std::string_view bytes) {
  const fs::path& dir = scratch();
  // The file is named for the header's segment number when it has one, so
  // that sealed inputs are not all reported as misnamed.
  SegmentFile file;
  file.number = 1;
  if (bytes.size() >= 16) file.number = load_u32_le(reinterpret_cast<const std::byte*>(bytes.data()) + 12);
  file.path = dir / segment_file_name(file.number);
  write_segment(dir, file, bytes);

  std::string windowed_problem, read_problem, mapped_problem;
  const std::vector<Read> windowed = read_segment(SegmentReader(file, 64), windowed_problem);
  const std::vector<Read> whole = read_segment(SegmentReader(file, WholeFile::Read), read_problem);
  const std::vector<Read> mapped = read_segment(SegmentReader(file, WholeFile::Map), mapped_problem);
  FLOW_FUZZ_CHECK(windowed == whole && whole == mapped, "the segment readers read different records");
  FLOW_FUZZ_CHECK(windowed_problem == read_problem && read_problem == mapped_problem,
                  ("the segment readers report different problems: " + windowed_problem + " | " + read_problem + " | " +
                   mapped_problem)
                      .c_str());

  JournalReader reader(dir, ReaderOptions{CorruptionPolicy::SkipSegment});
  std::vector<Read> all;
  Record record;
  while (reader.next(record)) all.push_back({record.type, text_of(record.payload), record.position});
  for (const Problem& p : reader.problems()) describe(p);

  const VerifyReport report = verify(dir);
  format_report(report);
  FLOW_FUZZ_CHECK(report.records == all.size(), "verify counts other records than the reader reads");

  decode_records(all);

  bool stopped = false;
  const std::vector<Read> prefix = intact_prefix(dir, stopped);
  check_recovery(dir, prefix);
}

}  // namespace

void journal_one_input(std::string_view bytes) {
  read_journal(bytes);
  const std::string resealed = sealed(std::string(bytes));
  if (resealed != bytes) read_journal(resealed);
}

}  // namespace flow::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  flow::fuzz::journal_one_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
