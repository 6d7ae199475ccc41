// Internal to the ingress library: the reference path's decoder of an
// event's `data` object, from simdjson's On-Demand values straight into the
// event's compiled layout (docs/event-layout.md), validating as it goes
// (language.md §5): types, null only for optionals, missing fields, defaults
// for absent fields, duplicate and (when strict) unknown fields; and saying
// precisely what is wrong when something is. One per decoder (per thread);
// it keeps scratch buffers between events, so it allocates only in the arena.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "ingress/absent_fields.h"
#include "ingress/event_catalog.h"
#include "ingress/json_check.h"
#include "rt_abi/arena.h"

namespace flow::runtime {

class DataDecoder {
 public:
  enum class Outcome : uint8_t { Ok, Invalid, NotJson };

  explicit DataDecoder(bool strict) : strict_(strict) {}

  /// Decodes `data` into a new instance of `type` allocated in `arena`.
  /// On Invalid or NotJson, `reason` says why in one line.
  Outcome decode(json::od::object& data, const EventType& type, Arena& arena, uint8_t*& instance, std::string& reason);

 private:
  Outcome decode_value(json::od::value& value, json::od::json_type found, const TypeCodec& codec, uint8_t* slot,
                       size_t depth);
  Outcome decode_list(json::od::value& value, const TypeCodec& codec, uint8_t* slot, size_t depth);
  /// A decimal from a number's raw text or a string's; never rounded.
  Outcome decode_decimal(json::od::value& value, json::od::json_type found, const TypeCodec& codec, uint8_t* slot,
                         size_t depth);

  Outcome invalid(size_t depth, const std::string& what);
  Outcome mismatch(json::od::value& value, json::od::json_type found, const TypeCodec& codec, size_t depth);
  Outcome not_json(simdjson::error_code error);
  std::string path(size_t depth) const;

  bool strict_;
  Arena* arena_ = nullptr;
  const FieldCodec* field_ = nullptr;         // the field being decoded, for messages
  std::vector<uint64_t> indexes_;             // list indexes on the way to the current element
  SeenFields seen_;                           // fields present in the JSON
  std::deque<std::vector<uint8_t>> scratch_;  // element slots per list depth (deque: stable references)
  std::string* reason_ = nullptr;
};

}  // namespace flow::runtime
