// Layout computation: fields are placed by decreasing alignment (stable, so
// fields of equal alignment keep declaration order), which leaves no padding
// between them; the presence bitmap follows; the size rounds up to 8.
#include "layout/event_layout.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace flow::layout {

namespace {
uint32_t round_up(uint32_t value, uint32_t align) {
  return (value + align - 1) / align * align;
}
}  // namespace

Slot field_slot(const Type* type) {
  switch (type->kind) {
    case TypeKind::Bool: return {1, 1};
    case TypeKind::Int:
    case TypeKind::Float:
    case TypeKind::Timestamp:
    case TypeKind::Duration: return {8, 8};
    case TypeKind::Enum: return {4, 4};
    case TypeKind::String: return {sizeof(FlowStr), 8};
    case TypeKind::List: return {sizeof(FlowList), 8};
    case TypeKind::Optional: return field_slot(type->element);
    case TypeKind::Event: return {sizeof(void*), 8};  // an event reference (only in rule code, never stored)
    case TypeKind::Decimal: return {sizeof(FlowDecimal), 8};
    case TypeKind::Map: return {sizeof(FlowMap), 8};
    case TypeKind::Record: {
      const StructLayout& record = record_layout(*type->record_info);
      return {record.size, record.align};
    }
    case TypeKind::Never:
    case TypeKind::NoneType:
    case TypeKind::Error: return {1, 1};  // elements of lists that are always empty or always none
  }
  return {1, 1};
}

uint32_t optional_value_offset(const Type* inner) {
  return field_slot(inner).align;
}

Slot element_slot(const Type* element) {
  if (element->kind != TypeKind::Optional) return field_slot(element);
  Slot inner = field_slot(element->element);
  return {round_up(optional_value_offset(element->element) + inner.size, inner.align), inner.align};
}

uint32_t map_value_offset(const Type* value) {
  return round_up(sizeof(FlowStr), element_slot(value).align);
}

Slot map_entry_slot(const Type* value) {
  Slot slot = element_slot(value);
  return {round_up(map_value_offset(value) + slot.size, 8), 8};
}

const std::string& StructLayout::name() const {
  static const std::string unknown = "?";
  if (event) return event->name;
  if (record) return record->name;
  return unknown;
}

int StructLayout::field_index(const std::string& name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

void StructLayout::set_present(uint8_t* instance, int field, bool present) const {
  uint8_t& byte = instance[bitmap_offset + static_cast<uint32_t>(field) / 8];
  uint8_t bit = static_cast<uint8_t>(1u << (static_cast<uint32_t>(field) % 8));
  byte = present ? static_cast<uint8_t>(byte | bit) : static_cast<uint8_t>(byte & ~bit);
}

namespace {

/// Places `table`'s fields: by decreasing alignment, then the bitmap.
StructLayout compute_struct_layout(const FieldTable& table) {
  StructLayout layout;
  layout.fields.resize(table.fields.size());
  for (size_t i = 0; i < table.fields.size(); ++i) {
    FieldLayout& f = layout.fields[i];
    f.name = table.fields[i].name;
    f.type = table.fields[i].type;
    f.optional = f.type->is_optional();
    f.slot = field_slot(f.type);
  }
  std::vector<size_t> order(layout.fields.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return layout.fields[a].slot.align > layout.fields[b].slot.align; });
  uint32_t offset = 0;
  for (size_t i : order) {
    FieldLayout& f = layout.fields[i];
    offset = round_up(offset, f.slot.align);
    f.offset = offset;
    offset += f.slot.size;
  }
  layout.bitmap_offset = offset;
  layout.bitmap_bytes = static_cast<uint32_t>((layout.fields.size() + 7) / 8);
  offset += layout.bitmap_bytes;
  layout.size = round_up(std::max<uint32_t>(offset, 1), layout.align);
  return layout;
}

}  // namespace

EventLayout compute_layout(const EventInfo& event) {
  EventLayout layout = compute_struct_layout(event);
  layout.event = &event;
  return layout;
}

const StructLayout& record_layout(const RecordInfo& record) {
  // The checker rejects records that contain themselves inline, so the
  // recursion through field_slot ends.
  std::call_once(record.layout_once, [&] {
    auto layout = std::make_shared<StructLayout>(compute_struct_layout(record));
    layout->record = &record;
    record.layout = std::move(layout);
  });
  return *record.layout;
}

void LayoutTable::add(const EventInfo* event) {
  if (!layouts_.count(event)) layouts_[event] = std::make_unique<EventLayout>(compute_layout(*event));
}

void LayoutTable::set(const EventInfo* event, EventLayout layout) {
  layouts_[event] = std::make_unique<EventLayout>(std::move(layout));
}

const EventLayout& LayoutTable::of(const EventInfo* event) const {
  auto it = layouts_.find(event);
  if (it == layouts_.end()) throw std::out_of_range("no layout for event '" + (event ? event->name : "?") + "'");
  return *it->second;
}

std::string describe(const StructLayout& layout) {
  std::string out = layout.name() + ": size " + std::to_string(layout.size) + ", align " +
                    std::to_string(layout.align) + ", bitmap @" + std::to_string(layout.bitmap_offset) + " (" +
                    std::to_string(layout.bitmap_bytes) + " byte" + (layout.bitmap_bytes == 1 ? "" : "s") + ")\n";
  for (size_t i = 0; i < layout.fields.size(); ++i) {
    const FieldLayout& f = layout.fields[i];
    out += "  " + std::to_string(i) + " " + f.name + ": " + f.type->to_string() + " @" + std::to_string(f.offset) +
           " size " + std::to_string(f.slot.size) + "\n";
  }
  return out;
}

}  // namespace flow::layout
