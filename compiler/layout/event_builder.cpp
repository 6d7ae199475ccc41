// EventBuilder and ListBuilder: typed writes into instances and list slots.
#include "layout/event_builder.h"

#include <stdexcept>

namespace flow::layout {

namespace {

const Type* unwrap(const Type* type) {
  return type->is_optional() ? type->element : type;
}

const Type* list_element(const Type* list_type) {
  if (!list_type || list_type->kind != TypeKind::List) throw std::invalid_argument("ListBuilder needs a list type");
  return list_type->element;
}

const char* kind_name(TypeKind kind) {
  switch (kind) {
    case TypeKind::Bool: return "bool";
    case TypeKind::Int: return "int";
    case TypeKind::Float: return "float";
    case TypeKind::String: return "string";
    case TypeKind::Timestamp: return "timestamp";
    case TypeKind::Duration: return "duration";
    case TypeKind::Enum: return "enum";
    case TypeKind::List: return "list";
    case TypeKind::Decimal: return "decimal";
    case TypeKind::Record: return "record";
    case TypeKind::Map: return "map";
    default: return "?";
  }
}

}  // namespace

EventBuilder::EventBuilder(const EventLayout& layout, Arena& arena)
    : layout_(layout),
      arena_(arena),
      instance_(static_cast<uint8_t*>(arena.allocate_zeroed(layout.size, layout.align))) {}

int EventBuilder::field(std::string_view name) const {
  int index = layout_.field_index(std::string(name));
  if (index < 0) throw std::invalid_argument("'" + layout_.name() + "' has no field '" + std::string(name) + "'");
  return index;
}

uint8_t* EventBuilder::slot_for_write(int field, TypeKind kind) {
  if (field < 0 || static_cast<size_t>(field) >= layout_.fields.size()) {
    throw std::invalid_argument("field index out of range for event '" + layout_.name() + "'");
  }
  const FieldLayout& f = layout_.fields[field];
  if (unwrap(f.type)->kind != kind) {
    throw std::invalid_argument("field '" + f.name + "' of " + layout_.name() + " is " + f.type->to_string() +
                                ", not " + kind_name(kind));
  }
  layout_.set_present(instance_, field, true);
  return instance_ + f.offset;
}

EventBuilder& EventBuilder::set_bool(int field, bool value) {
  store_bool(slot_for_write(field, TypeKind::Bool), value);
  return *this;
}
EventBuilder& EventBuilder::set_int(int field, int64_t value) {
  store(slot_for_write(field, TypeKind::Int), value);
  return *this;
}
EventBuilder& EventBuilder::set_float(int field, double value) {
  store(slot_for_write(field, TypeKind::Float), value);
  return *this;
}
EventBuilder& EventBuilder::set_timestamp(int field, int64_t micros) {
  store(slot_for_write(field, TypeKind::Timestamp), micros);
  return *this;
}
EventBuilder& EventBuilder::set_duration(int field, int64_t micros) {
  store(slot_for_write(field, TypeKind::Duration), micros);
  return *this;
}
EventBuilder& EventBuilder::set_enum(int field, int32_t member_index) {
  store(slot_for_write(field, TypeKind::Enum), member_index);
  return *this;
}
EventBuilder& EventBuilder::set_string(int field, std::string_view value) {
  uint8_t* slot = slot_for_write(field, TypeKind::String);
  store(slot, arena_.copy(value));
  return *this;
}
EventBuilder& EventBuilder::set_list(int field, FlowList list) {
  store(slot_for_write(field, TypeKind::List), list);
  return *this;
}
EventBuilder& EventBuilder::set_none(int field) {
  if (field < 0 || static_cast<size_t>(field) >= layout_.fields.size() || !layout_.fields[field].optional) {
    throw std::invalid_argument("set_none on a field that is not optional");
  }
  layout_.set_present(instance_, field, false);
  std::memset(instance_ + layout_.fields[field].offset, 0, layout_.fields[field].slot.size);
  return *this;
}

std::vector<std::string> EventBuilder::missing_fields() const {
  std::vector<std::string> out;
  for (size_t i = 0; i < layout_.fields.size(); ++i) {
    if (!layout_.fields[i].optional && !is_set(static_cast<int>(i))) out.push_back(layout_.fields[i].name);
  }
  return out;
}

ListBuilder::ListBuilder(const Type* list_type, uint64_t count, Arena& arena)
    : element_(list_element(list_type)), count_(count), arena_(arena), slot_(element_slot(element_)) {
  data_ = static_cast<uint8_t*>(arena.allocate_zeroed(slot_.size * count, slot_.align));
}

uint8_t* ListBuilder::slot_for_write(uint64_t index, TypeKind kind) {
  if (index >= count_) throw std::invalid_argument("list element index out of range");
  if (unwrap(element_)->kind != kind) {
    throw std::invalid_argument("list element type is " + element_->to_string() + ", not " + kind_name(kind));
  }
  uint8_t* slot = data_ + index * slot_.size;
  if (!element_->is_optional()) return slot;
  store_bool(slot, true);
  return slot + optional_value_offset(element_->element);
}

ListBuilder& ListBuilder::set_bool(uint64_t index, bool value) {
  store_bool(slot_for_write(index, TypeKind::Bool), value);
  return *this;
}
ListBuilder& ListBuilder::set_int(uint64_t index, int64_t value) {
  store(slot_for_write(index, TypeKind::Int), value);
  return *this;
}
ListBuilder& ListBuilder::set_float(uint64_t index, double value) {
  store(slot_for_write(index, TypeKind::Float), value);
  return *this;
}
ListBuilder& ListBuilder::set_timestamp(uint64_t index, int64_t micros) {
  store(slot_for_write(index, TypeKind::Timestamp), micros);
  return *this;
}
ListBuilder& ListBuilder::set_duration(uint64_t index, int64_t micros) {
  store(slot_for_write(index, TypeKind::Duration), micros);
  return *this;
}
ListBuilder& ListBuilder::set_enum(uint64_t index, int32_t member_index) {
  store(slot_for_write(index, TypeKind::Enum), member_index);
  return *this;
}
ListBuilder& ListBuilder::set_string(uint64_t index, std::string_view value) {
  uint8_t* slot = slot_for_write(index, TypeKind::String);
  store(slot, arena_.copy(value));
  return *this;
}
ListBuilder& ListBuilder::set_list(uint64_t index, FlowList list) {
  store(slot_for_write(index, TypeKind::List), list);
  return *this;
}
ListBuilder& ListBuilder::set_none(uint64_t index) {
  if (index >= count_ || !element_->is_optional())
    throw std::invalid_argument("set_none on a non-optional list element");
  std::memset(data_ + index * slot_.size, 0, slot_.size);
  return *this;
}

}  // namespace flow::layout
