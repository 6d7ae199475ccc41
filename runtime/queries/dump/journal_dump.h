// `flowrt journal dump` and the payload half of `flowrt journal verify`:
// every record decoded by its kind, printed for people or as JSON lines.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

namespace flow::runtime {

struct DumpOptions {
  bool json = false;
  bool include_artifacts = false;  // definition records carry the whole .flowc
};

/// Prints every record; returns the number of problems found (storage
/// damage or payloads that do not decode), each also printed to `errors`.
size_t dump_journal(const std::filesystem::path& dir, const DumpOptions& options, std::ostream& out,
                    std::ostream& errors);

/// Storage verification plus a decode of every payload. Prints a report;
/// returns true when the journal is intact.
bool verify_journal(const std::filesystem::path& dir, std::ostream& out);

}  // namespace flow::runtime
