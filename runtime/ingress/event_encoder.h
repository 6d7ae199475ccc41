// Egress of events as JSON: an instance in its compiled layout becomes the
// JSON object of its data, or a whole CloudEvents 1.0 line, for the exec
// service protocol (runtime.md §3), journal export and `flowrt` output.
//
// Textual forms follow language.md §4.1 and §5: timestamps RFC 3339 UTC,
// durations Flow literals ("15m"; sub-millisecond ones as "1.500ms",
// negative ones with a "-"), enums by member name, lists as arrays, records
// and maps as objects, decimals as numbers in Python's str() form. Choices:
//  - fields are written in declaration order (EventDecl::fields), the order
//    the decoder's fast path expects, a record's too;
//  - an absent optional is written as `null` (not omitted), so consumers
//    see every field of the type;
//  - a map's keys in the map's (byte) order;
//  - floats use the shortest text that reads back to the same double, with
//    ".0" added to integral values ("120.0") so dynamically typed consumers
//    keep them floats; NaN and infinities (only computed values can be
//    non-finite) have no JSON form and are written as null;
//  - strings are escaped per RFC 8259; bytes that are not UTF-8 (never
//    produced by the decoder) become U+FFFD, so the output is always JSON.
// Decoding what the encoder wrote gives back the same instance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ingress/event_catalog.h"

namespace flow::runtime {

/// The CloudEvents context attributes written around the data.
struct CloudEventAttributes {
  std::string_view id;
  std::string_view source;
  std::optional<int64_t> time;  // µs since the epoch; omitted when absent
  std::optional<std::string_view> subject;
};

/// An output buffer for the appenders below that, unlike std::string, does
/// not zero the room it grows into: the engine clears and refills one per
/// dispatched event, and zeroing half a kilobyte each time showed up in
/// profiles.
class JsonBuffer {
 public:
  void clear() { size_ = 0; }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  char* data() { return data_.get(); }
  std::string_view view() const { return {data_.get(), size_}; }
  /// Room for at least `n` bytes in all; keeps the contents.
  void reserve(size_t n);
  /// After writing into data() up to `n` (at most capacity()).
  void set_size(size_t n) { size_ = n; }
  void push_back(char c) {
    if (size_ == capacity_) reserve(size_ * 2 + 64);
    data_[size_++] = c;
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

/// Appends the JSON object of `instance`'s fields: `{"order_id":"o-1",...}`.
void append_data_json(std::string& out, const EventType& type, const uint8_t* instance);
/// The same into a JsonBuffer; with `verbatim`, given the text of some
/// values: `verbatim[i]`, when not empty, is written as field i's value as
/// it is. The decoder hands out the text of values it read when it is
/// exactly what this encoder writes for them (DecodedEvent::verbatim),
/// which spares formatting them again.
void append_data_json(JsonBuffer& out, const EventType& type, const uint8_t* instance,
                      const std::string_view* verbatim = nullptr);

/// Appends `,"name":value` for each field from `first_field` on: the tail of
/// a data object whose first fields are already written (the engine derives
/// an emitted event's text from its trigger's this way).
void append_fields_json(std::string& out, const EventType& type, const uint8_t* instance, size_t first_field);
void append_fields_json(JsonBuffer& out, const EventType& type, const uint8_t* instance, size_t first_field);
/// Appends one CloudEvents line without newline:
/// `{"specversion":"1.0","type":"OrderPlaced","id":"e-1","source":"shop",
///   "time":"2026-01-31T12:00:00Z","data":{...}}`. The type is written as
/// EventType::wire_name.
void append_cloudevent_json(std::string& out, const EventType& type, const uint8_t* instance,
                            const CloudEventAttributes& attributes);

}  // namespace flow::runtime
