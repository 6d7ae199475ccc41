#include "engine/exec_deliveries.h"

#include <chrono>
#include <span>

#include "ingress/event_encoder.h"

namespace flow::runtime {

ExecDeliveries::ExecDeliveries(const RouteTable& routes, EventDecoders& decoders, DeliveryOutcomes& outcomes,
                               HttpDeliveries& http, std::ostream& log)
    : outcomes_(outcomes), http_(http) {
  ExecRunnerOptions runner_options;
  runner_options.log = [&log](const LogLine& line) { log << line.line << "\n"; };
  // An exec service may only emit what it publishes, and only valid events.
  runner_options.validator = [&routes, &decoders](std::size_t index,
                                                  const std::vector<RawEmit>& emits) -> std::optional<EmitRejection> {
    return DeliveryOutcomes::check_emits(*routes.exec_services()[index], decoders, emits);
  };
  runner_ = std::make_unique<ExecRunner>(routes.exec_configs(), std::move(runner_options));
}

ExecDeliveries::~ExecDeliveries() = default;

void ExecDeliveries::submit(const ServiceSpec& service, const std::string& flow, const Work& work,
                            const std::string& delivery_id) {
  std::string json;
  CloudEventAttributes attributes{work.id, work.cloudevent_source(), work.time_us, std::nullopt};
  append_cloudevent_json(json, *work.type, work.data, attributes);
  runner_->submit(service.exec_index, delivery_id, json);
  outcomes_.track(service, flow, work, delivery_id);
}

bool ExecDeliveries::pending() const {
  return runner_->pending() > 0 || http_.pending();
}

void ExecDeliveries::poll(int timeout_ms, int input_fd) {
  // Both kinds in one wait: the exec runner's poll(2) also wakes when the
  // http runner has something to do (or the input has more).
  int wake[2];
  std::size_t n = 0;
  if (input_fd >= 0) wake[n++] = input_fd;
  const bool http = http_.pending();
  if (http) {
    if (http_.run()) timeout_ms = 0;
    wake[n++] = http_.wait_fd();
  }
  runner_->poll(timeout_ms, outcomes_list_, std::span<const int>(wake, n));
  outcomes_.handle(outcomes_list_);
  if (http_.pending()) http_.run();
}

void ExecDeliveries::shutdown() {
  runner_->shutdown(std::chrono::milliseconds(2000));
  http_.shutdown();
}

}  // namespace flow::runtime
