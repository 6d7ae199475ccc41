// What fields absent from the incoming JSON get, shared by every decoding
// tier so they cannot disagree: the default value (copied into the event's
// arena), none for optionals, or a "missing field" rejection. The same for
// the fields of an event and of a record at any depth (StructCodec).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingress/event_catalog.h"
#include "rt_abi/arena.h"

namespace flow::runtime {

/// Fields seen in the JSON, one bit per field index (a word more than needed,
/// so an event without fields still has one).
class SeenFields {
 public:
  void reset(size_t field_count) { words_.assign(field_count / 64 + 1, 0); }
  /// Marks `field`; false when it was already marked (a duplicate).
  bool mark(size_t field) {
    uint64_t& word = words_[field / 64];
    const uint64_t bit = uint64_t{1} << (field % 64);
    if (word & bit) return false;
    word |= bit;
    return true;
  }
  const std::vector<uint64_t>& words() const { return words_; }

 private:
  std::vector<uint64_t> words_;
};

/// Sets the presence bit of `field` (StructLayout::set_present, inlined for
/// the decoders' inner loops).
inline void mark_present(const layout::StructLayout& layout, uint8_t* instance, int field) {
  instance[layout.bitmap_offset + static_cast<uint32_t>(field) / 8] |= static_cast<uint8_t>(1u << (field % 8));
}

/// Gives every field not in `seen` its absent value. Returns false (having
/// possibly filled some) when a field without default or `?` is missing.
bool fill_absent_fields(const StructCodec& type, const SeenFields& seen, uint8_t* instance, Arena& arena);

/// "missing field 'customer'", "missing key field 'order_id'", or
/// "missing fields 'a', 'b'", for the fields fill_absent_fields refused;
/// each name after `path` (a record's: "ship_to." gives
/// "missing field 'ship_to.city'").
std::string missing_fields_reason(const StructCodec& type, const SeenFields& seen, std::string_view path = {});

/// Gives the string, list and map bytes of a slot of type `codec` (copied
/// from elsewhere, e.g. the catalog's defaults), at any depth, their own
/// copies in `arena`.
void deepen_slot(const TypeCodec& codec, uint8_t* slot, Arena& arena);

}  // namespace flow::runtime
