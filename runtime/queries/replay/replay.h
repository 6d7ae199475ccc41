// `flowrt replay --with NEW` (runtime.md §6): what-if. Every journaled event
// is decoded again under the NEW definitions (from its journaled `data`)
// and every subscription on its type is evaluated, without running any
// service; the outcome is compared with what the journal says happened
// under the version in force for that event (its decision records, and for
// unconditional subscriptions the old definition's routes).
//
// Subscriptions are matched between versions by flow, event type and
// target services (and their order among equal ones), not by position, so
// inserting a subscription does not shift the others. Reported per
// subscription: events that would now fire or no longer fire, the
// instances concerned, and samples with the rule values that differ; per
// event, "would go to X instead of Y" summaries. Event types that NEW no
// longer has, and journaled data that no longer fits NEW's type (a new
// required field...), are counted and reported, not fatal.
//
// Only journaled events are evaluated: events that services would emit
// differently under NEW are not simulated (no service runs).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace flow::runtime {
struct LoadedApp;
}

namespace flow::runtime::queries {

class JournalIndex;

struct ReplayOptions {
  std::string with;                       // APP.flowc or FILE.flow (replay_loaded: only names it)
  std::vector<std::string> include_dirs;  // -I, for a .flow
  bool json = false;
  size_t samples = 3;           // per subscription and direction
  size_t max_instances = 1000;  // listed per subscription and direction (0: all)
  unsigned threads = 0;         // 0: one per core, at most one per segment
  /// When set (a server's running instances): the instance lists of the
  /// report put those it holds true for first, and the JSON report ends
  /// with them ("running_instances_changed").
  std::function<bool(const std::string& instance)> running;
};

/// Prints the report; returns 0, 1 when NEW or the journal cannot be
/// loaded (reason on `err`).
int run_replay(const std::filesystem::path& dir, const ReplayOptions& options, std::ostream& out, std::ostream& err);

/// The same for definitions already loaded, over an index already open (a
/// server keeps one). Returns 0, or 1 when the new definitions cannot be
/// used (reason on `err`). Throws std::runtime_error when the journal
/// cannot be read, IndexCorrupt when the index is damaged.
int replay_loaded(const JournalIndex& index, const LoadedApp& app, const ReplayOptions& options, std::ostream& out,
                  std::ostream& err);

}  // namespace flow::runtime::queries
