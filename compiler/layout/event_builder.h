// Building event instances in the layout of event_layout.h: EventBuilder
// for one instance, ListBuilder for the element slots of a list, and the
// load/store primitives for single slots. Used by the runtime (JSON ->
// instance), by tests, and by the interpreter's value conversions.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "layout/event_layout.h"
#include "rt_abi/arena.h"

namespace flow::layout {

// ---- Single slots (memcpy: slots carry no alignment promise to the compiler)

template <typename T>
inline T load(const uint8_t* slot) {
  T value;
  std::memcpy(&value, slot, sizeof(T));
  return value;
}
template <typename T>
inline void store(uint8_t* slot, T value) {
  std::memcpy(slot, &value, sizeof(T));
}
inline bool load_bool(const uint8_t* slot) {
  return *slot != 0;
}
inline void store_bool(uint8_t* slot, bool value) {
  *slot = value ? 1 : 0;
}

/// The address of element `index` of a list<element>.
inline const uint8_t* element_ptr(const FlowList& list, const Type* element, uint64_t index) {
  return static_cast<const uint8_t*>(list.data) + index * element_slot(element).size;
}

// ---- Instances --------------------------------------------------------------

/// Fills one zero-initialised instance allocated in `arena`. Setters check the
/// field's type and throw std::invalid_argument on a mismatch (a bug in the
/// caller, not bad input); each sets the field's presence bit.
class EventBuilder {
 public:
  EventBuilder(const EventLayout& layout, Arena& arena);
  /// Goes on filling `instance` (layout.size bytes, already initialised);
  /// strings and lists it sets are allocated in `arena`.
  EventBuilder(const EventLayout& layout, Arena& arena, uint8_t* instance)
      : layout_(layout), arena_(arena), instance_(instance) {}

  const EventLayout& layout() const { return layout_; }
  const uint8_t* instance() const { return instance_; }
  uint8_t* instance() { return instance_; }
  Arena& arena() const { return arena_; }
  /// The index of a field by name; throws std::invalid_argument when unknown.
  int field(std::string_view name) const;

  EventBuilder& set_bool(int field, bool value);
  EventBuilder& set_int(int field, int64_t value);
  EventBuilder& set_float(int field, double value);
  EventBuilder& set_timestamp(int field, int64_t micros);
  EventBuilder& set_duration(int field, int64_t micros);
  EventBuilder& set_enum(int field, int32_t member_index);
  /// Copies the bytes into the arena.
  EventBuilder& set_string(int field, std::string_view value);
  /// A list built with ListBuilder for this field's list type.
  EventBuilder& set_list(int field, FlowList list);
  /// Marks an optional field absent (the default for optional fields).
  EventBuilder& set_none(int field);

  /// The slot of `field` to write directly, marking it present; checks that
  /// the field's (inner) type has kind `kind`.
  uint8_t* slot_for_write(int field, TypeKind kind);
  bool is_set(int field) const { return layout_.present(instance_, field); }
  /// Names of non-optional fields not set yet.
  std::vector<std::string> missing_fields() const;

 private:
  const EventLayout& layout_;
  Arena& arena_;
  uint8_t* instance_;
};

/// Fills the element slots of one list<T> value.
class ListBuilder {
 public:
  ListBuilder(const Type* list_type, uint64_t count, Arena& arena);

  const Type* element_type() const { return element_; }
  uint64_t size() const { return count_; }

  ListBuilder& set_bool(uint64_t index, bool value);
  ListBuilder& set_int(uint64_t index, int64_t value);
  ListBuilder& set_float(uint64_t index, double value);
  ListBuilder& set_timestamp(uint64_t index, int64_t micros);
  ListBuilder& set_duration(uint64_t index, int64_t micros);
  ListBuilder& set_enum(uint64_t index, int32_t member_index);
  ListBuilder& set_string(uint64_t index, std::string_view value);
  ListBuilder& set_list(uint64_t index, FlowList list);
  /// Only for list<T?>; elements of such lists start out absent.
  ListBuilder& set_none(uint64_t index);

  /// The value slot of element `index` (marked present when optional).
  uint8_t* slot_for_write(uint64_t index, TypeKind kind);
  FlowList finish() const { return FlowList{data_, count_}; }

 private:
  const Type* element_;
  uint64_t count_;
  Arena& arena_;
  uint8_t* data_;
  Slot slot_;
};

}  // namespace flow::layout
