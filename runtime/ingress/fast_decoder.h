// Internal to the ingress library: the fast path of the CloudEvents decoder.
// simdjson's DOM parser validates the whole line and builds its tape in one
// go (about 200 ns for a 300-byte event, where walking the same line value by
// value with the On-Demand API costs twice that), then a walk of the tape
// fills the instance.
//
// Records, lists of records and maps are walked the same way, at any
// depth; a decimal only from a string or a nonzero integer, as the DOM does
// not keep a number's text.
//
// It only ever accepts: for any line it cannot decode exactly as the
// reference path (DataDecoder over On-Demand) would — malformed JSON,
// numbers beyond 64 bits, decimal numbers with a fraction or exponent, and
// every validation problem — it returns false without a reason, and the
// caller runs the reference path, which decides and explains. So messages exist in one place only, and the two paths are
// tested against each other (tests/ingress/fuzz_test.cpp).
//
// In front of it runs the express tier (express_decoder.h), which decodes
// the common shape of a line in one pass over its bytes, without a tape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include <simdjson.h>

#include "ingress/absent_fields.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"
#include "ingress/express_decoder.h"

namespace flow::runtime {

class FastDecoder {
 public:
  /// `express`: try the express tier first.
  FastDecoder(const EventCatalog& catalog, bool strict, bool express);

  /// `json` must be followed by simdjson::SIMDJSON_PADDING readable bytes.
  /// True when the line is a valid event (then `out` is filled); false
  /// means "ask the reference path" (`out` and the arena may hold leftovers).
  bool decode(const char* json, size_t size, Arena& arena, DecodedEvent& out);
  /// The same for a bare `data` object of a known type.
  bool decode_data_object(const char* json, size_t size, const EventType& type, Arena& arena, DecodedEvent& out);

  /// How many lines (and data objects) each tier accepted.
  size_t express_accepted() const { return express_accepted_; }
  size_t dom_accepted() const { return dom_accepted_; }

 private:
  bool decode_data(simdjson::dom::element data, const EventType& type, Arena& arena, uint8_t*& instance);
  /// The fields of an event or record into its zeroed bytes `out`.
  bool decode_fields(simdjson::dom::object object, const StructCodec& type, uint8_t* out, Arena& arena);
  bool decode_value(simdjson::dom::element value, const TypeCodec& codec, uint8_t* slot, Arena& arena);
  /// An element of a list or a value of a map (`container`'s) into its zeroed element slot.
  bool decode_element(simdjson::dom::element item, const TypeCodec& container, uint8_t* slot, Arena& arena);
  bool decode_map(simdjson::dom::object object, const TypeCodec& codec, uint8_t* slot, Arena& arena);
  bool decode_dom(const char* json, size_t size, Arena& arena, DecodedEvent& out);

  const EventCatalog& catalog_;
  bool strict_;
  bool usable_ = false;  // the parser got its buffers
  simdjson::dom::parser parser_;
  std::deque<SeenFields> seen_;                   // per record depth
  size_t records_ = 0;                            // records open
  std::deque<std::vector<uint8_t>> map_scratch_;  // entries in input order, per map depth
  size_t maps_ = 0;                               // maps open
  std::vector<uint32_t> order_;                   // for sorting entries
  bool use_express_;
  ExpressDecoder express_;
  size_t express_accepted_ = 0;
  size_t dom_accepted_ = 0;
};

}  // namespace flow::runtime
