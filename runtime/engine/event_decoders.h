// EventDecoders: the engine's view of the program's event types — the
// catalog (layouts, JSON keys, defaults) — and the two CloudEvents decoders
// it reads events with: one for input lines, one for the `data` of events
// services emit (exec answers) and of journaled events re-driven on start.
// Each decoder keeps the error of its last failure, so they are not shared.
//
// Why a part of its own: ingress decoding is the first stage of every
// event, and the field defaults the catalog needs are the only thing it
// evaluates; building all of it once here keeps the program's event
// declarations out of the other parts.
//
// Limits: built once per run; throws std::runtime_error when a field
// default cannot be evaluated.
#pragma once

#include <memory>

#include "engine/evaluator.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"
#include "ingress/field_defaults.h"
#include "load/app_loader.h"

namespace flow::runtime {

class EventDecoders {
 public:
  EventDecoders(const LoadedApp& app, const Evaluator& evaluator, bool strict);

  const EventCatalog& catalog() const { return *catalog_; }
  /// For input lines (decode_in_place).
  CloudEventDecoder& input() { return *input_; }
  /// For emitted and journaled events' `data` (decode_data).
  CloudEventDecoder& data() { return *data_; }

 private:
  std::unique_ptr<FieldDefaults> defaults_;  // the catalog points into them
  std::unique_ptr<EventCatalog> catalog_;
  std::unique_ptr<CloudEventDecoder> input_;
  std::unique_ptr<CloudEventDecoder> data_;
};

}  // namespace flow::runtime
