// Failures: inputs rejected and deliveries dead-lettered (runtime.md §5).
// Each is journaled (a `rejected` or `dead_letter` record), logged on one
// line and counted; a dead letter also fails the flow of its instance. When
// the program imports std.runtime, each is then published as an event of
// its own — InputRejected, DeliveryDeadLettered — that flows may alert on
// or compensate with, dispatched like any other.
//
// Why a part of its own: every stage can fail (ingress, transforms, sinks,
// exec services, recovery), and all of them must report a failure the same
// way, never silently.
//
// Limits: a notice about a causal chain already at its limit is journaled
// but not published (a failing handler of dead letters would otherwise
// feed itself).
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/event_ids.h"
#include "engine/instance_tracker.h"
#include "engine/journal_sink.h"
#include "engine/route_table.h"
#include "engine/run_stats.h"
#include "engine/work_queue.h"

namespace flow::runtime {

class ReasonMembers;

class Failures {
 public:
  Failures(const EventCatalog& catalog, const RouteTable& routes, JournalSink& sink, InstanceTracker& instances,
           WorkQueue& queue, EventIds& ids, RunStats& stats, std::ostream& log);
  ~Failures();

  /// Input line `line_number` (`raw`) is not taken, for `reason`.
  void reject(int64_t line_number, std::string_view raw, const std::string& reason);
  /// A delivery of an event of `event_type` failed for good. Its notice
  /// counts in `chain` when it has one, else it begins its own.
  void dead_letter(const DeadLetterRecord& dead, const std::string& event_type, CausalChains::Id chain);

 private:
  /// Dispatches an event of std.runtime (a no-op inside a dispatch: the
  /// running queue takes it).
  void publish(const EventType& type, const uint8_t* data, const std::string& instance_id, const std::string& causation,
               CausalChains::Id chain);

  const RouteTable& routes_;
  JournalSink& sink_;
  InstanceTracker& instances_;
  WorkQueue& queue_;
  EventIds& ids_;
  RunStats& stats_;
  std::ostream& log_;
  const EventType* dead_lettered_type_ = nullptr;  // std.runtime events, when imported
  std::unique_ptr<ReasonMembers> reason_members_;  // with dead_lettered_type_
  const EventType* input_rejected_type_ = nullptr;
};

}  // namespace flow::runtime
