// Internal to the ingress library: the fast path of the CloudEvents decoder.
// simdjson's DOM parser validates the whole line and builds its tape in one
// go (about 200 ns for a 300-byte event, where walking the same line value by
// value with the On-Demand API costs twice that), then a walk of the tape
// fills the instance.
//
// It only ever accepts: for any line it cannot decode exactly as the
// reference path (DataDecoder over On-Demand) would — malformed JSON,
// numbers beyond 64 bits, and every validation problem — it returns false
// without a reason, and the caller runs the reference path, which decides
// and explains. So messages exist in one place only, and the two paths are
// tested against each other (tests/ingress/fuzz_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include <simdjson.h>

#include "ingress/absent_fields.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"

namespace flow::runtime {

class FastDecoder {
 public:
  FastDecoder(const EventCatalog& catalog, bool strict);

  /// `json` must be followed by simdjson::SIMDJSON_PADDING readable bytes.
  /// True when the line is a valid event (then `out` is filled); false
  /// means "ask the reference path" (`out` and the arena may hold leftovers).
  bool decode(const char* json, size_t size, Arena& arena, DecodedEvent& out);
  /// The same for a bare `data` object of a known type.
  bool decode_data_object(const char* json, size_t size, const EventType& type, Arena& arena, DecodedEvent& out);

 private:
  bool decode_data(simdjson::dom::element data, const EventType& type, Arena& arena, uint8_t*& instance);
  bool decode_value(simdjson::dom::element value, const TypeCodec& codec, uint8_t* slot, Arena& arena);

  const EventCatalog& catalog_;
  bool strict_;
  bool usable_ = false;  // the parser got its buffers
  simdjson::dom::parser parser_;
  SeenFields seen_;
};

}  // namespace flow::runtime
