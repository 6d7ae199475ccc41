// Names and one-line descriptions of journal problems.
#include "journal/journal_problem.h"

namespace flow::journal {

std::string_view to_string(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::ShortRecordHeader: return "short-record-header";
    case ProblemKind::LengthTooLarge: return "length-too-large";
    case ProblemKind::PastEndOfFile: return "past-end-of-file";
    case ProblemKind::ChecksumMismatch: return "checksum-mismatch";
    case ProblemKind::InvalidRecordType: return "invalid-record-type";
    case ProblemKind::BadSegmentHeader: return "bad-segment-header";
    case ProblemKind::SegmentNumberMismatch: return "segment-number-mismatch";
    case ProblemKind::SequenceMismatch: return "sequence-mismatch";
    case ProblemKind::MissingSegment: return "missing-segment";
    case ProblemKind::UnreadableSegment: return "unreadable-segment";
  }
  return "unknown";
}

std::string describe(const Problem& problem) {
  std::string out = problem.file.filename().string();
  out += " @ ";
  out += std::to_string(problem.offset);
  out += ": ";
  out += to_string(problem.kind);
  if (!problem.detail.empty()) {
    out += ": ";
    out += problem.detail;
  }
  if (problem.bytes > 0) {
    out += " (";
    out += std::to_string(problem.bytes);
    out += " bytes unread)";
  }
  return out;
}

}  // namespace flow::journal
