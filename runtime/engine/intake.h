// Intake: one input line into the engine (runtime.md §4). The line is
// decoded where it lies (ingress/cloudevent_decoder.h); a start event
// begins or joins its instance, an event that joins by key needs a running
// instance of it, anything else is rejected with the reason. An accepted
// input begins its causal chain and is dispatched with everything it
// causes before the next line is read; then finished exec deliveries are
// taken in.
//
// Why a part of its own: this is the one entrance from outside, with the
// rules of what may enter; the engine's facade only forwards lines to it.
//
// Limits: lines are processed one at a time, in order; a blank line is
// counted and skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string_view>

#include "engine/event_decoders.h"
#include "engine/event_ids.h"
#include "engine/exec_deliveries.h"
#include "engine/failures.h"
#include "engine/instance_tracker.h"
#include "engine/route_table.h"
#include "engine/run_stats.h"
#include "engine/work_queue.h"

namespace flow::runtime {

class Intake {
 public:
  /// With `progress`, a progress line goes to `log` now and then.
  Intake(EventDecoders& decoders, const RouteTable& routes, WorkQueue& queue, EventIds& ids, InstanceTracker& instances,
         Failures& failures, ExecDeliveries& exec, RunStats& stats, bool progress, std::ostream& log);

  /// Input line `line_number` (1-based); with `readable_after` >=
  /// CloudEventDecoder::kPadding readable bytes after it, parsed in place.
  void take(std::string_view line, int64_t line_number, size_t readable_after);

 private:
  EventDecoders& decoders_;
  const RouteTable& routes_;
  WorkQueue& queue_;
  EventIds& ids_;
  InstanceTracker& instances_;
  Failures& failures_;
  ExecDeliveries& exec_;
  RunStats& stats_;
  std::ostream& log_;
  bool progress_;
};

}  // namespace flow::runtime
