// The notification server's core (runtime.md §2–5): takes input events,
// assigns them to process instances, dispatches each through the compiled
// dispatch table (conditions evaluated, decisions journaled), runs the
// triggered services — built-in `emit` transforms in-process, `builtin`
// sinks, `exec` processes — dispatches what they publish, and appends
// everything to the journal.
//
// Engine is a facade over parts with narrow interfaces, each in its own
// files (runtime/engine/): an input line goes through the Intake (decoding,
// correlation with InstanceTracker) into the WorkQueue, whose cascade the
// Router dispatches — the Decider evaluating conditions, Deliveries
// handing the event to EmitTransforms, BuiltinServices or ExecDeliveries —
// while the JournalSink writes the records, Failures reports rejections
// and dead letters, and RunStats counts. The RouteTable holds the dispatch
// table as plain data; Recovery takes over an earlier run's journal when
// the engine starts.
//
// Single-threaded by design: one event loop owns the journal writer, the
// instance table and the runner, so there are no locks on the hot path and
// the journal's order is the dispatch order (causal per instance).
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/run_summary.h"
#include "journal/journal_writer.h"

namespace flow::codegen {
class CompiledProgram;
}

namespace flow::runtime {

struct LoadedApp;

struct RunOptions {
  std::string journal_dir = "journal";
  journal::FsyncMode fsync = journal::FsyncMode::Batch;
  bool strict = false;
  bool progress = false;  // a progress line on stderr (a terminal)
  /// Stands for the root file's folder when exec services are started
  /// (load/app_loader.h service_folder); empty: the recorded folder.
  std::string services_dir;
  /// The most events one input may cause, itself included, transitively
  /// (runtime.md §4): the event past it is dead-lettered, not dispatched.
  uint64_t max_chain = 10000;
  /// Native code for conditions and emits; null: the reference interpreter.
  const codegen::CompiledProgram* jit = nullptr;
};

class Engine {
 public:
  /// Opens the journal (recovering a torn tail and the running instances of
  /// earlier runs) and records the definition version when it is new.
  /// Throws std::runtime_error with a one-line reason when it cannot start.
  Engine(LoadedApp& app, RunOptions options, std::ostream& log);
  ~Engine();

  /// Processes one input line (1-based line number). With
  /// `readable_after` >= CloudEventDecoder::kPadding bytes of readable
  /// memory after the line, it is parsed in place (not copied).
  void ingest(std::string_view line, int64_t line_number, size_t readable_after = 0);
  /// Drives exec and http deliveries until `fd` has input to read (or
  /// nothing is in flight): while a producer is quiet, what is in flight
  /// goes on and its outcomes are taken in.
  void await_input(int fd);
  /// Drives exec services until every delivery settled, then commits.
  void drain();
  const RunSummary& summary() const;
  void print_summary(std::ostream& out) const;

 private:
  struct Parts;  // the parts, wired (engine.cpp)
  std::unique_ptr<Parts> parts_;
  journal::FsyncMode fsync_;
  bool progress_;
  std::ostream& log_;
};

/// Reads JSON lines from the file descriptor `fd` into the engine, then
/// drains it. Throws std::runtime_error when reading fails.
void run_input(Engine& engine, int fd);

}  // namespace flow::runtime
