// BuiltinServices: `builtin` sinks (runtime.md §3): `log` prints the event
// on the log, `jsonl:PATH` appends its CloudEvents line to a file
// (services/builtin_sinks.h). Each delivery is one attempt, journaled; a
// sink that fails (or a builtin that does not exist) dead-letters the
// delivery at once.
//
// Why a part of its own: sinks own open files that must be finished when
// the run ends, and how they sync follows the journal's fsync mode.
//
// Limits: no retries; files are synced by finish() in the journal's
// `batch` mode, per line in `always`, never in `never`.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/failures.h"
#include "engine/journal_sink.h"
#include "engine/route_table.h"
#include "engine/run_stats.h"
#include "engine/work_queue.h"
#include "services/builtin_sinks.h"

namespace flow::runtime {

class BuiltinServices {
 public:
  BuiltinServices(journal::FsyncMode fsync, JournalSink& sink, RunStats& stats, Failures& failures, std::ostream& log);

  /// Delivers `work` (being dispatched; `data_json` is its `data` text) to
  /// `service` for `flow`, as delivery `delivery_id`.
  void run(const ServiceSpec& service, const std::string& flow, const Work& work, const std::string& delivery_id,
           std::string_view data_json);
  /// Writes and closes the files; what failed, one line each.
  std::vector<std::string> finish() { return files_.finish(); }

 private:
  JsonLinesSinks files_;  // `builtin "jsonl:PATH"` files
  SinkSync sync_;
  JournalSink& sink_;
  RunStats& stats_;
  Failures& failures_;
  std::ostream& log_;
};

}  // namespace flow::runtime
