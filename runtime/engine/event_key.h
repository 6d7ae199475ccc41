// An event's key (language.md §4, `key` fields): the text that names the
// process instance it starts or joins. A string key is its text, an int
// key its decimal digits; an event without a key field, or with an absent
// optional key, has the empty key.
//
// Limits: inline and read straight from the slot, because it runs for
// every event; the key field's index comes from the event's description
// in the plan.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

#include "ingress/event_catalog.h"
#include "layout/event_builder.h"

namespace flow::runtime {

/// The key of `data` (an instance of `type`) into `out` (keeping its storage).
inline void assign_key(const EventType& type, const uint8_t* data, std::string& out) {
  out.clear();
  int key = type.decl->key_index;
  if (key < 0) return;
  const layout::FieldLayout& field = type.layout->fields[static_cast<size_t>(key)];
  if (field.optional && !type.layout->present(data, key)) return;
  const Type* value_type = field.optional ? field.type->element : field.type;
  if (value_type->kind == TypeKind::String) {
    auto text = layout::load<FlowStr>(data + field.offset);
    out.append(text.data, text.size);
  } else if (value_type->kind == TypeKind::Int) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, layout::load<int64_t>(data + field.offset)).ptr);
  }
}

inline std::string key_of(const EventType& type, const uint8_t* data) {
  std::string key;
  assign_key(type, data, key);
  return key;
}

}  // namespace flow::runtime
