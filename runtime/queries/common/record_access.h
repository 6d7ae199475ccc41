// Reading single journal records by position, for the queries (dossier,
// explain): the query index says where a record is, this file fetches and
// checks it. Also the few facts every query needs about any record: its
// kind, its decoded payload, and its "journal time".
//
// Journal time: each record carries its own time (an event when it was
// dispatched, an attempt when it ended, ...; a decision has none). Those are
// wall-clock readings taken at slightly different moments, so they are not
// perfectly ordered in append order. A record's journal time is the running
// maximum of the own times of it and every record before it: it never goes
// backwards, so "the journal as of T" is always a prefix of the journal, and
// `--at T` means exactly "the records whose journal time is <= T".
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "journal/file_io.h"
#include "records/journal_records.h"
#include "records/name_list.h"

namespace flow::runtime::queries {

/// A record's place on disk in one integer: segment number in the top 24
/// bits, byte offset of its frame in the low 40 (segments are far smaller
/// than 1 TiB). Ordered like the journal.
inline uint64_t pack_position(uint32_t segment, uint64_t offset) {
  return (static_cast<uint64_t>(segment) << 40) | (offset & ((uint64_t{1} << 40) - 1));
}
inline uint32_t position_segment(uint64_t packed) {
  return static_cast<uint32_t>(packed >> 40);
}
inline uint64_t position_offset(uint64_t packed) {
  return packed & ((uint64_t{1} << 40) - 1);
}

/// A 64-bit hash of a string (FNV-1a with a final avalanche). Persisted in
/// the query index, so it must never change without bumping the index
/// format version.
uint64_t hash_text(std::string_view text);

/// Any decoded record.
using AnyRecord = std::variant<std::monostate, DefinitionRecord, EventRecord, DecisionSet, AttemptRecord,
                               DeadLetterRecord, RejectedRecord, InstanceRecord>;

/// Decodes a payload by its record type; false when it does not decode.
/// `names`: the list of the record's segment (records/name_list.h). A
/// `names` record itself decodes to std::monostate.
bool decode_any(uint8_t type, std::string_view payload, AnyRecord& out, const NameList* names);

/// The record's own time (see above), or nothing for a decision.
bool own_time(const AnyRecord& record, int64_t& time_us);

/// The instance a record belongs to ("" when it names none: decisions,
/// rejected input, definitions).
const std::string* instance_of(const AnyRecord& record);

/// Calls `fn(ordinal, sequence, type, payload, names)` for every record of the
/// journal in `dir`, in order, until it returns false or `limit` records
/// were seen. Reads segment by segment and skips the rest of a damaged
/// segment, exactly as the query index numbers records, so ordinals agree
/// with it. Throws journal::JournalError when the folder cannot be listed.
/// `names` is the list of the record's segment, for decoding it.
using RecordVisitor = std::function<bool(uint64_t ordinal, uint64_t sequence, uint8_t type, std::string_view payload,
                                         const NameList* names)>;
void scan_records(const std::filesystem::path& dir, uint64_t limit, const RecordVisitor& fn);

/// Random access to records by packed position. Each read checks the frame
/// (length against the file, CRC32C of type and payload), so a journal
/// damaged after it was indexed is noticed, not misread.
class RecordFetcher {
 public:
  explicit RecordFetcher(std::filesystem::path dir) : dir_(std::move(dir)) {}

  /// Reads the record at `packed`; false with error() set when it cannot.
  bool fetch(uint64_t packed, uint8_t& type, std::string& payload);
  /// fetch + decode_any.
  bool fetch(uint64_t packed, AnyRecord& out);
  const std::string& error() const { return error_; }

 private:
  int fd_for(uint32_t segment);
  /// The segment's list of names, read once; nullptr when it has none.
  const NameList* names_of(uint32_t segment);

  std::filesystem::path dir_;
  std::map<uint32_t, journal::detail::UniqueFd> fds_;
  struct SegmentList {
    bool present = false;
    NameList list;
  };
  std::map<uint32_t, SegmentList> names_;
  std::string payload_;
  std::string error_;
};

}  // namespace flow::runtime::queries
