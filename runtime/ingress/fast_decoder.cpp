// The DOM fast path of the decoder (fast_decoder.h). Every `return false`
// hands the line to the reference path, which has the messages.
#include "ingress/fast_decoder.h"

#include <charconv>
#include <cstring>

#include "base/short_copy.h"
#include "base/time_format.h"
#include "ingress/attributes.h"
#include "ingress/duration_text.h"
#include "ingress/json_check.h"
#include "ingress/map_entries.h"
#include "layout/event_builder.h"

namespace flow::runtime {

namespace dom = simdjson::dom;
using dom::element_type;
using layout::store;

FastDecoder::FastDecoder(const EventCatalog& catalog, bool strict, bool express)
    : catalog_(catalog), strict_(strict), use_express_(express), express_(catalog, strict) {
  // The reference path refuses nesting beyond json::kMaxDepth; refusing it
  // here as well keeps the two paths in agreement. Lines longer than this
  // capacity make the parser grow.
  usable_ = parser_.allocate(4096, json::kMaxDepth) == simdjson::SUCCESS;
}

bool FastDecoder::decode_value(dom::element value, const TypeCodec& codec, uint8_t* slot, Arena& arena) {
  const element_type type = value.type();
  switch (codec.kind) {
    case TypeKind::Bool:
      if (type != element_type::BOOL) return false;
      layout::store_bool(slot, value.get_bool().value_unsafe());
      return true;
    case TypeKind::Int:
      if (type != element_type::INT64) return false;  // fractions, exponents, beyond int64: reference path
      store(slot, value.get_int64().value_unsafe());
      return true;
    case TypeKind::Float:
      // Integers convert as int-to-float does (correctly rounded, -0 is 0).
      if (type == element_type::DOUBLE)
        store(slot, value.get_double().value_unsafe());
      else if (type == element_type::INT64)
        store(slot, static_cast<double>(value.get_int64().value_unsafe()));
      else if (type == element_type::UINT64)
        store(slot, static_cast<double>(value.get_uint64().value_unsafe()));
      else
        return false;
      return true;
    case TypeKind::List: {
      if (type != element_type::ARRAY) return false;
      dom::array array = value.get_array().value_unsafe();
      const size_t count = array.size();
      auto* data = static_cast<uint8_t*>(arena.allocate_zeroed(count * codec.element_size, codec.element_align));
      uint8_t* p = data;
      for (dom::element item : array) {
        if (!decode_element(item, codec, p, arena)) return false;
        p += codec.element_size;
      }
      store(slot, FlowList{data, count});
      return true;
    }
    case TypeKind::Map:
      return type == element_type::OBJECT && decode_map(value.get_object().value_unsafe(), codec, slot, arena);
    case TypeKind::Record:
      // The slot is zeroed: in a zeroed instance, list or map entry.
      return type == element_type::OBJECT &&
             decode_fields(value.get_object().value_unsafe(), *codec.record, slot, arena);
    case TypeKind::Decimal: {
      // A number's text is not in the DOM: only strings, and integers other
      // than 0 (whose text is their digits; a 0 may have been -0), are read
      // here; the rest are the reference path's.
      std::string_view text;
      char digits[24];
      if (type == element_type::STRING) {
        text = value.get_string().value_unsafe();
      } else if (type == element_type::INT64 && value.get_int64().value_unsafe() != 0) {
        text = std::string_view(
            digits, static_cast<size_t>(
                        std::to_chars(digits, digits + sizeof digits, value.get_int64().value_unsafe()).ptr - digits));
      } else {
        return false;
      }
      FlowDecimal d{};
      if (flow_rt_decimal_parse(text.data(), text.size(), &d) != FLOW_DECIMAL_PARSE_OK) return false;
      store(slot, d);
      return true;
    }
    default: break;
  }
  if (type != element_type::STRING) return false;
  const std::string_view text = value.get_string().value_unsafe();
  switch (codec.kind) {
    case TypeKind::String: store(slot, arena.copy(text)); return true;
    case TypeKind::Timestamp: {
      std::optional<int64_t> micros = parse_timestamp(text);
      if (!micros) return false;
      store(slot, *micros);
      return true;
    }
    case TypeKind::Duration: {
      std::optional<int64_t> micros = parse_duration_text(text);
      if (!micros) return false;
      store(slot, *micros);
      return true;
    }
    case TypeKind::Enum: {
      const int member = codec.enumeration->members.find(text);
      if (member < 0) return false;
      store(slot, static_cast<int32_t>(member));
      return true;
    }
    default: return false;
  }
}

bool FastDecoder::decode_element(dom::element item, const TypeCodec& container, uint8_t* slot, Arena& arena) {
  if (item.type() == element_type::NULL_VALUE) return container.element_optional;  // stays zeroed: absent
  if (container.element_optional) {
    slot[0] = 1;
    slot += container.element_value_offset;
  }
  return decode_value(item, *container.element, slot, arena);
}

bool FastDecoder::decode_map(dom::object object, const TypeCodec& codec, uint8_t* slot, Arena& arena) {
  // Entries in the order they come, then sorted (map_entries.h).
  const size_t depth = maps_++;
  while (map_scratch_.size() <= depth) map_scratch_.emplace_back();
  std::vector<uint8_t>& buffer = map_scratch_[depth];
  buffer.assign(object.size() * codec.entry_size, 0);
  uint8_t* p = buffer.data();
  for (dom::key_value_pair member : object) {
    store(p, arena.copy(member.key));
    if (!decode_element(member.value, codec, p + codec.entry_value_offset, arena)) return false;
    p += codec.entry_size;
  }
  --maps_;
  FlowMap map{};
  std::string_view duplicate;
  if (!sort_map_entries(buffer.data(), object.size(), codec.entry_size, order_, arena, map, duplicate)) return false;
  store(slot, map);
  return true;
}

bool FastDecoder::decode_fields(dom::object object, const StructCodec& type, uint8_t* out, Arena& arena) {
  const size_t n = type.fields.size();
  const size_t level = records_++;
  while (seen_.size() <= level) seen_.emplace_back();
  SeenFields& seen = seen_[level];
  seen.reset(n);
  size_t expected = 0;  // producers usually write fields in declaration order
  for (dom::key_value_pair member : object) {
    int index;
    if (expected < n && member.key.size() == type.fields[expected].name.size() &&
        short_equal(member.key.data(), type.fields[expected].name.data(), member.key.size())) {
      index = static_cast<int>(expected);
    } else {
      index = type.field_names.find(member.key);
      if (index < 0) {
        if (strict_) return false;
        continue;  // ignored; the DOM parser has checked it is JSON
      }
    }
    expected = static_cast<size_t>(index) + 1;
    if (!seen.mark(static_cast<size_t>(index))) return false;  // duplicate
    const FieldCodec& f = type.fields[static_cast<size_t>(index)];
    if (member.value.type() == element_type::NULL_VALUE) {
      if (!f.optional) return false;
      continue;  // none
    }
    if (!decode_value(member.value, *f.value, out + f.offset, arena)) return false;
    mark_present(*type.layout, out, index);
  }
  --records_;
  return fill_absent_fields(type, seen, out, arena);
}

bool FastDecoder::decode_data(dom::element data, const EventType& type, Arena& arena, uint8_t*& instance) {
  if (data.type() != element_type::OBJECT) return false;
  const layout::EventLayout& layout = *type.layout;
  auto* out = static_cast<uint8_t*>(arena.allocate_zeroed(layout.size, layout.align));
  records_ = 0;
  maps_ = 0;
  if (!decode_fields(data.get_object().value_unsafe(), type, out, arena)) return false;
  instance = out;
  return true;
}

bool FastDecoder::decode_data_object(const char* json, size_t size, const EventType& type, Arena& arena,
                                     DecodedEvent& out) {
  if (use_express_) {
    if (express_.decode_data_object(json, size, type, arena, out)) {
      ++express_accepted_;
      return true;
    }
    out = DecodedEvent{};
  }
  dom::element root;
  if (!usable_ || parser_.parse(json, size, false).get(root)) return false;
  out.type = &type;
  if (!decode_data(root, type, arena, out.instance)) return false;
  ++dom_accepted_;
  return true;
}

bool FastDecoder::decode(const char* json, size_t size, Arena& arena, DecodedEvent& out) {
  if (use_express_) {
    if (express_.decode(json, size, arena, out)) {
      ++express_accepted_;
      return true;
    }
    out = DecodedEvent{};  // the DOM walk below starts from nothing (it tests out.type)
  }
  if (!decode_dom(json, size, arena, out)) return false;
  ++dom_accepted_;
  return true;
}

bool FastDecoder::decode_dom(const char* json, size_t size, Arena& arena, DecodedEvent& out) {
  dom::element root;
  if (!usable_ || parser_.parse(json, size, false).get(root)) return false;
  if (root.type() != element_type::OBJECT) return false;
  const dom::object attributes = root.get_object().value_unsafe();
  unsigned seen = 0;
  dom::element data;
  bool data_later = false;
  for (dom::key_value_pair member : attributes) {
    const Attribute a = classify_attribute(member.key);
    if (a != Attribute::Other) {
      if (seen & attribute_bit(a)) return false;  // duplicate attribute
      seen |= attribute_bit(a);
    }
    if (a == Attribute::Other || a == Attribute::DataBase64) continue;
    if (a == Attribute::Data) {
      if (out.type) {
        if (!decode_data(member.value, *out.type, arena, out.instance)) return false;
      } else {
        data = member.value;
        data_later = true;
      }
      continue;
    }
    std::string_view text;
    if (member.value.get_string().get(text)) return false;
    switch (a) {
      case Attribute::Type:
        out.type = catalog_.find(text);
        if (!out.type) return false;
        break;
      case Attribute::SpecVersion:
        if (text != "1.0") return false;
        break;
      case Attribute::Id:
      case Attribute::Source:
      case Attribute::Subject: {
        if (text.empty() && a != Attribute::Subject) return false;
        FlowStr copy = arena.copy(text);
        (a == Attribute::Id       ? out.id
         : a == Attribute::Source ? out.source
                                  : out.subject) = std::string_view(copy.data, copy.size);
        break;
      }
      case Attribute::Time:
        out.time = parse_timestamp(text);
        if (!out.time) return false;
        break;
      default: break;
    }
  }
  if (!(seen & attribute_bit(Attribute::Type)) || !(seen & attribute_bit(Attribute::Data))) return false;
  if (data_later && !decode_data(data, *out.type, arena, out.instance)) return false;
  return true;
}

}  // namespace flow::runtime
