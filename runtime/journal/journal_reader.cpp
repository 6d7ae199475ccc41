// Whole-journal iteration over SegmentReaders; see journal_reader.h.
#include "journal/journal_reader.h"

namespace flow::journal {

JournalReader::JournalReader(const std::filesystem::path& dir, ReaderOptions options)
    : options_(options), segments_(list_segments(dir)) {}

bool JournalReader::report(Problem problem) {
  problems_.push_back(std::move(problem));
  if (options_.on_corruption == CorruptionPolicy::Stop) {
    stopped_ = true;
    current_.reset();
  }
  return stopped_;
}

void JournalReader::open_segment(const SegmentFile& segment) {
  if (previous_number_ && segment.number != *previous_number_ + 1) {
    Problem gap;
    gap.kind = ProblemKind::MissingSegment;
    gap.file = segment.path;
    gap.segment = segment.number;
    gap.detail = *previous_number_ + 1 == segment.number - 1
                     ? "segment " + std::to_string(*previous_number_ + 1) + " is missing"
                     : "segments " + std::to_string(*previous_number_ + 1) + " to " +
                           std::to_string(segment.number - 1) + " are missing";
    expected_sequence_.reset();
    if (report(std::move(gap))) return;
  }
  previous_number_ = segment.number;

  SegmentReader reader(segment, options_.buffer_size);
  if (!reader.header_ok()) {
    expected_sequence_.reset();
    report(*reader.problem());
    return;
  }
  const SegmentHeader& header = reader.header();
  if (header.segment_number != segment.number) {
    Problem mismatch;
    mismatch.kind = ProblemKind::SegmentNumberMismatch;
    mismatch.file = segment.path;
    mismatch.segment = segment.number;
    mismatch.detail = "header says segment " + std::to_string(header.segment_number);
    if (report(std::move(mismatch))) return;
  }
  if (expected_sequence_ && header.first_sequence != *expected_sequence_) {
    Problem mismatch;
    mismatch.kind = ProblemKind::SequenceMismatch;
    mismatch.file = segment.path;
    mismatch.segment = segment.number;
    mismatch.detail =
        "first sequence " + std::to_string(header.first_sequence) + ", expected " + std::to_string(*expected_sequence_);
    if (report(std::move(mismatch))) return;
  }
  current_.emplace(std::move(reader));
}

bool JournalReader::next(Record& out) {
  while (!stopped_) {
    if (!current_) {
      if (next_index_ >= segments_.size()) return false;
      open_segment(segments_[next_index_++]);
      continue;
    }
    if (current_->next(out)) return true;
    if (current_->problem()) {
      expected_sequence_.reset();
      report(*current_->problem());
    } else {
      expected_sequence_ = current_->header().first_sequence + current_->records_read();
    }
    current_.reset();
  }
  return false;
}

}  // namespace flow::journal
