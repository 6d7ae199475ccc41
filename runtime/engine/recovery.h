// Recovery: what the engine takes over from earlier runs of its journal
// when it starts. It reads the journal once: the instances still running
// (and the keys that ever named one), the definition versions and which
// one was active last — recording the running version when it is new or
// returns — and the exec deliveries left in flight (in_flight_scan.h),
// which it then re-drives under their own delivery ids: at least once,
// never silently dropped.
//
// Why a part of its own: it runs once, before the first input, and needs
// the journal reader and the older versions' routes, which nothing on the
// hot path should carry.
//
// Limits: a delivery is re-driven to the exec service of the same name in
// the version now running; when that version has none, or the event no
// longer decodes under it, the delivery is dead-lettered with the reason.
// Re-driven deliveries count their causal chains from the delivery on.
#pragma once

#include <ostream>
#include <string>

#include "engine/deliveries.h"
#include "engine/event_decoders.h"
#include "engine/failures.h"
#include "engine/in_flight_scan.h"
#include "engine/instance_tracker.h"
#include "engine/journal_sink.h"
#include "engine/route_table.h"
#include "engine/work_queue.h"
#include "load/app_loader.h"

namespace flow::runtime {

class Recovery {
 public:
  Recovery(const LoadedApp& app, const RouteTable& routes, EventDecoders& decoders, InstanceTracker& instances,
           JournalSink& sink, WorkQueue& queue, Deliveries& deliveries, Failures& failures, std::ostream& log);

  /// Reads the journal in `journal_dir` (already open for writing) and
  /// re-drives what was left in flight.
  void run(const std::string& journal_dir);

 private:
  void redrive(int version_now);

  const LoadedApp& app_;
  const RouteTable& routes_;
  EventDecoders& decoders_;
  InstanceTracker& instances_;
  JournalSink& sink_;
  WorkQueue& queue_;
  Deliveries& deliveries_;
  Failures& failures_;
  std::ostream& log_;
  InFlightScan scan_;
};

}  // namespace flow::runtime
