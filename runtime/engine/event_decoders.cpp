#include "engine/event_decoders.h"

#include <stdexcept>

namespace flow::runtime {

EventDecoders::EventDecoders(const LoadedApp& app, const Evaluator& evaluator, bool strict)
    : defaults_(std::make_unique<FieldDefaults>()) {
  std::string error;
  const auto& events = app.plan->events;
  if (!evaluate_field_defaults(app.module(), evaluator.interpreter(), events, *defaults_, error)) {
    throw std::runtime_error("cannot evaluate field defaults: " + error);
  }
  catalog_ = std::make_unique<EventCatalog>(events, app.module().layouts, *defaults_);
  input_ = std::make_unique<CloudEventDecoder>(*catalog_, CloudEventDecoder::Options{strict});
  data_ = std::make_unique<CloudEventDecoder>(*catalog_, CloudEventDecoder::Options{strict});
}

}  // namespace flow::runtime
