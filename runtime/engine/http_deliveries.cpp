#include "engine/http_deliveries.h"

#include "ingress/event_encoder.h"
#include "services/http_request.h"

namespace flow::runtime {

HttpDeliveries::HttpDeliveries(const RouteTable& routes, EventDecoders& decoders, DeliveryOutcomes& outcomes,
                               std::ostream& log)
    : routes_(routes), decoders_(decoders), outcomes_(outcomes), log_(log) {}

HttpDeliveries::~HttpDeliveries() = default;

void HttpDeliveries::submit(const ServiceSpec& service, const std::string& flow, const Work& work,
                            const std::string& delivery_id) {
  if (!runner_) {
    HttpRunnerOptions options;
    options.log = [this](std::string_view line) { log_ << line << "\n"; };
    // An http service may only publish what it declares, and only valid
    // events: the rule of exec services.
    options.validator = [this](std::size_t index, const std::vector<RawEmit>& emits) {
      return DeliveryOutcomes::check_emits(*routes_.http_services()[index], decoders_, emits);
    };
    runner_ = std::make_unique<HttpRunner>(routes_.http_configs(), std::move(options));
  }
  std::string data;
  append_data_json(data, *work.type, work.data);
  CloudEventHead head{work.type->wire_name, work.id, work.cloudevent_source(), work.time_us, std::nullopt};
  if (!work.subject.empty()) head.subject = work.subject;
  runner_->submit(service.http_index, delivery_id, binary_cloudevent_request(head, delivery_id, std::move(data)));
  outcomes_.track(service, flow, work, delivery_id);
}

bool HttpDeliveries::run() {
  if (!runner_ || runner_->run(outcomes_list_) == 0) return false;
  outcomes_.handle(outcomes_list_);
  return true;
}

void HttpDeliveries::shutdown() {
  if (!runner_) return;
  std::vector<AttemptOutcome> abandoned;  // delivered again at the next start
  runner_->shutdown(abandoned);
}

}  // namespace flow::runtime
