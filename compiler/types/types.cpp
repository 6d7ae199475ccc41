#include "types/types.h"

#include <algorithm>

namespace flow {

int EnumInfo::member_index(const std::string& member) const {
  for (size_t i = 0; i < members.size(); ++i) {
    if (members[i] == member) return static_cast<int>(i);
  }
  return -1;
}

int FieldTable::field_index(const std::string& field) const {
  auto it = field_indices_.find(field);
  return it == field_indices_.end() ? -1 : it->second;
}

bool EventInfo::includes_event(const EventInfo* other) const {
  return other == this || std::find(includes.begin(), includes.end(), other) != includes.end();
}

void FieldTable::index_fields() {
  field_indices_.clear();
  for (size_t i = 0; i < fields.size(); ++i) field_indices_.emplace(fields[i].name, static_cast<int>(i));
}

std::string Type::to_string() const {
  switch (kind) {
    case TypeKind::Error: return "<error>";
    case TypeKind::Never: return "<any>";
    case TypeKind::NoneType: return "none";
    case TypeKind::Bool: return "bool";
    case TypeKind::Int: return "int";
    case TypeKind::Float: return "float";
    case TypeKind::String: return "string";
    case TypeKind::Timestamp: return "timestamp";
    case TypeKind::Duration: return "duration";
    case TypeKind::Enum: return enum_info->name;
    case TypeKind::Event: return event_info->name;
    case TypeKind::List: return "list<" + element->to_string() + ">";
    case TypeKind::Optional: return element->to_string() + "?";
    case TypeKind::Decimal: return "decimal";
    case TypeKind::Record: return record_info->name;
    case TypeKind::Map: return "map<string, " + element->to_string() + ">";
  }
  return "?";
}

TypeContext::TypeContext() = default;

const Type* TypeContext::enumeration(const EnumInfo* info) {
  auto& slot = enums_[info];
  if (!slot) slot = std::make_unique<Type>(Type{TypeKind::Enum, info, nullptr, nullptr, nullptr});
  return slot.get();
}

const Type* TypeContext::event(const EventInfo* info) {
  auto& slot = events_[info];
  if (!slot) slot = std::make_unique<Type>(Type{TypeKind::Event, nullptr, info, nullptr, nullptr});
  return slot.get();
}

const Type* TypeContext::record(const RecordInfo* info) {
  auto& slot = records_[info];
  if (!slot) slot = std::make_unique<Type>(Type{TypeKind::Record, nullptr, nullptr, nullptr, info});
  return slot.get();
}

const Type* TypeContext::list(const Type* element) {
  auto& slot = lists_[element];
  if (!slot) slot = std::make_unique<Type>(Type{TypeKind::List, nullptr, nullptr, element, nullptr});
  return slot.get();
}

const Type* TypeContext::map(const Type* value) {
  auto& slot = maps_[value];
  if (!slot) slot = std::make_unique<Type>(Type{TypeKind::Map, nullptr, nullptr, value, nullptr});
  return slot.get();
}

const Type* TypeContext::optional(const Type* inner) {
  if (inner->kind == TypeKind::Optional || inner->kind == TypeKind::Error) return inner;
  auto& slot = optionals_[inner];
  if (!slot) slot = std::make_unique<Type>(Type{TypeKind::Optional, nullptr, nullptr, inner, nullptr});
  return slot.get();
}

const Type* TypeContext::builtin_named(const std::string& name) const {
  if (name == "bool") return &bool_;
  if (name == "int") return &int_;
  if (name == "float") return &float_;
  if (name == "string") return &string_;
  if (name == "timestamp") return &timestamp_;
  if (name == "duration") return &duration_;
  if (name == "decimal") return &decimal_;
  return nullptr;
}

const FieldTable* fields_of(const Type* type) {
  if (type->kind == TypeKind::Record) return type->record_info;
  if (type->kind == TypeKind::Event) return type->event_info;
  return nullptr;
}

bool is_assignable(const Type* from, const Type* to) {
  if (from == to) return true;
  if (from->kind == TypeKind::Error || to->kind == TypeKind::Error) return true;
  if (from->kind == TypeKind::Never) return true;
  if (to->kind == TypeKind::Optional) {
    if (from->kind == TypeKind::NoneType) return true;
    if (from->kind == TypeKind::Optional) return is_assignable(from->element, to->element);
    return is_assignable(from, to->element);
  }
  if ((from->kind == TypeKind::List && to->kind == TypeKind::List) ||
      (from->kind == TypeKind::Map && to->kind == TypeKind::Map)) {
    return is_assignable(from->element, to->element);
  }
  if (from->kind == TypeKind::Event && to->kind == TypeKind::Event) {
    return from->event_info->includes_event(to->event_info);
  }
  return false;
}

}  // namespace flow
