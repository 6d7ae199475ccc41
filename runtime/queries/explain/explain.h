// `flowrt explain --event ID` (runtime.md §6): why an event went where it
// went. For every subscription on its type under the definition version it
// was dispatched under: whether it fired, the condition's value and the
// tree of rule and decision values behind it (as evaluated then, from the
// journal's decision record), and the deliveries it made with their
// outcome; for an emitted event, the delivery and service that produced it.
// docs/journal.md "Queries" documents the output.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

namespace flow::runtime::queries {

class JournalIndex;

struct ExplainOptions {
  std::string event;  // event id
  bool json = false;
};

/// Prints the explanation; returns 0, or 1 when the journal has no such
/// event or cannot be read (reason on `err`).
int run_explain(const std::filesystem::path& dir, const ExplainOptions& options, std::ostream& out, std::ostream& err);

/// The same over an index already open (a server keeps one): 0, or 1 when
/// there is no such event (said on `err`). Throws std::runtime_error when a
/// record cannot be read, IndexCorrupt when the index is damaged.
int explain_on_index(const JournalIndex& index, const ExplainOptions& options, std::ostream& out, std::ostream& err);

}  // namespace flow::runtime::queries
