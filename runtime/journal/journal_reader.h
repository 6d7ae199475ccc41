// Iterates every record of a journal folder, segment by segment, in append
// order. Damage is reported as Problems, never as a crash or an exception;
// what happens after a problem is the caller's choice (CorruptionPolicy).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "journal/journal_problem.h"
#include "journal/segment_format.h"
#include "journal/segment_reader.h"

namespace flow::journal {

enum class CorruptionPolicy {
  /// Stop at the first problem: the records read are exactly the journal's
  /// intact prefix, which is what rebuilding state needs.
  Stop,
  /// Report the problem, skip the rest of the damaged segment (record
  /// boundaries past damage cannot be trusted) and go on with the next one.
  /// Header field mismatches (segment number, sequence) are reported and the
  /// segment's records are still read. For inspection and verify.
  SkipSegment,
};

struct ReaderOptions {
  CorruptionPolicy on_corruption = CorruptionPolicy::Stop;
  std::size_t buffer_size = kDefaultReadBufferSize;
};

class JournalReader {
 public:
  /// Lists the segments of `dir`. Throws JournalError when the folder cannot
  /// be listed; everything after that is reported through problems().
  explicit JournalReader(const std::filesystem::path& dir, ReaderOptions options = {});

  /// The next record, or false at the end (or at a problem, under Stop).
  /// `out.payload` stays valid until the next call.
  bool next(Record& out);

  /// Problems found so far, in the order met.
  const std::vector<Problem>& problems() const { return problems_; }

  /// True once reading ended early because of a problem (Stop policy).
  bool stopped() const { return stopped_; }

  const std::vector<SegmentFile>& segments() const { return segments_; }

 private:
  void open_segment(const SegmentFile& segment);
  /// Records a problem; returns true when reading must stop.
  bool report(Problem problem);

  ReaderOptions options_;
  std::vector<SegmentFile> segments_;
  std::size_t next_index_ = 0;
  std::optional<SegmentReader> current_;
  std::vector<Problem> problems_;
  bool stopped_ = false;

  // What the next segment should look like, when known (not after damage).
  std::optional<std::uint32_t> previous_number_;
  std::optional<std::uint64_t> expected_sequence_;
};

}  // namespace flow::journal
