// Value <-> slot conversions, recursive over list element types.
#include "eval/value_io.h"

#include <stdexcept>

namespace flow::eval {

using namespace layout;

Value read_slot(const Type* type, const uint8_t* slot) {
  switch (type->kind) {
    case TypeKind::Bool: return Value::boolean(load_bool(slot));
    case TypeKind::Int: return Value::integer(load<int64_t>(slot));
    case TypeKind::Float: return Value::floating(load<double>(slot));
    case TypeKind::Timestamp: return Value::timestamp(load<int64_t>(slot));
    case TypeKind::Duration: return Value::duration(load<int64_t>(slot));
    case TypeKind::Enum: return Value::enumeration(load<int32_t>(slot));
    case TypeKind::String: {
      auto s = load<FlowStr>(slot);
      return Value::string(s.size ? std::string(s.data, s.size) : std::string());
    }
    case TypeKind::List: {
      auto list = load<FlowList>(slot);
      std::vector<Value> items;
      items.reserve(list.count);
      for (uint64_t i = 0; i < list.count; ++i)
        items.push_back(read_element(type->element, element_ptr(list, type->element, i)));
      return Value::list(std::move(items));
    }
    case TypeKind::Decimal: return Value::decimal(load<FlowDecimal>(slot));
    case TypeKind::Optional: return read_slot(type->element, slot);
    case TypeKind::Record: {
      const StructLayout& layout = record_layout(*type->record_info);
      std::vector<Value> fields;
      fields.reserve(layout.fields.size());
      for (size_t i = 0; i < layout.fields.size(); ++i) fields.push_back(read_field(layout, slot, static_cast<int>(i)));
      return Value::record(std::move(fields));
    }
    case TypeKind::Map: {
      auto map = load<FlowMap>(slot);
      Slot entry = map_entry_slot(type->element);
      uint32_t value_offset = map_value_offset(type->element);
      std::vector<std::string> keys;
      std::vector<Value> values;
      keys.reserve(map.count);
      values.reserve(map.count);
      for (uint64_t i = 0; i < map.count; ++i) {
        const uint8_t* p = static_cast<const uint8_t*>(map.entries) + i * entry.size;
        auto key = load<FlowStr>(p);
        keys.emplace_back(key.size ? std::string(key.data, key.size) : std::string());
        values.push_back(read_element(type->element, p + value_offset));
      }
      return Value::map(std::move(keys), std::move(values));
    }
    default: return Value::none();
  }
}

Value read_element(const Type* element, const uint8_t* slot) {
  if (!element->is_optional()) return read_slot(element, slot);
  if (!load_bool(slot)) return Value::none();
  return read_slot(element->element, slot + optional_value_offset(element->element));
}

Value read_field(const StructLayout& layout, const uint8_t* instance, int field) {
  const FieldLayout& f = layout.fields.at(static_cast<size_t>(field));
  if (f.optional && !layout.present(instance, field)) return Value::none();
  return read_slot(f.type, instance + f.offset);
}

namespace {

void check_kind(const Value& value, ValueKind expected, const Type* type) {
  if (value.kind() != expected) {
    throw std::invalid_argument(std::string("a ") + to_string(value.kind()) + " value does not fit type " +
                                type->to_string());
  }
}

void write_slot(const Type* type, uint8_t* slot, const Value& value, Arena& arena);

/// Writes an element slot of `element` (boxed when optional).
void write_element(const Type* element, uint8_t* p, const Value& value, Arena& arena) {
  if (element->is_optional()) {
    if (value.is_none()) return;  // presence byte stays 0
    store_bool(p, true);
    write_slot(element->element, p + optional_value_offset(element->element), value, arena);
  } else {
    write_slot(element, p, value, arena);
  }
}

/// Writes a record value into its inline bytes (zeroed beforehand).
void write_record(const Type* type, uint8_t* bytes, const Value& value, Arena& arena) {
  check_kind(value, ValueKind::Record, type);
  const StructLayout& layout = record_layout(*type->record_info);
  const auto& fields = value.as_record();
  if (fields.size() != layout.fields.size()) {
    throw std::invalid_argument("a record of " + std::to_string(fields.size()) + " fields does not fit type " +
                                type->to_string());
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    const FieldLayout& f = layout.fields[i];
    if (fields[i].is_none()) {
      if (!f.optional) throw std::invalid_argument("none for field '" + f.name + "', which is not optional");
      continue;
    }
    layout.set_present(bytes, static_cast<int>(i), true);
    write_slot(f.optional ? f.type->element : f.type, bytes + f.offset, fields[i], arena);
  }
}

FlowMap write_map(const Type* type, const Value& value, Arena& arena) {
  check_kind(value, ValueKind::Map, type);
  const auto& keys = value.map_keys();
  Slot entry = map_entry_slot(type->element);
  uint32_t value_offset = map_value_offset(type->element);
  auto* data = static_cast<uint8_t*>(arena.allocate_zeroed(entry.size * keys.size(), entry.align));
  for (size_t i = 0; i < keys.size(); ++i) {
    uint8_t* p = data + i * entry.size;
    store(p, arena.copy(keys[i]));
    write_element(type->element, p + value_offset, value.map_values()[i], arena);
  }
  return FlowMap{data, keys.size()};
}

/// Writes a non-none value of `type` (not optional) into `slot`.
void write_slot(const Type* type, uint8_t* slot, const Value& value, Arena& arena) {
  switch (type->kind) {
    case TypeKind::Bool:
      check_kind(value, ValueKind::Bool, type);
      store_bool(slot, value.as_bool());
      return;
    case TypeKind::Int:
      check_kind(value, ValueKind::Int, type);
      store(slot, value.as_int());
      return;
    case TypeKind::Float:
      check_kind(value, ValueKind::Float, type);
      store(slot, value.as_float());
      return;
    case TypeKind::Timestamp:
      check_kind(value, ValueKind::Timestamp, type);
      store(slot, value.as_int());
      return;
    case TypeKind::Duration:
      check_kind(value, ValueKind::Duration, type);
      store(slot, value.as_int());
      return;
    case TypeKind::Enum:
      check_kind(value, ValueKind::Enum, type);
      store(slot, value.as_enum());
      return;
    case TypeKind::String:
      check_kind(value, ValueKind::String, type);
      store(slot, arena.copy(value.as_string()));
      return;
    case TypeKind::Decimal:
      check_kind(value, ValueKind::Decimal, type);
      store(slot, value.as_decimal());
      return;
    case TypeKind::List: store(slot, write_list(type, value, arena)); return;
    case TypeKind::Map: store(slot, write_map(type, value, arena)); return;
    case TypeKind::Record: write_record(type, slot, value, arena); return;
    default: throw std::invalid_argument("type " + type->to_string() + " cannot be stored in an event");
  }
}

}  // namespace

FlowList write_list(const Type* list_type, const Value& value, Arena& arena) {
  check_kind(value, ValueKind::List, list_type);
  const Type* element = list_type->element;
  const auto& items = value.as_list();
  Slot slot = element_slot(element);
  auto* data = static_cast<uint8_t*>(arena.allocate_zeroed(slot.size * items.size(), slot.align));
  for (size_t i = 0; i < items.size(); ++i) write_element(element, data + i * slot.size, items[i], arena);
  return FlowList{data, items.size()};
}

void write_field(EventBuilder& builder, int field, const Value& value) {
  const FieldLayout& f = builder.layout().fields.at(static_cast<size_t>(field));
  if (value.is_none()) {
    if (!f.optional) throw std::invalid_argument("none for field '" + f.name + "', which is not optional");
    builder.set_none(field);
    return;
  }
  const Type* type = f.optional ? f.type->element : f.type;
  uint8_t* slot = builder.slot_for_write(field, type->kind);
  write_slot(type, slot, value, builder.arena());
}

}  // namespace flow::eval
