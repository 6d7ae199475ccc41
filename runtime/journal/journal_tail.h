// Follows a journal folder while a writer appends to it, for readers that
// come back again and again (a server's live queries, topic subscribers):
// next() returns each whole record once, in append order; at the end of
// what is written it returns false, and a later call goes on from there
// and sees what was appended since. Starting at a known position reads
// nothing before it.
//
// A frame cut short at the end of the last segment is a record still being
// written ("not yet"), never damage: the writer hands records to the OS
// whole, and a segment is finished before the next one is created (see
// docs/journal.md, Rollover), so such a frame can only be the last one.
// Limits: damage (a checksum mismatch, a short frame in a segment the writer
// has left, a segment whose header disagrees) stops the tail at that record,
// reported by problem(); a missing segment number makes it wait there. It
// does not skip ahead: its readers promise "every record, in order".
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "journal/journal_problem.h"
#include "journal/segment_format.h"
#include "journal/segment_reader.h"

namespace flow::journal {

inline constexpr std::size_t kTailBufferSize = 256u << 10;

class JournalTail {
 public:
  /// Starts before the journal's first record. Nothing is read yet.
  explicit JournalTail(std::filesystem::path dir, std::size_t buffer_size = kTailBufferSize);

  /// Goes on at `position`: the start of a record frame (a Record's
  /// position, or after() of one) with its sequence number. Checked when
  /// read: a position that is no frame start reads as damage.
  void seek(const RecordPosition& position);

  /// The next whole record, or false when there is none yet (or at damage:
  /// problem()). `out.payload` stays valid until the next call.
  bool next(Record& out);

  /// Where the next record is read from; segment 0 before the first record
  /// of a journal whose first segment was not opened yet.
  const RecordPosition& position() const { return next_; }

  /// Damage that stops the tail (not a record being written).
  const std::optional<Problem>& problem() const { return problem_; }

  /// The position just after `record`.
  static RecordPosition after(const Record& record) {
    return {record.position.segment, record.position.offset + kRecordHeaderSize + record.payload.size(),
            record.position.sequence + 1};
  }

 private:
  bool open_segment();
  bool take(Record& out);
  void stop(Problem problem);

  std::filesystem::path dir_;
  std::size_t buffer_size_;
  RecordPosition next_;
  std::optional<SegmentReader> reader_;  // on next_.segment
  std::uint64_t first_sequence_ = 0;     // of reader_'s segment
  std::optional<Problem> problem_;
};

}  // namespace flow::journal
