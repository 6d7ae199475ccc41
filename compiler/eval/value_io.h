// Conversions between interpreter Values and the event layout: reading a
// field or list element out of an instance, and writing Values into
// instances and lists (tests, the runtime's emit path).
#pragma once

#include "eval/value.h"
#include "layout/event_builder.h"

namespace flow::eval {

/// The value stored in a slot of `type` (field-slot form, so for T? the inner T).
Value read_slot(const Type* type, const uint8_t* slot);
/// Element slot of list<element> (boxed presence byte for optional elements).
Value read_element(const Type* element, const uint8_t* slot);
/// Field `field` of an event instance or a record's bytes; none for an absent optional field.
Value read_field(const layout::StructLayout& layout, const uint8_t* instance, int field);

/// Writes `value` into field `field`; none clears an optional field. Throws
/// std::invalid_argument when the value does not fit the field's type.
void write_field(layout::EventBuilder& builder, int field, const Value& value);
/// A list<T> value in the layout's list form, allocated in `arena`.
FlowList write_list(const Type* list_type, const Value& value, Arena& arena);

}  // namespace flow::eval
