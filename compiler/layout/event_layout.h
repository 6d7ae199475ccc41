// The compact in-memory representation of event instances (docs/event-layout.md):
// for each event type, fixed at compile time, the byte offset of every field,
// a presence bitmap, size and alignment. The runtime fills instances from
// JSON with EventBuilder; the interpreter and JIT-compiled rules read them.
//
// A record is laid out exactly like an event (StructLayout) and stored inline
// wherever it is used: a field of type R holds R's bytes, bitmap included; a
// list<R> holds its elements inline, one after the other.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rt_abi/flow_rt.h"
#include "rt_abi/flow_rt_decimal.h"
#include "types/types.h"

namespace flow::layout {

/// Size and alignment of one stored value.
struct Slot {
  uint32_t size = 0;
  uint32_t align = 1;
};

/// The slot of a field of type `type` inside an event. An optional field
/// stores its inner value here; whether it is present is in the bitmap.
///   bool: uint8 (0/1) | int, timestamp, duration: int64 | float: double |
///   enum: int32 member index | string: FlowStr | list<T>: FlowList |
///   decimal: FlowDecimal | map<string, T>: FlowMap | record R: R's bytes
Slot field_slot(const Type* type);

/// The slot of one element of a list<T>. Like field_slot, except that an
/// optional element T? is boxed: a presence byte at offset 0 and the value at
/// optional_value_offset(T) (there is no bitmap inside a list).
Slot element_slot(const Type* element);
uint32_t optional_value_offset(const Type* inner);

/// One entry of a map<string, T>: the FlowStr key at offset 0, the value in
/// T's element slot at map_value_offset(T); size rounded up to 8.
Slot map_entry_slot(const Type* value);
uint32_t map_value_offset(const Type* value);

struct FieldLayout {
  std::string name;
  const Type* type = nullptr;  // as declared (T? for optionals)
  uint32_t offset = 0;
  Slot slot;
  bool optional = false;
};

/// Where each field of one event or record type lives. Field i is
/// EventInfo::fields[i] (RecordInfo::fields[i]).
struct StructLayout {
  const EventInfo* event = nullptr;    // the event laid out, or
  const RecordInfo* record = nullptr;  // the record laid out
  uint32_t size = 0;                   // a multiple of align
  uint32_t align = 8;                  // always 8: instances hold int64s and pointers
  uint32_t bitmap_offset = 0;          // bit i of byte (i / 8) is field i
  uint32_t bitmap_bytes = 0;
  std::vector<FieldLayout> fields;

  int field_index(const std::string& name) const;
  /// The event's or record's name, for messages.
  const std::string& name() const;
  /// The presence bit: for an optional field, set means "not none"; for any
  /// other field, set means "was filled" (validation of incoming events).
  bool present(const uint8_t* instance, int field) const {
    return (instance[bitmap_offset + static_cast<uint32_t>(field) / 8] >> (static_cast<uint32_t>(field) % 8)) & 1;
  }
  void set_present(uint8_t* instance, int field, bool present) const;
  const uint8_t* field_ptr(const uint8_t* instance, int field) const { return instance + fields[field].offset; }
  uint8_t* field_ptr(uint8_t* instance, int field) const { return instance + fields[field].offset; }
};

using EventLayout = StructLayout;

/// Computes the layout of one event (its `fields` must be expanded).
EventLayout compute_layout(const EventInfo& event);
/// The layout of a record, computed once and kept in RecordInfo::layout.
const StructLayout& record_layout(const RecordInfo& record);

/// The layouts of every event of a program.
class LayoutTable {
 public:
  LayoutTable() = default;
  /// The layout of `event`; throws std::out_of_range for an event not in the
  /// program (immutable after construction, so safe to share across threads).
  const EventLayout& of(const EventInfo* event) const;
  void add(const EventInfo* event);
  /// Stores a layout as read (an artifact's plan): it must be `event`'s.
  void set(const EventInfo* event, EventLayout layout);

 private:
  std::map<const EventInfo*, std::unique_ptr<EventLayout>> layouts_;
};

/// A one-line description per field ("amount: float @16"), for docs and tests.
std::string describe(const StructLayout& layout);

}  // namespace flow::layout
