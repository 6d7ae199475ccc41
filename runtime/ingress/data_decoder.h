// Internal to the ingress library: the reference path's decoder of an
// event's `data` object, from simdjson's On-Demand values straight into the
// event's compiled layout (docs/event-layout.md), validating as it goes
// (language.md §4.1, §5): types, null only for optionals, missing fields,
// defaults for absent fields, duplicate and (when strict) unknown fields,
// at any depth of records, lists and maps; and saying precisely what is
// wrong when something is, with the path to it
// (`field 'items[3].qty': expected int, found string "x"`,
// `missing field 'ship_to.city'`, `field 'labels["k"]': ...`).
// One per decoder (per thread); it keeps scratch buffers between events, so
// it allocates only in the arena.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
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
  /// One step of the path from the event to the value being decoded.
  struct Step {
    enum Kind : uint8_t { Field, Index, Key } kind;
    const std::string* field = nullptr;  // Field
    uint64_t index = 0;                  // Index
    std::string_view key;                // Key (valid while the document is)
  };

  /// The fields of an event or of a record (`out`: its zeroed bytes).
  Outcome decode_fields(json::od::object& object, const StructCodec& type, uint8_t* out);
  Outcome decode_value(json::od::value& value, json::od::json_type found, const TypeCodec& codec, uint8_t* slot);
  /// A null where a value of `codec` goes: none when `optional`, else a mismatch.
  Outcome decode_null(json::od::value& value, bool optional, const TypeCodec& codec);
  /// One element of a list or value of a map (`container`'s element) into
  /// its element slot, null included.
  Outcome decode_element(json::od::value& value, const TypeCodec& container, uint8_t* slot);
  Outcome decode_list(json::od::value& value, const TypeCodec& codec, uint8_t* slot);
  Outcome decode_map(json::od::value& value, const TypeCodec& codec, uint8_t* slot);
  /// A decimal from a number's raw text or a string's; never rounded.
  Outcome decode_decimal(json::od::value& value, json::od::json_type found, const TypeCodec& codec, uint8_t* slot);

  Outcome invalid(const std::string& what);
  Outcome mismatch(json::od::value& value, json::od::json_type found, const TypeCodec& codec);
  Outcome not_json(simdjson::error_code error);
  /// The path as written in messages: `items[3].qty`, `labels["k"]`.
  std::string path() const;
  /// The path and a dot, or nothing at the event's level: what the names of
  /// the fields of the record being decoded follow.
  std::string field_prefix() const;

  bool strict_;
  Arena* arena_ = nullptr;
  std::vector<Step> path_;
  std::deque<SeenFields> seen_;               // fields present in the JSON, per record depth
  size_t records_ = 0;                        // records open (seen_ in use)
  std::deque<std::vector<uint8_t>> scratch_;  // element slots per list or map depth (deque: stable references)
  std::deque<std::vector<uint32_t>> order_;   // map entries sorted by key, per depth
  size_t containers_ = 0;                     // lists and maps open (scratch_ in use)
  std::string* reason_ = nullptr;
};

}  // namespace flow::runtime
