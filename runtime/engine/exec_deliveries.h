// ExecDeliveries: deliveries to `exec` services (docs/exec-services.md),
// through one ExecRunner for all of them. A delivery is submitted as the
// event's CloudEvents JSON and tracked by DeliveryOutcomes (its instance and
// causal chain held) until its outcome comes back from poll().
//
// It is also where the engine waits for the outcomes of deliveries that
// finish later: poll() and pending() cover the http deliveries too
// (http_deliveries.h), so that the one loop of the engine waits on the exec
// services' pipes and the http connections together.
//
// Limits: outcomes are taken when the engine polls (after each input and
// while draining).
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "engine/delivery_outcomes.h"
#include "engine/event_decoders.h"
#include "engine/http_deliveries.h"
#include "engine/route_table.h"
#include "engine/work_queue.h"
#include "services/exec_runner.h"

namespace flow::runtime {

class ExecDeliveries {
 public:
  /// Configures the runner for `routes`' exec services (it starts their
  /// processes when they are first needed).
  ExecDeliveries(const RouteTable& routes, EventDecoders& decoders, DeliveryOutcomes& outcomes, HttpDeliveries& http,
                 std::ostream& log);
  ~ExecDeliveries();

  /// Submits `work`'s event to `service` for `flow`, as `delivery_id`.
  void submit(const ServiceSpec& service, const std::string& flow, const Work& work, const std::string& delivery_id);
  /// Waits up to `timeout_ms` for outcomes of exec and http deliveries,
  /// and handles what came; returns early, too, when `input_fd` (if not
  /// -1) is readable.
  void poll(int timeout_ms, int input_fd = -1);
  /// Some exec or http delivery is not settled.
  bool pending() const;
  /// Stops the services' processes and the http connections (after the
  /// last poll).
  void shutdown();

 private:
  std::unique_ptr<ExecRunner> runner_;
  std::vector<AttemptOutcome> outcomes_list_;
  DeliveryOutcomes& outcomes_;
  HttpDeliveries& http_;
};

}  // namespace flow::runtime
