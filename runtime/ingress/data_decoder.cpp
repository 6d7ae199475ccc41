// Decoding an event's `data` object into its layout (data_decoder.h).
#include "ingress/data_decoder.h"

#include <cmath>
#include <cstring>

#include "base/nearest_name.h"
#include "base/time_format.h"
#include "ingress/absent_fields.h"
#include "ingress/duration_text.h"
#include "ingress/json_text.h"
#include "layout/event_builder.h"

namespace flow::runtime {

using json::od::json_type;
using layout::store;
using Outcome = DataDecoder::Outcome;

namespace {

/// Whether a JSON value of type `found` is the kind `codec` reads, so that
/// a failing getter means malformed JSON rather than a type mismatch.
bool same_json_kind(json_type found, TypeKind kind) {
  switch (kind) {
    case TypeKind::Bool: return found == json_type::boolean;
    case TypeKind::Int:
    case TypeKind::Float: return found == json_type::number;
    case TypeKind::Decimal: return found == json_type::number || found == json_type::string;
    case TypeKind::String:
    case TypeKind::Timestamp:
    case TypeKind::Duration:
    case TypeKind::Enum: return found == json_type::string;
    case TypeKind::List: return found == json_type::array;
    default: return false;
  }
}

std::string quoted(std::string_view text) {
  return "\"" + excerpt(text) + "\"";
}

}  // namespace

std::string DataDecoder::path(size_t depth) const {
  std::string out = "field '" + field_->name;
  for (size_t i = 0; i < depth; ++i) out += "[" + std::to_string(indexes_[i]) + "]";
  return out + "'";
}

Outcome DataDecoder::invalid(size_t depth, const std::string& what) {
  *reason_ = path(depth) + ": " + what;
  return Outcome::Invalid;
}

Outcome DataDecoder::not_json(simdjson::error_code error) {
  *reason_ = std::string(json::describe(error));
  return Outcome::NotJson;
}

Outcome DataDecoder::mismatch(json::od::value& value, json_type found, const TypeCodec& codec, size_t depth) {
  if (!same_json_kind(found, codec.kind)) {
    std::string what = "expected " + codec.name + ", found " + json::describe_found(value, found);
    if (found == json_type::null) what += " (the " + std::string(depth ? "element" : "field") + " is not optional)";
    return invalid(depth, what);
  }
  // The right kind of JSON value, but its getter failed: the number or the
  // string itself is the problem.
  if (found == json_type::number) {
    std::string_view t = json::token(value);
    if (!is_json_number(t)) return not_json(simdjson::NUMBER_ERROR);
    if (codec.kind == TypeKind::Int && !is_integer_literal(t))
      return invalid(depth, "expected int, found number " + excerpt(t) + " (an int has no fraction or exponent)");
    return invalid(depth, "number " + excerpt(t) + " is out of range for " + codec.name);
  }
  if (found == json_type::string) return not_json(simdjson::STRING_ERROR);
  if (found == json_type::boolean) return not_json(simdjson::T_ATOM_ERROR);
  return not_json(simdjson::TAPE_ERROR);
}

Outcome DataDecoder::decode_value(json::od::value& value, json_type found, const TypeCodec& codec, uint8_t* slot,
                                  size_t depth) {
  switch (codec.kind) {
    case TypeKind::Bool: {
      bool b;
      if (value.get_bool().get(b)) return mismatch(value, found, codec, depth);
      layout::store_bool(slot, b);
      return Outcome::Ok;
    }
    case TypeKind::Int: {
      int64_t i;
      if (value.get_int64().get(i)) return mismatch(value, found, codec, depth);
      store(slot, i);
      return Outcome::Ok;
    }
    case TypeKind::Float: {
      double d;
      // simdjson refuses numbers beyond double range, so `d` is finite.
      if (value.get_double().get(d)) return mismatch(value, found, codec, depth);
      // The integer -0 is 0 (as int-to-float conversion, and the fast path, have it).
      if (d == 0 && std::signbit(d) && is_integer_literal(json::token(value))) d = 0.0;
      store(slot, d);
      return Outcome::Ok;
    }
    case TypeKind::List:
      if (found != json_type::array) return mismatch(value, found, codec, depth);
      return decode_list(value, codec, slot, depth);
    case TypeKind::Decimal: return decode_decimal(value, found, codec, slot, depth);
    default: break;
  }
  // The rest are strings in JSON.
  std::string_view text;
  if (json::string_of(value, text)) return mismatch(value, found, codec, depth);
  switch (codec.kind) {
    case TypeKind::String: store(slot, arena_->copy(text)); return Outcome::Ok;
    case TypeKind::Timestamp: {
      std::optional<int64_t> micros = parse_timestamp(text);
      if (!micros) return invalid(depth, "expected an RFC 3339 timestamp, found " + quoted(text));
      store(slot, *micros);
      return Outcome::Ok;
    }
    case TypeKind::Duration: {
      std::optional<int64_t> micros = parse_duration_text(text);
      if (!micros) return invalid(depth, "expected a duration such as \"15m\" or \"250ms\", found " + quoted(text));
      store(slot, *micros);
      return Outcome::Ok;
    }
    case TypeKind::Enum: {
      const EnumCodec& e = *codec.enumeration;
      int member = e.members.find(text);
      if (member < 0) {
        std::string what = quoted(text) + " is not a member of " + codec.name;
        std::string nearest = text.size() <= 64 ? nearest_name(text, e.names) : "";
        if (!nearest.empty()) {
          what += " (did you mean '" + nearest + "'?)";
        } else {
          what += " (one of ";
          for (size_t i = 0; i < e.names.size(); ++i) what += (i ? ", " : "") + e.names[i];
          what += ")";
        }
        return invalid(depth, what);
      }
      store(slot, static_cast<int32_t>(member));
      return Outcome::Ok;
    }
    default: return invalid(depth, "type " + codec.name + " cannot be read from JSON");
  }
}

Outcome DataDecoder::decode_decimal(json::od::value& value, json_type found, const TypeCodec& codec, uint8_t* slot,
                                    size_t depth) {
  // The number's own text, never a double: 12.50 keeps its two places.
  std::string_view text;
  if (found == json_type::number) {
    text = json::token(value);
    if (!is_json_number(text)) return not_json(simdjson::NUMBER_ERROR);
  } else if (found != json_type::string || json::string_of(value, text)) {
    return mismatch(value, found, codec, depth);
  }
  FlowDecimal d{};
  const int32_t status = flow_rt_decimal_parse(text.data(), text.size(), &d);
  if (status != FLOW_DECIMAL_PARSE_OK) {
    std::string shown = found == json_type::number ? "number " + excerpt(text) : "string " + quoted(text);
    return invalid(depth, "expected decimal, found " + shown + " (" + flow_rt_decimal_parse_message(status) + ")");
  }
  store(slot, d);
  return Outcome::Ok;
}

Outcome DataDecoder::decode_list(json::od::value& value, const TypeCodec& codec, uint8_t* slot, size_t depth) {
  json::od::array array;
  if (simdjson::error_code e = value.get_array().get(array)) return not_json(e);
  // Element slots go to a scratch buffer first: the count is known only at
  // the end, and counting first would read the array twice.
  while (scratch_.size() <= depth) scratch_.emplace_back();
  if (indexes_.size() <= depth) indexes_.resize(depth + 1);
  std::vector<uint8_t>& buffer = scratch_[depth];
  buffer.clear();
  const TypeCodec& element = *codec.element;
  uint64_t count = 0;
  for (auto item : array) {
    json::od::value v;
    if (simdjson::error_code e = item.get(v)) return not_json(e);
    indexes_[depth] = count;
    const size_t offset = buffer.size();
    buffer.resize(offset + codec.element_size);  // zeroed: an absent optional element
    json_type found;
    if (simdjson::error_code e = v.type().get(found)) return not_json(e);
    if (found == json_type::null) {
      if (!codec.element_optional) return mismatch(v, found, element, depth + 1);
      bool is_null = false;
      if (v.is_null().get(is_null) || !is_null) return not_json(simdjson::N_ATOM_ERROR);
    } else {
      uint8_t* element_slot = buffer.data() + offset;
      if (codec.element_optional) {
        element_slot[0] = 1;
        element_slot += codec.element_value_offset;
      }
      if (Outcome o = decode_value(v, found, element, element_slot, depth + 1); o != Outcome::Ok) return o;
    }
    ++count;
  }
  auto* data = static_cast<uint8_t*>(arena_->allocate(buffer.size(), codec.element_align));
  if (!buffer.empty()) std::memcpy(data, buffer.data(), buffer.size());
  store(slot, FlowList{data, count});
  return Outcome::Ok;
}

Outcome DataDecoder::decode(json::od::object& data, const EventType& type, Arena& arena, uint8_t*& instance,
                            std::string& reason) {
  arena_ = &arena;
  reason_ = &reason;
  const layout::EventLayout& layout = *type.layout;
  auto* out = static_cast<uint8_t*>(arena.allocate_zeroed(layout.size, layout.align));
  const size_t n = type.fields.size();
  seen_.reset(n);
  size_t expected = 0;  // producers usually write fields in declaration order
  for (auto member : data) {
    std::string_view key;
    if (simdjson::error_code e = json::key_of(member, key)) return not_json(e);
    json::od::value value;
    if (simdjson::error_code e = member.value().get(value)) return not_json(e);
    int index;
    if (expected < n && key == type.fields[expected].name) {
      index = static_cast<int>(expected);
    } else {
      index = type.field_names.find(key);
      if (index < 0) {
        if (strict_) {
          reason = "unknown field '" + excerpt(key) + "' (strict mode)";
          return Outcome::Invalid;
        }
        if (simdjson::error_code e = json::check_value(value, 2)) return not_json(e);
        continue;
      }
    }
    expected = static_cast<size_t>(index) + 1;
    const FieldCodec& f = type.fields[static_cast<size_t>(index)];
    field_ = &f;
    if (!seen_.mark(static_cast<size_t>(index))) {
      reason = "duplicate field '" + f.name + "'";
      return Outcome::Invalid;
    }
    json_type found;
    if (simdjson::error_code e = value.type().get(found)) return not_json(e);
    if (found == json_type::null) {
      if (!f.optional) return mismatch(value, found, *f.value, 0);
      bool is_null = false;
      if (value.is_null().get(is_null) || !is_null) return not_json(simdjson::N_ATOM_ERROR);
      continue;  // none: slot zeroed, presence bit clear
    }
    if (Outcome o = decode_value(value, found, *f.value, out + f.offset, 0); o != Outcome::Ok) return o;
    mark_present(layout, out, index);
  }
  if (!fill_absent_fields(type, seen_, out, arena)) {
    reason = missing_fields_reason(type, seen_);
    return Outcome::Invalid;
  }
  instance = out;
  return Outcome::Ok;
}

}  // namespace flow::runtime
