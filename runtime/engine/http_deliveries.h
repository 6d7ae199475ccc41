// HttpDeliveries: deliveries to `http` services (serve.md §1), through one
// HttpRunner for all of them. A delivery is submitted as a POST of the
// event in CloudEvents binary mode (services/http_request.h) and tracked by
// DeliveryOutcomes (its instance and causal chain held) until its outcome
// comes back from run().
//
// Why a part of its own: it maps the plan's http services onto the runner
// and the engine's events onto requests; how attempts are journaled and
// what they publish is dispatched is DeliveryOutcomes', shared with exec.
//
// Limits: the runner (with its epoll set, timer and libcurl) is made at the
// first delivery, so a run that never delivers to an http service pays
// nothing for them. ExecDeliveries::poll() is what waits on wait_fd().
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "engine/delivery_outcomes.h"
#include "engine/event_decoders.h"
#include "engine/route_table.h"
#include "engine/work_queue.h"
#include "services/http_runner.h"

namespace flow::runtime {

class HttpDeliveries {
 public:
  HttpDeliveries(const RouteTable& routes, EventDecoders& decoders, DeliveryOutcomes& outcomes, std::ostream& log);
  ~HttpDeliveries();

  /// Submits `work`'s event to `service` for `flow`, as `delivery_id`.
  void submit(const ServiceSpec& service, const std::string& flow, const Work& work, const std::string& delivery_id);
  /// Some delivery is not settled.
  bool pending() const { return runner_ && runner_->pending() > 0; }
  /// Moves the requests on and handles the outcomes that came, without
  /// waiting; true if any came.
  bool run();
  /// Readable when run() has something to do (only while pending()).
  int wait_fd() const { return runner_ ? runner_->wait_fd() : -1; }
  /// Cuts what is still in flight and closes the connections (after the
  /// last poll: nothing is pending then but after a failure).
  void shutdown();

 private:
  const RouteTable& routes_;
  EventDecoders& decoders_;
  DeliveryOutcomes& outcomes_;
  std::ostream& log_;
  std::unique_ptr<HttpRunner> runner_;
  std::vector<AttemptOutcome> outcomes_list_;
};

}  // namespace flow::runtime
