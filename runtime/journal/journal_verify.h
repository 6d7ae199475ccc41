// `journal verify`: reads every record of a journal, checking every frame,
// and summarises what it holds and every problem found.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "journal/journal_problem.h"
#include "journal/segment_format.h"

namespace flow::journal {

struct RecordTypeStats {
  std::uint64_t records = 0;
  std::uint64_t payload_bytes = 0;
};

struct VerifyReport {
  std::uint64_t segments = 0;
  std::uint64_t records = 0;
  std::uint64_t file_bytes = 0;                 ///< total size of the segment files
  std::uint64_t payload_bytes = 0;              ///< sum of readable records' payloads
  std::uint64_t unread_bytes = 0;               ///< bytes past damage that could not be read
  std::optional<std::uint64_t> first_sequence;  ///< of the first readable record
  std::optional<std::uint64_t> last_sequence;   ///< of the last readable record
  std::map<RecordType, RecordTypeStats> by_type;
  std::vector<Problem> problems;

  bool ok() const { return problems.empty(); }
};

/// Reads the whole journal in `dir` (skipping past damaged segments to find
/// every problem). Throws JournalError only if the folder cannot be listed.
VerifyReport verify(const std::filesystem::path& dir);

/// The report as text for people, one fact per line, problems last.
std::string format_report(const VerifyReport& report);

}  // namespace flow::journal
