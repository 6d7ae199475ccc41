// Journal verification; see journal_verify.h.
#include "journal/journal_verify.h"

#include <system_error>

#include "journal/journal_reader.h"

namespace flow::journal {

VerifyReport verify(const std::filesystem::path& dir) {
  VerifyReport report;
  JournalReader reader(dir, ReaderOptions{CorruptionPolicy::SkipSegment});
  report.segments = reader.segments().size();
  for (const SegmentFile& segment : reader.segments()) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(segment.path, ec);
    if (!ec) report.file_bytes += size;
  }
  Record record;
  while (reader.next(record)) {
    ++report.records;
    report.payload_bytes += record.payload.size();
    auto& stats = report.by_type[record.type];
    ++stats.records;
    stats.payload_bytes += record.payload.size();
    if (!report.first_sequence) report.first_sequence = record.position.sequence;
    report.last_sequence = record.position.sequence;
  }
  report.problems = reader.problems();
  for (const Problem& problem : report.problems) report.unread_bytes += problem.bytes;
  return report;
}

std::string format_report(const VerifyReport& report) {
  std::string out;
  out += "segments: " + std::to_string(report.segments) + "\n";
  out += "records: " + std::to_string(report.records) + "\n";
  if (report.first_sequence) {
    out +=
        "sequence: " + std::to_string(*report.first_sequence) + " to " + std::to_string(*report.last_sequence) + "\n";
  }
  out += "file bytes: " + std::to_string(report.file_bytes) + "\n";
  out += "payload bytes: " + std::to_string(report.payload_bytes) + "\n";
  for (const auto& [type, stats] : report.by_type) {
    out += "type " + std::to_string(type) + ": " + std::to_string(stats.records) + " records, " +
           std::to_string(stats.payload_bytes) + " payload bytes\n";
  }
  if (report.ok()) {
    out += "ok\n";
  } else {
    out += std::to_string(report.problems.size()) + " problem(s), " + std::to_string(report.unread_bytes) +
           " bytes unread:\n";
    for (const Problem& problem : report.problems) out += "  " + describe(problem) + "\n";
  }
  return out;
}

}  // namespace flow::journal
