// Decoding an event's `data` object into its layout (data_decoder.h).
#include "ingress/data_decoder.h"

#include <cmath>
#include <cstring>

#include "base/json_string.h"
#include "base/nearest_name.h"
#include "base/time_format.h"
#include "ingress/absent_fields.h"
#include "ingress/duration_text.h"
#include "ingress/json_text.h"
#include "ingress/map_entries.h"
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
    case TypeKind::Record:
    case TypeKind::Map: return found == json_type::object;
    default: return false;
  }
}

std::string quoted(std::string_view text) {
  return "\"" + excerpt(text) + "\"";
}

}  // namespace

std::string DataDecoder::path() const {
  std::string out;
  for (const Step& step : path_) {
    switch (step.kind) {
      case Step::Field:
        if (!out.empty()) out += '.';
        out += *step.field;
        break;
      case Step::Index: out += "[" + std::to_string(step.index) + "]"; break;
      case Step::Key:
        // As a JSON string, cut when long like other input text in messages.
        out += '[';
        append_json_string(out, step.key.size() <= 40 ? std::string(step.key) : excerpt(step.key),
                           JsonEscape::kRepairUtf8);
        out += ']';
        break;
    }
  }
  return out;
}

std::string DataDecoder::field_prefix() const {
  return path_.empty() ? std::string() : path() + ".";
}

Outcome DataDecoder::invalid(const std::string& what) {
  *reason_ = "field '" + path() + "': " + what;
  return Outcome::Invalid;
}

Outcome DataDecoder::not_json(simdjson::error_code error) {
  *reason_ = std::string(json::describe(error));
  return Outcome::NotJson;
}

Outcome DataDecoder::mismatch(json::od::value& value, json_type found, const TypeCodec& codec) {
  if (!same_json_kind(found, codec.kind)) {
    std::string what = "expected " + codec.name + ", found " + json::describe_found(value, found);
    if (found == json_type::null) {
      const Step::Kind last = path_.back().kind;
      what += last == Step::Field   ? " (the field is not optional)"
              : last == Step::Index ? " (the element is not optional)"
                                    : " (the value is not optional)";
    }
    return invalid(what);
  }
  // The right kind of JSON value, but its getter failed: the number or the
  // string itself is the problem.
  if (found == json_type::number) {
    std::string_view t = json::token(value);
    if (!is_json_number(t)) return not_json(simdjson::NUMBER_ERROR);
    if (codec.kind == TypeKind::Int && !is_integer_literal(t))
      return invalid("expected int, found number " + excerpt(t) + " (an int has no fraction or exponent)");
    return invalid("number " + excerpt(t) + " is out of range for " + codec.name);
  }
  if (found == json_type::string) return not_json(simdjson::STRING_ERROR);
  if (found == json_type::boolean) return not_json(simdjson::T_ATOM_ERROR);
  return not_json(simdjson::TAPE_ERROR);
}

Outcome DataDecoder::decode_value(json::od::value& value, json_type found, const TypeCodec& codec, uint8_t* slot) {
  switch (codec.kind) {
    case TypeKind::Bool: {
      bool b;
      if (value.get_bool().get(b)) return mismatch(value, found, codec);
      layout::store_bool(slot, b);
      return Outcome::Ok;
    }
    case TypeKind::Int: {
      int64_t i;
      if (value.get_int64().get(i)) return mismatch(value, found, codec);
      store(slot, i);
      return Outcome::Ok;
    }
    case TypeKind::Float: {
      double d;
      // simdjson refuses numbers beyond double range, so `d` is finite.
      if (value.get_double().get(d)) return mismatch(value, found, codec);
      // The integer -0 is 0 (as int-to-float conversion, and the fast path, have it).
      if (d == 0 && std::signbit(d) && is_integer_literal(json::token(value))) d = 0.0;
      store(slot, d);
      return Outcome::Ok;
    }
    case TypeKind::List:
      if (found != json_type::array) return mismatch(value, found, codec);
      return decode_list(value, codec, slot);
    case TypeKind::Map:
      if (found != json_type::object) return mismatch(value, found, codec);
      return decode_map(value, codec, slot);
    case TypeKind::Record: {
      if (found != json_type::object) return mismatch(value, found, codec);
      json::od::object object;
      if (simdjson::error_code e = value.get_object().get(object)) return not_json(e);
      return decode_fields(object, *codec.record, slot);  // the slot is zeroed
    }
    case TypeKind::Decimal: return decode_decimal(value, found, codec, slot);
    default: break;
  }
  // The rest are strings in JSON.
  std::string_view text;
  if (json::string_of(value, text)) return mismatch(value, found, codec);
  switch (codec.kind) {
    case TypeKind::String: store(slot, arena_->copy(text)); return Outcome::Ok;
    case TypeKind::Timestamp: {
      std::optional<int64_t> micros = parse_timestamp(text);
      if (!micros) return invalid("expected an RFC 3339 timestamp, found " + quoted(text));
      store(slot, *micros);
      return Outcome::Ok;
    }
    case TypeKind::Duration: {
      std::optional<int64_t> micros = parse_duration_text(text);
      if (!micros) return invalid("expected a duration such as \"15m\" or \"250ms\", found " + quoted(text));
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
        return invalid(what);
      }
      store(slot, static_cast<int32_t>(member));
      return Outcome::Ok;
    }
    default: return invalid("type " + codec.name + " cannot be read from JSON");
  }
}

Outcome DataDecoder::decode_decimal(json::od::value& value, json_type found, const TypeCodec& codec, uint8_t* slot) {
  // The number's own text, never a double: 12.50 keeps its two places.
  std::string_view text;
  if (found == json_type::number) {
    text = json::token(value);
    if (!is_json_number(text)) return not_json(simdjson::NUMBER_ERROR);
  } else if (found != json_type::string || json::string_of(value, text)) {
    return mismatch(value, found, codec);
  }
  FlowDecimal d{};
  const int32_t status = flow_rt_decimal_parse(text.data(), text.size(), &d);
  if (status != FLOW_DECIMAL_PARSE_OK) {
    std::string shown = found == json_type::number ? "number " + excerpt(text) : "string " + quoted(text);
    return invalid("expected decimal, found " + shown + " (" + flow_rt_decimal_parse_message(status) + ")");
  }
  store(slot, d);
  return Outcome::Ok;
}

Outcome DataDecoder::decode_null(json::od::value& value, bool optional, const TypeCodec& codec) {
  if (!optional) return mismatch(value, json_type::null, codec);
  bool is_null = false;
  if (value.is_null().get(is_null) || !is_null) return not_json(simdjson::N_ATOM_ERROR);
  return Outcome::Ok;  // the slot (or box) stays zeroed: absent
}

Outcome DataDecoder::decode_element(json::od::value& value, const TypeCodec& container, uint8_t* slot) {
  json_type found;
  if (simdjson::error_code e = value.type().get(found)) return not_json(e);
  if (found == json_type::null) return decode_null(value, container.element_optional, *container.element);
  if (container.element_optional) {
    slot[0] = 1;
    slot += container.element_value_offset;
  }
  return decode_value(value, found, *container.element, slot);
}

Outcome DataDecoder::decode_list(json::od::value& value, const TypeCodec& codec, uint8_t* slot) {
  json::od::array array;
  if (simdjson::error_code e = value.get_array().get(array)) return not_json(e);
  // Element slots go to a scratch buffer first: the count is known only at
  // the end, and counting first would read the array twice.
  const size_t depth = containers_++;
  while (scratch_.size() <= depth) scratch_.emplace_back();
  std::vector<uint8_t>& buffer = scratch_[depth];
  buffer.clear();
  path_.push_back(Step{Step::Index, nullptr, 0, {}});
  uint64_t count = 0;
  for (auto item : array) {
    json::od::value v;
    if (simdjson::error_code e = item.get(v)) return not_json(e);
    path_.back().index = count;
    const size_t offset = buffer.size();
    buffer.resize(offset + codec.element_size);  // zeroed: an absent optional element, an empty record
    if (Outcome o = decode_element(v, codec, buffer.data() + offset); o != Outcome::Ok) return o;
    ++count;
  }
  path_.pop_back();
  --containers_;
  auto* data = static_cast<uint8_t*>(arena_->allocate(buffer.size(), codec.element_align));
  if (!buffer.empty()) std::memcpy(data, buffer.data(), buffer.size());
  store(slot, FlowList{data, count});
  return Outcome::Ok;
}

Outcome DataDecoder::decode_map(json::od::value& value, const TypeCodec& codec, uint8_t* slot) {
  json::od::object object;
  if (simdjson::error_code e = value.get_object().get(object)) return not_json(e);
  // Entries in the order they come, sorted at the end (map_entries.h).
  const size_t depth = containers_++;
  while (scratch_.size() <= depth) scratch_.emplace_back();
  while (order_.size() <= depth) order_.emplace_back();
  std::vector<uint8_t>& buffer = scratch_[depth];
  buffer.clear();
  path_.push_back(Step{Step::Key, nullptr, 0, {}});
  uint64_t count = 0;
  for (auto member : object) {
    std::string_view key;
    if (simdjson::error_code e = json::key_of(member, key)) return not_json(e);
    json::od::value v;
    if (simdjson::error_code e = member.value().get(v)) return not_json(e);
    path_.back().key = key;
    const size_t offset = buffer.size();
    buffer.resize(offset + codec.entry_size);
    store(buffer.data() + offset, arena_->copy(key));
    if (Outcome o = decode_element(v, codec, buffer.data() + offset + codec.entry_value_offset); o != Outcome::Ok)
      return o;
    ++count;
  }
  path_.pop_back();
  --containers_;
  FlowMap map{};
  std::string_view duplicate;
  if (!sort_map_entries(buffer.data(), count, codec.entry_size, order_[depth], *arena_, map, duplicate))
    return invalid("duplicate key '" + excerpt(duplicate) + "'");
  store(slot, map);
  return Outcome::Ok;
}

Outcome DataDecoder::decode_fields(json::od::object& object, const StructCodec& type, uint8_t* out) {
  const size_t n = type.fields.size();
  const size_t level = records_++;
  while (seen_.size() <= level) seen_.emplace_back();
  SeenFields& seen = seen_[level];
  seen.reset(n);
  const size_t json_depth = path_.size() + 2;  // of the fields' values: the root object is 0, data 1
  size_t expected = 0;                         // producers usually write fields in declaration order
  for (auto member : object) {
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
          *reason_ = "unknown field '" + field_prefix() + excerpt(key) + "' (strict mode)";
          return Outcome::Invalid;
        }
        if (simdjson::error_code e = json::check_value(value, static_cast<int>(json_depth))) return not_json(e);
        continue;
      }
    }
    expected = static_cast<size_t>(index) + 1;
    const FieldCodec& f = type.fields[static_cast<size_t>(index)];
    path_.push_back(Step{Step::Field, &f.name, 0, {}});
    if (!seen.mark(static_cast<size_t>(index))) {
      *reason_ = "duplicate field '" + path() + "'";
      return Outcome::Invalid;
    }
    json_type found;
    if (simdjson::error_code e = value.type().get(found)) return not_json(e);
    if (found == json_type::null) {
      if (Outcome o = decode_null(value, f.optional, *f.value); o != Outcome::Ok) return o;
      path_.pop_back();
      continue;  // none: presence bit clear
    }
    if (Outcome o = decode_value(value, found, *f.value, out + f.offset); o != Outcome::Ok) return o;
    path_.pop_back();
    mark_present(*type.layout, out, index);
  }
  --records_;
  if (!fill_absent_fields(type, seen, out, *arena_)) {
    *reason_ = missing_fields_reason(type, seen, field_prefix());
    return Outcome::Invalid;
  }
  return Outcome::Ok;
}

Outcome DataDecoder::decode(json::od::object& data, const EventType& type, Arena& arena, uint8_t*& instance,
                            std::string& reason) {
  arena_ = &arena;
  reason_ = &reason;
  path_.clear();
  records_ = 0;
  containers_ = 0;
  const layout::EventLayout& layout = *type.layout;
  auto* out = static_cast<uint8_t*>(arena.allocate_zeroed(layout.size, layout.align));
  if (Outcome o = decode_fields(data, type, out); o != Outcome::Ok) return o;
  instance = out;
  return Outcome::Ok;
}

}  // namespace flow::runtime
