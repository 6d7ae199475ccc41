// The query index: building it from the segments, bringing it up to date,
// its file format, and lookups. See journal_index.h and docs/journal.md.
//
// File layout (little-endian; every section 8-byte aligned):
//   0    magic "FLOWJIDX"
//   8    u32 format version (2)
//   12   u32 block size (4096)
//   16   u64 file size
//   24   u64 offset of the CRC table (= end of the sections)
//   32   u32 section count (8), u32 reserved
//   40   8 x { u64 offset, u64 size }: meta (JSON), positions (u64 per
//        ordinal), journal times (i64 per ordinal), kinds (u8 per ordinal),
//        instance pairs, key pairs, event pairs ({u64 hash, u64 value}
//        sorted by hash then value), definition summaries (JSON texts)
//   ...  sections
//   end  u32 masked CRC32C per 4 KiB block of everything before the table,
//        then a u32 masked CRC32C of the table itself.
// Blocks are checked when a lookup first touches them, so a query reads a
// few pages of a large index, never all of it.
#include "queries/index/journal_index.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "base/read_at.h"
#include "journal/crc32c.h"
#include "journal/journal_problem.h"
#include "journal/segment_format.h"
#include "journal/segment_reader.h"
#include "queries/common/record_access.h"

namespace flow::runtime::queries {

namespace {

using nlohmann::json;
using Pair = std::pair<uint64_t, uint64_t>;

constexpr char kMagic[8] = {'F', 'L', 'O', 'W', 'J', 'I', 'D', 'X'};
// 2: journals with names records (version-3 payloads); segments whose
// records do not decode are noted as damaged.
constexpr uint32_t kIndexVersion = 2;
constexpr uint64_t kBlock = 4096;
constexpr size_t kSections = 8;
constexpr size_t kHeaderSize = 40 + kSections * 16;
enum Section : size_t { kMeta, kPositions, kTimes, kKinds, kInstancePairs, kKeyPairs, kEventPairs, kSummaries };

// Decisions carry only their event's id; the builder attributes them to the
// event's instance. The engine writes an event's decisions right after it,
// so the last event is nearly always the one; this many recent events are
// remembered for the rest.
constexpr size_t kRecentEvents = 65536;

struct SegmentEntry {
  uint32_t number = 0;
  uint64_t file_size = 0;    // as read
  uint64_t indexed_end = 0;  // just past the last whole record indexed
  uint64_t inode = 0;
  uint64_t last_frame_offset = 0;
  uint64_t last_frame_head = 0;  // its length and CRC fields: tells a rewritten file from a grown one
  uint64_t first_ordinal = 0;
  uint64_t records = 0;
  std::string problem;  // damage that stopped reading it ("" when none)
};

/// Everything the index holds, as vectors: what the builder fills and the
/// file is written from. An update starts from the old file's contents.
struct IndexData {
  /// The ordinal of positions[0]: 0, but for a live index's records added
  /// after it was opened (JournalIndex::refresh), which continue the file's.
  uint64_t first_ordinal = 0;
  std::vector<SegmentEntry> segments;
  std::vector<uint64_t> positions;
  std::vector<int64_t> times;
  std::vector<uint8_t> kinds;
  std::vector<Pair> instance_pairs, key_pairs, event_pairs;
  std::vector<Pair> seq_breaks;
  std::vector<DefinitionSummary> definitions;
  std::vector<std::string> summaries;  // to_json of each definition
  std::vector<std::string> gaps;       // missing segment numbers and the like
  int64_t last_time = std::numeric_limits<int64_t>::min();
  bool have_expected_seq = false;
  uint64_t expected_seq = 0;
  bool have_last_event = false;
  Pair last_event{0, 0};  // (id hash, instance hash)

  uint64_t next_ordinal() const { return first_ordinal + positions.size(); }
};

void put_u32(std::string& out, size_t at, uint32_t v) {
  journal::store_u32_le(reinterpret_cast<std::byte*>(&out[at]), v);
}
void put_u64(std::string& out, size_t at, uint64_t v) {
  journal::store_u64_le(reinterpret_cast<std::byte*>(&out[at]), v);
}
void append_u64(std::string& out, uint64_t v) {
  size_t at = out.size();
  out.resize(at + 8);
  put_u64(out, at, v);
}
void align8(std::string& out) {
  out.resize((out.size() + 7) & ~size_t{7}, '\0');
}

uint64_t inode_of(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_ino) : 0;
}

/// The 8 bytes (length, CRC) of the frame at `offset` of a segment file; 0 when unreadable.
uint64_t frame_head(const std::filesystem::path& path, uint64_t offset) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  std::byte head[8];
  bool ok = read_at(fd, head, sizeof head, offset);
  ::close(fd);
  return ok ? journal::load_u64_le(head) : 0;
}

// ---- Building ---------------------------------------------------------------

class Builder {
 public:
  explicit Builder(IndexData& data) : d_(data) {}

  /// Reads `file` from its start, indexing the records at offsets >= `from`
  /// (earlier ones are already in the index). `entry` is updated.
  void scan(const journal::SegmentFile& file, uint64_t from, SegmentEntry& entry, bool last_segment) {
    journal::SegmentReader reader(file);
    entry.number = file.number;
    entry.inode = inode_of(file.path);
    if (!reader.header_ok()) {
      entry.file_size = reader.file_size();
      entry.problem = reader.problem() ? journal::describe(*reader.problem()) : "unreadable segment header";
      return;
    }
    uint64_t first_seq = reader.header().first_sequence;
    journal::Record record;
    uint64_t index_in_segment = 0, undecodable = 0, first_undecodable = 0;
    SegmentNames segment_names;
    if (from > journal::kSegmentHeaderSize && reader.next(record)) {
      // Continuing a segment indexed up to `from`: its first record (the
      // list of names, when it has one) for decoding, then straight on at
      // `from` without reading what is in between again.
      segment_names.observe(
          record.position.segment, record.type,
          std::string_view(reinterpret_cast<const char*>(record.payload.data()), record.payload.size()));
      if (reader.resume_at(from, entry.records)) index_in_segment = entry.records;
    }
    while (reader.next(record)) {
      uint64_t seq = first_seq + index_in_segment++;
      // Records indexed before still count for the segment's names.
      const NameList* names = segment_names.observe(
          record.position.segment, record.type,
          std::string_view(reinterpret_cast<const char*>(record.payload.data()), record.payload.size()));
      if (record.position.offset < from) continue;
      if (!add(record, seq, names) && undecodable++ == 0) first_undecodable = seq;
      entry.last_frame_offset = record.position.offset;
      ++entry.records;
    }
    entry.file_size = reader.file_size();
    entry.indexed_end = std::max(entry.indexed_end, reader.valid_end());
    if (entry.records > 0) entry.last_frame_head = frame_head(file.path, entry.last_frame_offset);
    const std::string earlier = std::move(entry.problem);
    entry.problem.clear();
    if (reader.problem()) {
      const auto& p = *reader.problem();
      // A short or overlong last frame of the last segment is a write in
      // progress (or a crash's torn tail the writer will cut): not damage.
      bool tail = last_segment &&
                  (p.kind == journal::ProblemKind::ShortRecordHeader || p.kind == journal::ProblemKind::PastEndOfFile);
      if (!tail) entry.problem = journal::describe(p);
    }
    // Whole records whose payload does not decode (a wrong list of names,
    // a record of an unknown kind) are damage too; an incremental scan
    // keeps what an earlier one found in the records it does not read again.
    if (entry.problem.empty() && undecodable > 0) {
      entry.problem = journal::segment_file_name(file.number) + ": " + std::to_string(undecodable) +
                      " record(s) from #" + std::to_string(first_undecodable) + " do not decode";
    } else if (entry.problem.empty() && from > 0 && earlier.ends_with(" do not decode")) {
      entry.problem = earlier;
    }
  }

 private:
  /// Indexes one record; false when its payload does not decode (it keeps
  /// its place and time, and nothing refers to it).
  bool add(const journal::Record& record, uint64_t seq, const NameList* names) {
    uint64_t ordinal = d_.next_ordinal();
    if (!d_.have_expected_seq || seq != d_.expected_seq) d_.seq_breaks.push_back({ordinal, seq});
    d_.have_expected_seq = true;
    d_.expected_seq = seq + 1;
    std::string_view payload(reinterpret_cast<const char*>(record.payload.data()), record.payload.size());
    // Decoded into reused records: their strings keep their capacity, so
    // indexing millions of records allocates next to nothing.
    int64_t own = 0;
    bool timed = false, decoded = false;
    switch (static_cast<RecordKind>(record.type)) {
      case RecordKind::Event:
        if ((decoded = decode(payload, event_, names))) own = event_.dispatched_us, timed = true;
        break;
      case RecordKind::Decision:
      case RecordKind::Decisions:
        decoded = decode_decisions(record.type, payload, decisions_, names) && !decisions_.empty();
        break;
      case RecordKind::Attempt:
        if ((decoded = decode(payload, attempt_, names))) own = attempt_.ended_us, timed = true;
        break;
      case RecordKind::DeadLetter:
        if ((decoded = decode(payload, dead_))) own = dead_.time_us, timed = true;
        break;
      case RecordKind::Instance:
        if ((decoded = decode(payload, status_, names))) own = status_.time_us, timed = true;
        break;
      case RecordKind::Rejected:
        if ((decoded = decode(payload, rejected_))) own = rejected_.time_us, timed = true;
        break;
      case RecordKind::Definition:
        if ((decoded = decode(payload, definition_))) own = definition_.activated_us, timed = true;
        break;
      case RecordKind::Names: decoded = names != nullptr; break;
    }
    if (timed) d_.last_time = std::max(d_.last_time, own);
    if (d_.last_time == std::numeric_limits<int64_t>::min()) d_.last_time = own;
    d_.positions.push_back(pack_position(record.position.segment, record.position.offset));
    d_.times.push_back(d_.last_time);
    d_.kinds.push_back(record.type);
    if (!decoded) return false;

    switch (static_cast<RecordKind>(record.type)) {
      case RecordKind::Event: {
        uint64_t id = hash_text(event_.id), instance = hash_text(event_.instance);
        d_.event_pairs.push_back({id, ordinal});
        d_.instance_pairs.push_back({instance, ordinal});
        d_.have_last_event = true;
        d_.last_event = {id, instance};
        remember(id, instance);
        break;
      }
      case RecordKind::Decision:
      case RecordKind::Decisions: {
        uint64_t id = hash_text(decisions_[0].event);
        if (d_.have_last_event && d_.last_event.first == id) {
          d_.instance_pairs.push_back({d_.last_event.second, ordinal});
        } else if (auto it = recent_.find(id); it != recent_.end()) {
          d_.instance_pairs.push_back({it->second, ordinal});
        }
        break;
      }
      case RecordKind::Attempt: d_.instance_pairs.push_back({hash_text(attempt_.instance), ordinal}); break;
      case RecordKind::DeadLetter: d_.instance_pairs.push_back({hash_text(dead_.instance), ordinal}); break;
      case RecordKind::Instance: {
        uint64_t instance = hash_text(status_.instance);
        d_.instance_pairs.push_back({instance, ordinal});
        if (!status_.key.empty()) d_.key_pairs.push_back({hash_text(status_.key), instance});
        break;
      }
      case RecordKind::Definition: add_definition(definition_, ordinal); break;
      case RecordKind::Rejected:
      case RecordKind::Names: break;
    }
    return true;
  }

  void remember(uint64_t id, uint64_t instance) {
    recent_[id] = instance;
    order_.push_back(id);
    if (order_.size() > kRecentEvents) {
      recent_.erase(order_.front());
      order_.pop_front();
    }
  }

  void add_definition(const DefinitionRecord& r, uint64_t ordinal) {
    for (const auto& d : d_.definitions) {
      if (d.hash == r.hash) return;  // a version seen before keeps its number
    }
    DefinitionSummary s;
    s.version = static_cast<int>(d_.definitions.size()) + 1;
    s.hash = r.hash;
    s.activated_us = r.activated_us;
    s.source = r.source;
    s.ordinal = ordinal;
    if (r.artifact.empty()) {
      s.load_error = "the definition record holds no artifact";
    } else {
      std::string error;
      auto app = load_app_from_bytes(r.artifact, "definition " + r.hash.substr(0, 12), error);
      if (app)
        summarise(*app, s);
      else
        s.load_error = error;
    }
    d_.summaries.push_back(to_json(s));
    d_.definitions.push_back(std::move(s));
  }

  IndexData& d_;
  EventRecord event_;
  std::vector<DecisionRecord> decisions_;
  AttemptRecord attempt_;
  DeadLetterRecord dead_;
  InstanceRecord status_;
  RejectedRecord rejected_;
  DefinitionRecord definition_;
  std::unordered_map<uint64_t, uint64_t> recent_;
  std::deque<uint64_t> order_;
};

// ---- The file ---------------------------------------------------------------

json meta_json(const IndexData& d) {
  json segments = json::array();
  for (const auto& s : d.segments) {
    segments.push_back({{"number", s.number},
                        {"file_size", s.file_size},
                        {"indexed_end", s.indexed_end},
                        {"inode", s.inode},
                        {"last_frame_offset", s.last_frame_offset},
                        {"last_frame_head", s.last_frame_head},
                        {"first_ordinal", s.first_ordinal},
                        {"records", s.records},
                        {"problem", s.problem}});
  }
  json breaks = json::array();
  for (const auto& [o, s] : d.seq_breaks) breaks.push_back({o, s});
  json definitions = json::array();
  for (const auto& def : d.definitions) {
    definitions.push_back({{"hash", def.hash},
                           {"version", def.version},
                           {"ordinal", def.ordinal},
                           {"activated_us", def.activated_us},
                           {"source", def.source}});
  }
  return {{"segments", segments},
          {"records", d.positions.size()},
          {"last_time", d.last_time},
          {"seq_breaks", breaks},
          {"have_expected_seq", d.have_expected_seq},
          {"expected_seq", d.expected_seq},
          {"have_last_event", d.have_last_event},
          {"last_event", {d.last_event.first, d.last_event.second}},
          {"gaps", d.gaps},
          {"definitions", definitions}};
}

/// The file's bytes. Takes the data apart as it goes (each table is freed
/// once written), so building a large index needs little more than the
/// index's own size.
std::string serialize(IndexData& d) {
  std::string out(kHeaderSize, '\0');
  std::memcpy(out.data(), kMagic, 8);
  put_u32(out, 8, kIndexVersion);
  put_u32(out, 12, static_cast<uint32_t>(kBlock));
  put_u32(out, 32, static_cast<uint32_t>(kSections));
  align8(out);
  uint64_t sections[kSections][2] = {};
  auto begin = [&](Section s) {
    align8(out);
    sections[s][0] = out.size();
  };
  auto end = [&](Section s) { sections[s][1] = out.size() - sections[s][0]; };

  begin(kMeta);
  out += meta_json(d).dump(-1, ' ', false, json::error_handler_t::replace);
  end(kMeta);
  out.reserve(out.size() + d.positions.size() * 17 +
              (d.instance_pairs.size() + d.key_pairs.size() + d.event_pairs.size()) * 16 + (1u << 20));
  begin(kPositions);
  for (uint64_t p : d.positions) append_u64(out, p);
  end(kPositions);
  std::vector<uint64_t>().swap(d.positions);
  begin(kTimes);
  for (int64_t t : d.times) append_u64(out, static_cast<uint64_t>(t));
  end(kTimes);
  std::vector<int64_t>().swap(d.times);
  begin(kKinds);
  out.append(reinterpret_cast<const char*>(d.kinds.data()), d.kinds.size());
  end(kKinds);
  std::vector<uint8_t>().swap(d.kinds);
  for (auto [section, pairs] : {std::pair{kInstancePairs, &d.instance_pairs}, std::pair{kKeyPairs, &d.key_pairs},
                                std::pair{kEventPairs, &d.event_pairs}}) {
    begin(section);
    for (const auto& [a, b] : *pairs) {
      append_u64(out, a);
      append_u64(out, b);
    }
    end(section);
    std::vector<Pair>().swap(*pairs);
  }
  begin(kSummaries);
  // Each summary is length-prefixed so one can be parsed without the others.
  for (const auto& s : d.summaries) {
    append_u64(out, s.size());
    out += s;
    align8(out);
  }
  end(kSummaries);
  align8(out);

  for (size_t s = 0; s < kSections; ++s) {
    put_u64(out, 40 + s * 16, sections[s][0]);
    put_u64(out, 48 + s * 16, sections[s][1]);
  }
  uint64_t table = out.size();
  uint64_t blocks = (table + kBlock - 1) / kBlock;
  uint64_t size = table + blocks * 4 + 4;
  put_u64(out, 16, size);
  put_u64(out, 24, table);
  std::string crcs;
  crcs.resize(blocks * 4);
  for (uint64_t b = 0; b < blocks; ++b) {
    uint64_t len = std::min(kBlock, table - b * kBlock);
    put_u32(crcs, b * 4, journal::crc32c_mask(journal::crc32c(out.data() + b * kBlock, len)));
  }
  out += crcs;
  std::string tail(4, '\0');
  put_u32(tail, 0, journal::crc32c_mask(journal::crc32c(crcs.data(), crcs.size())));
  out += tail;
  return out;
}

}  // namespace

// ---- Reading ----------------------------------------------------------------

/// The bytes of an index (a mapped file or a buffer built in this process)
/// and their lazily checked blocks.
struct JournalIndex::Impl {
  std::string owned;  // when built here
  const char* base = nullptr;
  size_t size = 0;
  void* mapping = nullptr;  // when mapped
  uint64_t table = 0;       // offset of the CRC table
  uint64_t sections[kSections][2] = {};
  mutable std::vector<bool> checked;
  bool trusted = false;  // built in this process: nothing to check

  ~Impl() {
    if (mapping) ::munmap(mapping, size);
  }

  void check(uint64_t offset, uint64_t length) const {
    if (trusted || length == 0) return;
    if (offset + length > table) throw IndexCorrupt("lookup outside the index");
    for (uint64_t b = offset / kBlock; b <= (offset + length - 1) / kBlock; ++b) {
      if (checked[b]) continue;
      uint64_t len = std::min(kBlock, table - b * kBlock);
      uint32_t stored = journal::load_u32_le(reinterpret_cast<const std::byte*>(base + table + b * 4));
      if (journal::crc32c_mask(journal::crc32c(base + b * kBlock, len)) != stored) {
        throw IndexCorrupt("checksum mismatch in block " + std::to_string(b));
      }
      checked[b] = true;
    }
  }
  std::string_view bytes(Section s) const {
    check(sections[s][0], sections[s][1]);
    return {base + sections[s][0], sections[s][1]};
  }
  uint64_t count(Section s, uint64_t width) const { return sections[s][1] / width; }
  uint64_t u64(Section s, uint64_t i) const {
    uint64_t at = sections[s][0] + i * 8;
    check(at, 8);
    return journal::load_u64_le(reinterpret_cast<const std::byte*>(base + at));
  }
  Pair pair(Section s, uint64_t i) const { return {u64(s, 2 * i), u64(s, 2 * i + 1)}; }
  /// The run of pairs with first == hash.
  std::vector<uint64_t> lookup(Section s, uint64_t hash) const {
    uint64_t lo = 0, hi = count(s, 16);
    while (lo < hi) {
      uint64_t mid = lo + (hi - lo) / 2;
      if (u64(s, 2 * mid) < hash)
        lo = mid + 1;
      else
        hi = mid;
    }
    std::vector<uint64_t> out;
    for (uint64_t i = lo; i < count(s, 16); ++i) {
      Pair p = pair(s, i);
      if (p.first != hash) break;
      out.push_back(p.second);
    }
    return out;
  }

  /// Checks the header and the CRC table; false (with `why`) when the bytes
  /// are not a usable index.
  bool parse(std::string& why) {
    if (size < kHeaderSize || std::memcmp(base, kMagic, 8) != 0) return why = "not an index file", false;
    auto u32at = [&](size_t at) { return journal::load_u32_le(reinterpret_cast<const std::byte*>(base + at)); };
    auto u64at = [&](size_t at) { return journal::load_u64_le(reinterpret_cast<const std::byte*>(base + at)); };
    if (u32at(8) != kIndexVersion) return why = "index format " + std::to_string(u32at(8)), false;
    if (u32at(12) != kBlock || u32at(32) != kSections) return why = "unexpected index layout", false;
    if (u64at(16) != size) return why = "index file has the wrong size", false;
    table = u64at(24);
    uint64_t blocks = (table + kBlock - 1) / kBlock;
    if (table > size || size - table != blocks * 4 + 4) return why = "index CRC table misplaced", false;
    uint32_t stored = u32at(static_cast<size_t>(size - 4));
    if (journal::crc32c_mask(journal::crc32c(base + table, blocks * 4)) != stored) {
      return why = "index CRC table damaged", false;
    }
    checked.assign(blocks, false);
    try {
      check(0, kHeaderSize);
    } catch (const IndexCorrupt&) {
      return why = "index header damaged", false;
    }
    for (size_t s = 0; s < kSections; ++s) {
      sections[s][0] = u64at(40 + s * 16);
      sections[s][1] = u64at(48 + s * 16);
      if (sections[s][0] > table || sections[s][1] > table - sections[s][0])
        return why = "index section misplaced", false;
    }
    return true;
  }
};

namespace {

/// Maps an existing index file; null with `why` when it is missing or unusable.
std::unique_ptr<JournalIndex::Impl> map_file(const std::filesystem::path& path, std::string& why);

struct LoadedMeta {
  json meta;
  std::vector<SegmentEntry> segments;
};

bool parse_meta(const JournalIndex::Impl& impl, LoadedMeta& out, std::string& why) {
  try {
    std::string_view text = impl.bytes(kMeta);
    out.meta = json::parse(text);
    for (const auto& s : out.meta.at("segments")) {
      SegmentEntry e;
      e.number = s.at("number").get<uint32_t>();
      e.file_size = s.at("file_size").get<uint64_t>();
      e.indexed_end = s.at("indexed_end").get<uint64_t>();
      e.inode = s.at("inode").get<uint64_t>();
      e.last_frame_offset = s.at("last_frame_offset").get<uint64_t>();
      e.last_frame_head = s.at("last_frame_head").get<uint64_t>();
      e.first_ordinal = s.at("first_ordinal").get<uint64_t>();
      e.records = s.at("records").get<uint64_t>();
      e.problem = s.at("problem").get<std::string>();
      out.segments.push_back(std::move(e));
    }
    if (impl.count(kPositions, 8) != out.meta.at("records").get<uint64_t>() ||
        impl.count(kTimes, 8) != impl.count(kPositions, 8) || impl.sections[kKinds][1] != impl.count(kPositions, 8)) {
      why = "index tables disagree";
      return false;
    }
  } catch (const IndexCorrupt& e) {
    why = e.what();
    return false;
  } catch (const json::exception& e) {
    why = std::string("index metadata unreadable: ") + e.what();
    return false;
  }
  return true;
}

std::unique_ptr<JournalIndex::Impl> map_file(const std::filesystem::path& path, std::string& why) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    why = errno == ENOENT ? "no index yet" : "cannot open the index: " + journal::detail::errno_text(errno);
    return nullptr;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
    ::close(fd);
    why = "empty index file";
    return nullptr;
  }
  auto impl = std::make_unique<JournalIndex::Impl>();
  impl->size = static_cast<size_t>(st.st_size);
  impl->mapping = ::mmap(nullptr, impl->size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (impl->mapping == MAP_FAILED) {
    impl->mapping = nullptr;
    why = "cannot map the index";
    return nullptr;
  }
  impl->base = static_cast<const char*>(impl->mapping);
  if (!impl->parse(why)) return nullptr;
  return impl;
}

enum class Freshness { Fresh, Grown, Stale };

/// Compares the segments an index describes with those in the folder.
Freshness compare(const std::vector<SegmentEntry>& indexed, const std::vector<journal::SegmentFile>& present,
                  std::string& why) {
  if (indexed.size() > present.size()) return why = "segments were removed", Freshness::Stale;
  bool grown = present.size() > indexed.size();
  for (size_t i = 0; i < indexed.size(); ++i) {
    const SegmentEntry& e = indexed[i];
    const auto& file = present[i];
    if (file.number != e.number) return why = "segment files changed", Freshness::Stale;
    if (inode_of(file.path) != e.inode)
      return why = "segment " + std::to_string(e.number) + " was replaced", Freshness::Stale;
    std::error_code ec;
    uint64_t size = std::filesystem::file_size(file.path, ec);
    if (ec) return why = "cannot stat segment " + std::to_string(e.number), Freshness::Stale;
    if (size < e.file_size) return why = "segment " + std::to_string(e.number) + " shrank", Freshness::Stale;
    if (e.records > 0 && frame_head(file.path, e.last_frame_offset) != e.last_frame_head) {
      return why = "segment " + std::to_string(e.number) + " was rewritten", Freshness::Stale;
    }
    if (size > e.file_size) {
      // Only the last indexed segment can grow: the writer never goes back.
      if (i + 1 != indexed.size()) return why = "an earlier segment changed", Freshness::Stale;
      grown = true;
    }
  }
  return grown ? Freshness::Grown : Freshness::Fresh;
}

/// What an existing index knows about where it stopped (its segments, the
/// sequence and time it reached, the last event, gaps), to continue from.
void restore_state(const LoadedMeta& loaded, IndexData& d) {
  const json& m = loaded.meta;
  d.segments = loaded.segments;
  for (const auto& b : m.at("seq_breaks")) d.seq_breaks.push_back({b.at(0).get<uint64_t>(), b.at(1).get<uint64_t>()});
  d.last_time = m.at("last_time").get<int64_t>();
  d.have_expected_seq = m.at("have_expected_seq").get<bool>();
  d.expected_seq = m.at("expected_seq").get<uint64_t>();
  d.have_last_event = m.at("have_last_event").get<bool>();
  d.last_event = {m.at("last_event").at(0).get<uint64_t>(), m.at("last_event").at(1).get<uint64_t>()};
  d.gaps = m.at("gaps").get<std::vector<std::string>>();
}

/// The vectors of an existing index, to continue building from.
void expand(const JournalIndex::Impl& impl, const LoadedMeta& loaded, IndexData& d) {
  restore_state(loaded, d);
  uint64_t n = impl.count(kPositions, 8);
  d.positions.resize(n);
  d.times.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    d.positions[i] = impl.u64(kPositions, i);
    d.times[i] = static_cast<int64_t>(impl.u64(kTimes, i));
  }
  std::string_view kinds = impl.bytes(kKinds);
  d.kinds.assign(kinds.begin(), kinds.end());
  for (auto [section, pairs] : {std::pair{kInstancePairs, &d.instance_pairs}, std::pair{kKeyPairs, &d.key_pairs},
                                std::pair{kEventPairs, &d.event_pairs}}) {
    uint64_t count = impl.count(section, 16);
    pairs->resize(count);
    for (uint64_t i = 0; i < count; ++i) (*pairs)[i] = impl.pair(section, i);
  }
  std::string_view blob = impl.bytes(kSummaries);
  size_t at = 0;
  while (at + 8 <= blob.size()) {
    uint64_t len = journal::load_u64_le(reinterpret_cast<const std::byte*>(blob.data() + at));
    at += 8;
    if (len > blob.size() - at) throw IndexCorrupt("definition summaries damaged");
    std::string text(blob.substr(at, len));
    DefinitionSummary s;
    if (!from_json(text, s)) throw IndexCorrupt("definition summary unreadable");
    d.definitions.push_back(std::move(s));
    d.summaries.push_back(std::move(text));
    at = (at + len + 7) & ~size_t{7};
  }
}

/// Indexes `present[resume...]`: the first one from offset `from` when the
/// index already holds it (up to there), the others whole.
void scan_segments(Builder& builder, IndexData& data, const std::vector<journal::SegmentFile>& present, size_t resume,
                   uint64_t from) {
  for (size_t i = resume; i < present.size(); ++i) {
    bool continuing = i < data.segments.size();
    if (!continuing) {
      SegmentEntry entry;
      entry.first_ordinal = data.next_ordinal();
      if (!data.segments.empty() && present[i].number != data.segments.back().number + 1) {
        data.gaps.push_back("segments " + std::to_string(data.segments.back().number + 1) + " to " +
                            std::to_string(present[i].number - 1) + " are missing");
      }
      data.segments.push_back(entry);
    }
    builder.scan(present[i], continuing ? from : 0, data.segments[i], i + 1 == present.size());
  }
}

void sort_merge(std::vector<Pair>& pairs, size_t sorted_prefix, bool unique) {
  std::sort(pairs.begin() + static_cast<std::ptrdiff_t>(sorted_prefix), pairs.end());
  std::inplace_merge(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(sorted_prefix), pairs.end());
  if (unique) pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
}

bool write_file(const std::filesystem::path& dir, const std::string& bytes, std::string& error) {
  std::filesystem::path final_path = dir / kIndexFileName;
  std::filesystem::path temp = dir / (std::string(kIndexFileName) + ".tmp." + std::to_string(::getpid()));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot write " + temp.string() + ": " + journal::detail::errno_text(errno);
    return false;
  }
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = "cannot write " + temp.string() + ": " + journal::detail::errno_text(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  ::close(fd);
  // No fsync: the index is a cache; a torn one fails its checks and is rebuilt.
  if (::rename(temp.c_str(), final_path.c_str()) != 0) {
    error = "cannot rename " + temp.string() + ": " + journal::detail::errno_text(errno);
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

}  // namespace

/// The records refresh() added: their positions, times and kinds (ordinals
/// from the index's base_records_ on) and the builder's state to go on
/// from, and their lookup pairs in hash tables, which take a pair in
/// constant time where the file's sorted tables would need a merge.
struct JournalIndex::Live {
  IndexData data;  // positions, times and kinds: the live records only
  Builder builder{data};
  std::unordered_map<uint64_t, std::vector<uint64_t>> instances, keys, events;
  size_t definitions = 0;  // of data.definitions, those the index lists already

  void append(const std::unordered_map<uint64_t, std::vector<uint64_t>>& table, uint64_t hash,
              std::vector<uint64_t>& out) const {
    auto it = table.find(hash);
    if (it != table.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
};

JournalIndex::~JournalIndex() = default;

std::unique_ptr<JournalIndex> JournalIndex::open(const std::filesystem::path& dir, const IndexOpenOptions& options,
                                                 IndexOpenReport& report) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw std::runtime_error("no journal at '" + dir.string() + "'");
  std::vector<journal::SegmentFile> present = journal::list_segments(dir);

  std::unique_ptr<Impl> impl;
  LoadedMeta loaded;
  Freshness freshness = Freshness::Stale;
  report = {};
  if (!options.force_rebuild) {
    impl = map_file(dir / kIndexFileName, report.reason);
    if (impl && !parse_meta(*impl, loaded, report.reason)) impl.reset();
    if (impl) freshness = compare(loaded.segments, present, report.reason);
  } else {
    report.reason = "rebuild requested";
  }

  if (!impl || freshness != Freshness::Fresh) {
    IndexData data;
    size_t resume = 0;  // index into `present` of the first segment to read
    uint64_t from = 0;
    report.how = IndexOpenReport::How::Built;
    if (impl && freshness == Freshness::Grown) {
      try {
        expand(*impl, loaded, data);
        report.how = IndexOpenReport::How::Updated;
        report.reason = "the journal grew";
        resume = data.segments.size() - (data.segments.empty() ? 0 : 1);
        if (!data.segments.empty()) from = data.segments.back().indexed_end;
      } catch (const std::exception& e) {
        data = IndexData{};
        report.how = IndexOpenReport::How::Built;
        report.reason = std::string("index damaged: ") + e.what();
      }
    }
    size_t sorted_instances = data.instance_pairs.size(), sorted_keys = data.key_pairs.size(),
           sorted_events = data.event_pairs.size();
    uint64_t before = data.positions.size();
    Builder builder(data);
    scan_segments(builder, data, present, resume, from);
    sort_merge(data.instance_pairs, sorted_instances, false);
    sort_merge(data.key_pairs, sorted_keys, true);
    sort_merge(data.event_pairs, sorted_events, false);
    report.new_records = data.positions.size() - before;

    impl = std::make_unique<Impl>();
    impl->owned = serialize(data);
    impl->base = impl->owned.data();
    impl->size = impl->owned.size();
    std::string why;
    if (!impl->parse(why)) throw std::logic_error("query index does not read back: " + why);
    impl->trusted = true;
    loaded = {};
    if (!parse_meta(*impl, loaded, why)) throw std::logic_error("query index does not read back: " + why);
    // A folder without segments is not (yet) a journal: leave nothing in it.
    if (options.persist && !present.empty()) report.saved = write_file(dir, impl->owned, report.save_error);
  }

  auto index = std::unique_ptr<JournalIndex>(new JournalIndex());
  index->dir_ = dir;
  index->options_ = options;
  index->options_.force_rebuild = false;
  index->impl_ = std::move(impl);
  const json& m = loaded.meta;
  index->records_ = m.at("records").get<uint64_t>();
  index->last_time_ = m.at("last_time").get<int64_t>();
  for (const auto& b : m.at("seq_breaks")) {
    index->seq_breaks_.push_back({b.at(0).get<uint64_t>(), b.at(1).get<uint64_t>()});
  }
  for (const auto& s : loaded.segments) {
    if (!s.problem.empty()) index->problem_details_.push_back(s.problem);
  }
  for (const auto& g : m.at("gaps")) index->problem_details_.push_back(g.get<std::string>());
  index->problems_ = index->problem_details_.size();
  for (const auto& d : m.at("definitions")) {
    DefinitionSummary s;
    s.hash = d.at("hash").get<std::string>();
    s.version = d.at("version").get<int>();
    s.ordinal = d.at("ordinal").get<uint64_t>();
    s.activated_us = d.at("activated_us").get<int64_t>();
    s.source = d.at("source").get<std::string>();
    index->definitions_.push_back(std::move(s));
  }
  index->definitions_parsed_.assign(index->definitions_.size(), false);
  return index;
}

void JournalIndex::start_live() {
  auto live = std::make_unique<Live>();
  LoadedMeta loaded;
  std::string why;
  if (!parse_meta(*impl_, loaded, why)) throw IndexCorrupt(why);
  restore_state(loaded, live->data);
  live->data.first_ordinal = records_;
  // The builder only needs the versions' hashes (a version seen again keeps its number).
  for (const auto& def : definitions_) {
    DefinitionSummary known;
    known.hash = def.hash;
    known.version = def.version;
    live->data.definitions.push_back(std::move(known));
  }
  live->definitions = definitions_.size();
  base_records_ = records_;
  live_ = std::move(live);
}

uint64_t JournalIndex::refresh() {
  if (!live_) start_live();
  IndexData& d = live_->data;
  const uint64_t before = records_;
  auto added = [&] { return records_ > before ? records_ - before : 0; };
  std::error_code ec;
  if (!d.segments.empty()) {
    // Nothing new unless the last segment grew or the next one appeared.
    const SegmentEntry& last = d.segments.back();
    const uint64_t size = std::filesystem::file_size(dir_ / journal::segment_file_name(last.number), ec);
    if (ec || size < last.file_size) {
      reopen();
      return added();
    }
    if (size == last.file_size && !std::filesystem::exists(dir_ / journal::segment_file_name(last.number + 1), ec)) {
      return 0;
    }
  }
  std::vector<journal::SegmentFile> present = journal::list_segments(dir_);
  size_t resume = 0;
  uint64_t from = 0;
  if (!d.segments.empty()) {
    const size_t last = d.segments.size() - 1;
    if (present.size() <= last || present[last].number != d.segments[last].number ||
        inode_of(present[last].path) != d.segments[last].inode) {
      reopen();
      return added();
    }
    resume = last;
    from = d.segments[last].indexed_end;
  }
  scan_segments(live_->builder, d, present, resume, from);
  for (auto [pairs, table] :
       {std::pair{&d.instance_pairs, &live_->instances}, std::pair{&d.event_pairs, &live_->events}}) {
    for (const auto& [hash, value] : *pairs) (*table)[hash].push_back(value);
    pairs->clear();
  }
  for (const auto& [hash, instance] : d.key_pairs) {
    auto& instances = live_->keys[hash];
    if (std::find(instances.begin(), instances.end(), instance) == instances.end()) instances.push_back(instance);
  }
  d.key_pairs.clear();
  absorb_live();
  // Rewriting the index when the held records are a quarter of the file's
  // costs a few times what reading them did, whatever the journal's size.
  if (d.positions.size() > std::max(options_.hold_records, base_records_ / 4)) reopen();
  return added();
}

void JournalIndex::absorb_live() {
  IndexData& d = live_->data;
  records_ = d.next_ordinal();
  last_time_ = d.last_time;
  for (size_t i = live_->definitions; i < d.definitions.size(); ++i) {
    definitions_.push_back(d.definitions[i]);
    definitions_parsed_.push_back(true);
  }
  live_->definitions = d.definitions.size();
  d.summaries.clear();  // for writing the file, which reopen() does from the journal
  seq_breaks_ = d.seq_breaks;
  problem_details_.clear();
  for (const auto& segment : d.segments) {
    if (!segment.problem.empty()) problem_details_.push_back(segment.problem);
  }
  problem_details_.insert(problem_details_.end(), d.gaps.begin(), d.gaps.end());
  problems_ = problem_details_.size();
}

void JournalIndex::reopen() {
  IndexOpenReport report;
  std::unique_ptr<JournalIndex> fresh = open(dir_, options_, report);
  impl_ = std::move(fresh->impl_);
  live_.reset();
  base_records_ = 0;
  records_ = fresh->records_;
  last_time_ = fresh->last_time_;
  problems_ = fresh->problems_;
  problem_details_ = std::move(fresh->problem_details_);
  definitions_ = std::move(fresh->definitions_);
  definitions_parsed_ = std::move(fresh->definitions_parsed_);
  seq_breaks_ = std::move(fresh->seq_breaks_);
}

uint64_t JournalIndex::position(uint64_t ordinal) const {
  if (live_ && ordinal >= base_records_) return live_->data.positions[ordinal - base_records_];
  return impl_->u64(kPositions, ordinal);
}
int64_t JournalIndex::journal_time(uint64_t ordinal) const {
  if (live_ && ordinal >= base_records_) return live_->data.times[ordinal - base_records_];
  return static_cast<int64_t>(impl_->u64(kTimes, ordinal));
}
uint8_t JournalIndex::kind(uint64_t ordinal) const {
  if (live_ && ordinal >= base_records_) return live_->data.kinds[ordinal - base_records_];
  uint64_t at = impl_->sections[kKinds][0] + ordinal;
  impl_->check(at, 1);
  return static_cast<uint8_t>(impl_->base[at]);
}

uint64_t JournalIndex::sequence(uint64_t ordinal) const {
  auto it = std::upper_bound(seq_breaks_.begin(), seq_breaks_.end(), ordinal,
                             [](uint64_t o, const std::pair<uint64_t, uint64_t>& b) { return o < b.first; });
  if (it == seq_breaks_.begin()) return ordinal;
  --it;
  return it->second + (ordinal - it->first);
}

uint64_t JournalIndex::cut(int64_t at_us) const {
  uint64_t lo = 0, hi = records_;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (journal_time(mid) <= at_us)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

std::vector<uint64_t> JournalIndex::instance_records(uint64_t instance_hash) const {
  std::vector<uint64_t> out = impl_->lookup(kInstancePairs, instance_hash);
  if (live_) live_->append(live_->instances, instance_hash, out);  // later ordinals: still ascending
  return out;
}
std::vector<uint64_t> JournalIndex::instances_with_key(uint64_t key_hash) const {
  std::vector<uint64_t> out = impl_->lookup(kKeyPairs, key_hash);
  if (live_) {
    live_->append(live_->keys, key_hash, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  return out;
}
std::vector<uint64_t> JournalIndex::events_with_id(uint64_t id_hash) const {
  std::vector<uint64_t> out = impl_->lookup(kEventPairs, id_hash);
  if (live_) live_->append(live_->events, id_hash, out);
  return out;
}

const DefinitionSummary* JournalIndex::definition(const std::string& hash) const {
  for (size_t i = 0; i < definitions_.size(); ++i) {
    if (definitions_[i].hash != hash) continue;
    if (!definitions_parsed_[i]) {
      // The i-th length-prefixed summary of the summaries section.
      std::string_view blob = impl_->bytes(kSummaries);
      size_t at = 0;
      for (size_t k = 0;; ++k) {
        if (at + 8 > blob.size()) throw IndexCorrupt("definition summaries damaged");
        uint64_t len = journal::load_u64_le(reinterpret_cast<const std::byte*>(blob.data() + at));
        at += 8;
        if (len > blob.size() - at) throw IndexCorrupt("definition summaries damaged");
        if (k == i) {
          DefinitionSummary s;
          if (!from_json(std::string(blob.substr(at, len)), s)) throw IndexCorrupt("definition summary unreadable");
          definitions_[i] = std::move(s);
          break;
        }
        at = (at + len + 7) & ~size_t{7};
      }
      definitions_parsed_[i] = true;
    }
    return &definitions_[i];
  }
  return nullptr;
}

std::string JournalIndex::describe() const {
  std::ostringstream out;
  out << "records: " << records_ << "\n";
  out << "instance entries: " << impl_->count(kInstancePairs, 16) << "\n";
  out << "keys: " << impl_->count(kKeyPairs, 16) << "\n";
  out << "events: " << impl_->count(kEventPairs, 16) << "\n";
  out << "definition versions: " << definitions_.size() << "\n";
  out << "index bytes: " << impl_->size << "\n";
  if (live_ && !live_->data.positions.empty()) {
    out << "records held in memory: " << live_->data.positions.size() << "\n";
  }
  out << "journal problems: " << problems_ << "\n";
  for (const auto& p : problem_details_) out << "  " << p << "\n";
  return out.str();
}

}  // namespace flow::runtime::queries
