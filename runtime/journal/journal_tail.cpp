// Following a growing journal over SegmentReader::resume_at; see journal_tail.h.
#include "journal/journal_tail.h"

#include <system_error>
#include <utility>
#include <vector>

namespace flow::journal {

namespace {

bool is_short_frame(const Problem& problem) {
  return problem.kind == ProblemKind::ShortRecordHeader || problem.kind == ProblemKind::PastEndOfFile;
}

}  // namespace

JournalTail::JournalTail(std::filesystem::path dir, std::size_t buffer_size)
    : dir_(std::move(dir)), buffer_size_(buffer_size) {}

void JournalTail::seek(const RecordPosition& position) {
  reader_.reset();
  problem_.reset();
  next_ = position;
}

void JournalTail::stop(Problem problem) {
  problem_ = std::move(problem);
  reader_.reset();
}

bool JournalTail::open_segment() {
  if (next_.segment == 0) {
    // Before the first record: the journal's first segment, once there is one.
    std::vector<SegmentFile> segments = list_segments(dir_);
    if (segments.empty()) return false;
    SegmentReader reader(segments.front(), buffer_size_);
    if (!reader.header_ok()) {
      stop(*reader.problem());
      return false;
    }
    next_ = {segments.front().number, kSegmentHeaderSize, reader.header().first_sequence};
  }
  SegmentFile file{next_.segment, dir_ / segment_file_name(next_.segment)};
  SegmentReader reader(std::move(file), buffer_size_);
  if (!reader.header_ok()) {
    stop(*reader.problem());
    return false;
  }
  first_sequence_ = reader.header().first_sequence;
  if (next_.sequence < first_sequence_ || (next_.offset == kSegmentHeaderSize && next_.sequence != first_sequence_)) {
    Problem mismatch;
    mismatch.kind = ProblemKind::SequenceMismatch;
    mismatch.file = reader.file().path;
    mismatch.segment = next_.segment;
    mismatch.offset = next_.offset;
    mismatch.detail = "record " + std::to_string(next_.sequence) + " is not in this segment (it starts at " +
                      std::to_string(first_sequence_) + ")";
    stop(std::move(mismatch));
    return false;
  }
  if (next_.offset != kSegmentHeaderSize && !reader.resume_at(next_.offset, next_.sequence - first_sequence_)) {
    stop(*reader.problem());
    return false;
  }
  reader_.emplace(std::move(reader));
  return true;
}

bool JournalTail::take(Record& out) {
  if (!reader_->next(out)) return false;
  next_ = after(out);
  return true;
}

bool JournalTail::next(Record& out) {
  if (problem_) return false;
  for (;;) {
    if (!reader_ && !open_segment()) return false;
    if (take(out)) return true;
    // The end of the file as the reader measured it, or a frame cut short.
    if (reader_->problem() && !is_short_frame(*reader_->problem())) {
      stop(*reader_->problem());
      return false;
    }
    // The writer finishes a segment before it creates the next: asked in
    // this order, a next segment means this one's end is final.
    std::error_code ec;
    const bool finished = std::filesystem::exists(dir_ / segment_file_name(next_.segment + 1), ec);
    if (!reader_->resume_at(next_.offset, next_.sequence - first_sequence_)) {
      stop(*reader_->problem());
      return false;
    }
    if (take(out)) return true;
    if (const auto& problem = reader_->problem()) {
      if (!is_short_frame(*problem) || finished) stop(*problem);
      return false;  // damage, or a record still being written
    }
    if (!finished) return false;  // everything written so far was read
    reader_.reset();
    next_ = {next_.segment + 1, kSegmentHeaderSize, next_.sequence};
  }
}

}  // namespace flow::journal
