// EventCatalog: everything ingress and egress need to know about the
// program's event types, computed once when the runtime starts and then
// shared read-only (by any number of threads): the name -> type lookup for
// the CloudEvents `type` attribute, per field its JSON key, slot, decoder for
// its type and what an absent field gets (an error, none or its default), and
// per enum its member names. Records (language.md §4.1) have the same
// description as events (StructCodec), reached through the TypeCodec of
// each field that holds one, at any depth.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingress/field_defaults.h"
#include "ingress/name_table.h"
#include "layout/event_layout.h"
#include "rt_abi/arena.h"
#include "types/types.h"

namespace flow::runtime {

/// The members of one enum, by name and as JSON strings.
struct EnumCodec {
  const EnumInfo* decl = nullptr;
  NameTable members;                    // name -> member index
  std::vector<std::string> names;       // by member index
  std::vector<std::string> json_names;  // `"Web"`, ready to append
};

struct StructCodec;

/// How values of one (non-optional) type are read from and written to JSON.
struct TypeCodec {
  TypeKind kind = TypeKind::Error;  // never Optional
  const Type* type = nullptr;
  std::string name;  // for messages: "int", "list<string?>", "Channel", "Address"
  // List and Map: the element (map value) type and its element slot (boxed
  // with a presence byte when optional, see docs/event-layout.md).
  const TypeCodec* element = nullptr;
  bool element_optional = false;
  uint32_t element_size = 0;
  uint32_t element_align = 1;
  uint32_t element_value_offset = 0;
  // Map: one entry is the FlowStr key at 0 and the value's element slot at
  // entry_value_offset; entries are entry_size apart, sorted by key.
  uint32_t entry_size = 0;
  uint32_t entry_value_offset = 0;
  // Enum
  const EnumCodec* enumeration = nullptr;
  // Record: its fields, stored inline in the slot.
  const StructCodec* record = nullptr;
  /// Whether a value may point at bytes outside its slot (strings, lists,
  /// maps, records holding any of them): what deepen_slot copies.
  bool deep = false;
  /// Whether a decimal occurs in it at any depth.
  bool has_decimal = false;
};

/// What a field absent from the incoming JSON gets.
enum class Absent : uint8_t {
  Missing,  // a validation error
  None,     // optional without default: none
  Default,  // its default value
};

struct FieldCodec {
  std::string name;
  std::string json_key;  // `"name":`, ready to append
  int index = 0;         // in EventInfo::fields and the layout
  uint32_t offset = 0;   // of the slot in the instance
  uint32_t size = 0;     // of the slot
  bool optional = false;
  bool is_key = false;
  const TypeCodec* value = nullptr;  // the field's type without `?`
  Absent absent = Absent::Missing;
  /// The default holds string or list bytes, which are copied into the
  /// event's arena (an instance never points into the catalog).
  bool default_is_deep = false;
};

/// The fields of an event or a record: what is the same for both.
struct StructCodec {
  const layout::StructLayout* layout = nullptr;
  std::string name;                // `OrderPlaced`, `Address`
  std::vector<FieldCodec> fields;  // in EventInfo::fields (RecordInfo::fields) order
  NameTable field_names;           // name -> index in `fields`
  /// An instance holding the value of every field with Absent::Default.
  const uint8_t* defaults = nullptr;
  /// Whether a decimal occurs in it at any depth.
  bool has_decimal = false;
  /// A record's index among the catalog's records (from 0, dense, for
  /// tables by record); -1 for an event.
  int record_index = -1;
};

struct EventType : StructCodec {
  const EventInfo* decl = nullptr;
  int index = 0;               // in EventCatalog::types()
  std::string qualified_name;  // `shop.orders.OrderPlaced`
  /// The name the encoder writes: plain when no other event of the program
  /// has the same plain name, else qualified. The decoder accepts both.
  std::string wire_name;
};

class EventCatalog {
 public:
  /// `layouts` must hold a layout for every event; `defaults` a value for
  /// every field that declares a default, of the events and of the records
  /// their fields hold (see evaluate_field_defaults).
  /// Throws std::invalid_argument when either is incomplete or a default does
  /// not fit its field (bugs in the caller, not bad input). The events (and
  /// their plan) and the layouts must outlive the catalog.
  EventCatalog(const std::vector<const EventInfo*>& events, const layout::LayoutTable& layouts,
               const FieldDefaults& defaults);
  EventCatalog(const EventCatalog&) = delete;
  EventCatalog& operator=(const EventCatalog&) = delete;

  const std::vector<std::unique_ptr<EventType>>& types() const { return types_; }
  /// How many records the events hold, at any depth (StructCodec::record_index).
  size_t record_count() const { return records_.size(); }
  /// The entry of an event, or null when it is not in the catalog.
  const EventType* find(const EventInfo* decl) const;
  /// By qualified name, or by plain name when that is unique; else null.
  const EventType* find(std::string_view name) const {
    int i = names_.find(name);
    return i < 0 ? nullptr : types_[static_cast<size_t>(i)].get();
  }
  /// Why find(name) failed, as one line: "unknown event type 'X' (did you
  /// mean 'Y'?)" or "ambiguous event type 'X' (one of a.X, b.X)".
  std::string unknown_type_reason(std::string_view name) const;

 private:
  const TypeCodec* codec_for(const Type* type);
  const EnumCodec* enum_codec(const EnumInfo* decl);
  const StructCodec* record_codec(const RecordInfo* decl);
  /// Fills `codec`'s fields from `table` (its layout set); `what` names it
  /// in errors ("event 'shop.OrderPlaced'").
  void build_fields(StructCodec& codec, const FieldTable& table, const std::string& what);

  const FieldDefaults* defaults_ = nullptr;  // while constructing

  std::vector<std::unique_ptr<EventType>> types_;
  std::map<const EventInfo*, const EventType*> by_decl_;
  NameTable names_;      // qualified and unique plain names -> index in types_
  NameTable ambiguous_;  // plain names shared by several events
  std::vector<std::pair<const Type*, std::unique_ptr<TypeCodec>>> codecs_;
  std::vector<std::unique_ptr<EnumCodec>> enums_;
  std::vector<std::pair<const RecordInfo*, std::unique_ptr<StructCodec>>> records_;
  Arena arena_;  // default instances and their strings and lists
};

}  // namespace flow::runtime
