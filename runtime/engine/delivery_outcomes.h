// DeliveryOutcomes: the engine's side of deliveries whose outcome comes
// later, from a runner — `exec` processes (exec_deliveries.h) and `http`
// services (http_deliveries.h). A delivery is tracked from submission, its
// instance and causal chain held, until the runner reports its final
// outcome: each attempt is journaled, what a successful attempt emitted is
// decoded and dispatched, and a delivery that fails for good is
// dead-lettered.
//
// Why a part of its own: both kinds of remote service report attempts in
// one form (services/attempt_outcome.h) and must be journaled, dispatched
// and dead-lettered alike, so that the journal's queries show them alike;
// and the rule that a service may only emit valid events it publishes is
// the same for both (check_emits, the runners' validator).
//
// Limits: the events of an attempt that will be retried are never
// dispatched.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/causal_chains.h"
#include "engine/event_decoders.h"
#include "engine/event_ids.h"
#include "engine/failures.h"
#include "engine/instance_tracker.h"
#include "engine/journal_sink.h"
#include "engine/route_table.h"
#include "engine/run_stats.h"
#include "engine/work_queue.h"
#include "services/attempt_outcome.h"
#include "services/exec_config.h"

namespace flow::runtime {

class DeliveryOutcomes {
 public:
  DeliveryOutcomes(EventDecoders& decoders, WorkQueue& queue, EventIds& ids, InstanceTracker& instances,
                   JournalSink& sink, RunStats& stats, Failures& failures, std::ostream& log);

  /// A delivery of `work`'s event to `service` for `flow` was handed to a
  /// runner as `delivery_id`: its instance and causal chain stay held until
  /// its final outcome.
  void track(const ServiceSpec& service, const std::string& flow, const Work& work, const std::string& delivery_id);
  /// Handles the runners' outcomes, in order, and clears `outcomes`.
  void handle(std::vector<AttemptOutcome>& outcomes);

  /// Why `service` may not publish `emits`: a type it does not publish (or
  /// that does not exist), or data not valid for its type; nothing when
  /// every event is fine.
  static std::optional<EmitRejection> check_emits(const ServiceSpec& service, EventDecoders& decoders,
                                                  const std::vector<RawEmit>& emits);

 private:
  struct PendingDelivery {
    std::string event;
    std::string instance;
    std::string flow;
    const ServiceSpec* service = nullptr;
    std::string event_type;  // qualified, of the event delivered
    CausalChains::Id chain = CausalChains::kNone;
  };
  void handle(AttemptOutcome& outcome);

  std::unordered_map<std::string, PendingDelivery> pending_;  // by delivery id
  EventDecoders& decoders_;
  WorkQueue& queue_;
  EventIds& ids_;
  InstanceTracker& instances_;
  JournalSink& sink_;
  RunStats& stats_;
  Failures& failures_;
  std::ostream& log_;
};

}  // namespace flow::runtime
