// ExecDeliveries: deliveries to `exec` services (docs/exec-services.md),
// through one ExecRunner for all of them. A delivery is submitted as the
// event's CloudEvents JSON and stays pending — its instance and causal
// chain held — until its outcome comes back from poll(): each attempt is
// journaled, what a successful attempt emitted is decoded and dispatched,
// and a delivery that fails for good is dead-lettered.
//
// Why a part of its own: exec deliveries are the only asynchronous work of
// the engine; their state (pending deliveries, outcomes) and the rule that
// a service may only emit valid events it publishes live here.
//
// Limits: outcomes are taken when the engine polls (after each input and
// while draining); the events of an attempt that will be retried are never
// dispatched.
#pragma once

#include <cstddef>
#include <memory>
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
#include "services/exec_runner.h"

namespace flow::runtime {

class ExecDeliveries {
 public:
  /// Configures the runner for `routes`' exec services (it starts their
  /// processes when they are first needed).
  ExecDeliveries(const RouteTable& routes, EventDecoders& decoders, WorkQueue& queue, EventIds& ids,
                 InstanceTracker& instances, JournalSink& sink, RunStats& stats, Failures& failures, std::ostream& log);
  ~ExecDeliveries();

  /// Submits `work`'s event to `service` for `flow`, as `delivery_id`.
  void submit(const ServiceSpec& service, const std::string& flow, const Work& work, const std::string& delivery_id);
  /// Waits up to `timeout_ms` for outcomes and handles what came.
  void poll(int timeout_ms);
  /// Some delivery is not settled.
  bool pending() const { return runner_->pending() > 0; }
  /// Stops the services' processes (after the last poll).
  void shutdown();

 private:
  struct PendingDelivery {
    std::string event;
    std::string instance;
    std::string flow;
    const ServiceSpec* service = nullptr;
    std::string event_type;  // qualified, of the event delivered
    CausalChains::Id chain = CausalChains::kNone;
  };
  void handle_outcomes();

  std::unique_ptr<ExecRunner> runner_;
  std::unordered_map<std::string, PendingDelivery> pending_;  // by delivery id
  std::vector<AttemptOutcome> outcomes_;
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
