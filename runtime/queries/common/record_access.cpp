// Random access to journal records, and per-record facts shared by the queries.
#include "queries/common/record_access.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "base/hash_mix.h"
#include "base/read_at.h"
#include "journal/crc32c.h"
#include "journal/segment_format.h"
#include "journal/segment_reader.h"

namespace flow::runtime::queries {

uint64_t hash_text(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  // FNV-1a mixes the low bits poorly; the splitmix64 finaliser spreads them,
  // which the sorted tables' binary search does not need but the bucket
  // statistics of a future hash table would.
  return mix64(h);
}

bool decode_any(uint8_t type, std::string_view payload, AnyRecord& out, const NameList* names) {
  auto as = [&](auto record) {
    bool ok;
    if constexpr (requires { decode(payload, record, names); }) {
      ok = decode(payload, record, names);
    } else {
      ok = decode(payload, record);
    }
    if (!ok) return false;
    out = std::move(record);
    return true;
  };
  switch (static_cast<RecordKind>(type)) {
    case RecordKind::Definition: return as(DefinitionRecord{});
    case RecordKind::Event: return as(EventRecord{});
    case RecordKind::Decision:
    case RecordKind::Decisions: {
      DecisionSet set;
      if (!decode_decisions(type, payload, set.decisions, names)) return false;
      out = std::move(set);
      return true;
    }
    case RecordKind::Attempt: return as(AttemptRecord{});
    case RecordKind::DeadLetter: return as(DeadLetterRecord{});
    case RecordKind::Rejected: return as(RejectedRecord{});
    case RecordKind::Instance: return as(InstanceRecord{});
    case RecordKind::Names: {
      // What the segment's records refer to, not a record of its own.
      NameList list;
      if (!list.assign(payload)) return false;
      out = std::monostate{};
      return true;
    }
  }
  return false;
}

bool own_time(const AnyRecord& record, int64_t& time_us) {
  if (auto* r = std::get_if<DefinitionRecord>(&record))
    time_us = r->activated_us;
  else if (auto* e = std::get_if<EventRecord>(&record))
    time_us = e->dispatched_us;
  else if (auto* a = std::get_if<AttemptRecord>(&record))
    time_us = a->ended_us;
  else if (auto* d = std::get_if<DeadLetterRecord>(&record))
    time_us = d->time_us;
  else if (auto* j = std::get_if<RejectedRecord>(&record))
    time_us = j->time_us;
  else if (auto* i = std::get_if<InstanceRecord>(&record))
    time_us = i->time_us;
  else
    return false;
  return true;
}

const std::string* instance_of(const AnyRecord& record) {
  if (auto* e = std::get_if<EventRecord>(&record)) return &e->instance;
  if (auto* a = std::get_if<AttemptRecord>(&record)) return &a->instance;
  if (auto* d = std::get_if<DeadLetterRecord>(&record)) return &d->instance;
  if (auto* i = std::get_if<InstanceRecord>(&record)) return &i->instance;
  return nullptr;
}

void scan_records(const std::filesystem::path& dir, uint64_t limit, const RecordVisitor& fn) {
  uint64_t ordinal = 0;
  for (const auto& file : journal::list_segments(dir)) {
    journal::SegmentReader reader(file);
    if (!reader.header_ok()) continue;
    uint64_t seq = reader.header().first_sequence;
    journal::Record record;
    SegmentNames segment_names;
    while (ordinal < limit && reader.next(record)) {
      std::string_view payload(reinterpret_cast<const char*>(record.payload.data()), record.payload.size());
      const NameList* names = segment_names.observe(record.position.segment, record.type, payload);
      if (!fn(ordinal++, seq++, record.type, payload, names)) return;
    }
    if (ordinal >= limit) return;
  }
}

int RecordFetcher::fd_for(uint32_t segment) {
  auto it = fds_.find(segment);
  if (it != fds_.end()) return it->second.get();
  std::string error;
  auto fd = journal::detail::open_or_error(dir_ / journal::segment_file_name(segment), O_RDONLY | O_CLOEXEC, &error);
  if (!fd.valid()) {
    error_ = error;
    return -1;
  }
  int raw = fd.get();
  fds_.emplace(segment, std::move(fd));
  return raw;
}

bool RecordFetcher::fetch(uint64_t packed, uint8_t& type, std::string& payload) {
  uint32_t segment = position_segment(packed);
  uint64_t offset = position_offset(packed);
  int fd = fd_for(segment);
  if (fd < 0) return false;
  std::byte header[journal::kRecordHeaderSize];
  auto where = [&] { return journal::segment_file_name(segment) + " @ " + std::to_string(offset); };
  if (!read_at(fd, header, sizeof header, offset)) {
    error_ = where() + ": cannot read the record header";
    return false;
  }
  uint32_t length = journal::load_u32_le(header);
  uint32_t stored = journal::load_u32_le(header + journal::kRecordCrcOffset);
  type = std::to_integer<uint8_t>(header[journal::kRecordTypeOffset]);
  if (length > journal::kMaxPayloadSize) {
    error_ = where() + ": implausible record length";
    return false;
  }
  payload.resize(length);
  if (length > 0 && !read_at(fd, payload.data(), length, offset + journal::kRecordHeaderSize)) {
    error_ = where() + ": record runs past the end of the file";
    return false;
  }
  auto span = std::span<const std::byte>(reinterpret_cast<const std::byte*>(payload.data()), payload.size());
  if (journal::record_crc(type, span) != journal::crc32c_unmask(stored)) {
    error_ = where() + ": checksum mismatch";
    return false;
  }
  return true;
}

const NameList* RecordFetcher::names_of(uint32_t segment) {
  // The list is the segment's first record when the runtime wrote one.
  auto [it, fresh] = names_.try_emplace(segment);
  if (fresh) {
    uint8_t type = 0;
    std::string payload;
    const std::string error = error_;
    it->second.present = fetch(pack_position(segment, journal::kSegmentHeaderSize), type, payload) &&
                         type == kNamesRecordKind && it->second.list.assign(payload);
    error_ = error;  // a segment without a list is not an error by itself
  }
  return it->second.present ? &it->second.list : nullptr;
}

bool RecordFetcher::fetch(uint64_t packed, AnyRecord& out) {
  uint8_t type = 0;
  if (!fetch(packed, type, payload_)) return false;
  if (!decode_any(type, payload_, out, names_of(position_segment(packed)))) {
    error_ = journal::segment_file_name(position_segment(packed)) + " @ " + std::to_string(position_offset(packed)) +
             ": payload of type " + std::to_string(type) + " does not decode";
    return false;
  }
  return true;
}

}  // namespace flow::runtime::queries
