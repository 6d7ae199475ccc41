// JournalSink: where the engine's records go. It opens the journal (a torn
// tail recovered and reported), lists the names records refer to by number
// as every segment's first record (records/name_list.h), and appends
// records: the hot ones (events, decisions, attempts, instance changes)
// encoded straight into the writer's buffer, the rest encoded first.
//
// Why a part of its own: every other part writes records, and the tricks
// that keep writing cheap — encoding in place, names by number, a
// remembered encoding written again under another event id — are the
// sink's business, not theirs. How records are encoded stays in
// runtime/records/.
//
// Limits: single-threaded like the engine; a record too large for the
// writer's buffer takes the slower path through a reused string.
#pragma once

#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "journal/journal_writer.h"
#include "records/journal_records.h"
#include "records/name_list.h"

namespace flow::runtime {

class JournalSink {
 public:
  /// Opens (or creates) the journal in `dir`, reporting recovered torn tails
  /// on `log`. Throws std::runtime_error("cannot open the journal: ...").
  void open(const std::string& dir, journal::FsyncMode fsync, std::ostream& log);
  /// The sequence number the next record gets (a run's ids start there).
  uint64_t next_sequence() const { return writer_.next_sequence(); }

  /// Lists `texts` (these very strings: records name them by address) as
  /// every segment's first record, sorted and without repeats so that a run
  /// of the same definition lists the same names. Throws
  /// std::runtime_error("cannot write to the journal: ...").
  void list_names(std::span<const std::string_view> texts);

  /// Encodes a hot record straight into the writer's buffer.
  template <class View>
  void write(RecordKind kind, const View& view) {
    const size_t bound = encoded_bound(view);
    if (bound <= writer_.max_reservable()) {
      auto* room = reinterpret_cast<char*>(writer_.reserve(bound));
      char* end = encode_to(room, view, names_.get());
      writer_.append_reserved(static_cast<journal::RecordType>(kind), static_cast<size_t>(end - room));
      return;
    }
    record_.clear();
    encode_into(record_, view);
    append(kind, record_);
  }
  /// Appends an encoded payload.
  void append(RecordKind kind, const std::string& payload) {
    writer_.append(static_cast<journal::RecordType>(kind), payload);
  }
  /// `view` encoded as write() would encode it, kept by the caller to be
  /// written again with write_with_id().
  template <class View>
  std::string encode_detached(const View& view) const {
    std::string encoded(encoded_bound(view), '\0');
    encoded.resize(static_cast<size_t>(encode_to(encoded.data(), view, names_.get()) - encoded.data()));
    return encoded;
  }
  /// Writes `encoded` (from encode_detached() of a record whose first field,
  /// the event id, was empty) with `event_id` in that field; false when it
  /// does not fit the writer's buffer.
  bool write_with_id(RecordKind kind, const std::string& encoded, std::string_view event_id);

  void commit() { writer_.commit(); }
  void commit_if_due() { writer_.commit_if_due(); }
  void flush() { writer_.flush(); }

 private:
  journal::JournalWriter writer_;
  std::unique_ptr<NameRefs> names_;  // the listed names, for the encoders
  std::string record_;               // the record being encoded (slow path)
};

}  // namespace flow::runtime
