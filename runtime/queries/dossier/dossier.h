// `flowrt dossier` (runtime.md §6): an instance's state and history — its
// status per flow, whether it waits or has work in progress, every event in
// order with time, causation and definition version, its deliveries with
// attempts and outcomes, dead letters — now or as of a past moment; or the
// list of all instances. docs/journal.md "Queries" documents the output.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace flow::runtime::queries {

class JournalIndex;

struct DossierOptions {
  enum class Select { Key, Instance, All };
  Select select = Select::Key;
  std::string value;             // the key or instance id
  std::optional<int64_t> at_us;  // as of this moment (journal time <= at)
  bool json = false;
  // --all filters: a flow the instance entered (qualified or plain name),
  // and a status (active, completed, failed, waiting, working, done) — of
  // that flow when --flow is given, else of the instance.
  std::string flow;
  std::string status;
};

/// Prints the dossier; returns the exit status (0, or 1 when nothing
/// matched or the journal cannot be read; the reason goes to `err`).
int run_dossier(const std::filesystem::path& dir, const DossierOptions& options, std::ostream& out, std::ostream& err);

/// The same over an index already open (a server keeps one): 0, or 1 when
/// nothing matched (said on `err`). Throws std::runtime_error when a record
/// cannot be read, IndexCorrupt when the index is damaged.
int dossier_on_index(const JournalIndex& index, const DossierOptions& options, std::ostream& out, std::ostream& err);

}  // namespace flow::runtime::queries
