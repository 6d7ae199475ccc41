// Writing instances as JSON (event_encoder.h). Output goes straight into
// the caller's std::string through a cursor: the string grows in large
// steps and is trimmed once at the end, so each value costs a bounds check
// and a memcpy, not a std::string::append.
#include "ingress/event_encoder.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "base/json_string.h"
#include "base/short_copy.h"
#include "base/time_format.h"
#include "ingress/duration_text.h"
#include "ingress/float_text.h"
#include "layout/event_builder.h"

namespace flow::runtime {

namespace {

using layout::load;

class Cursor {
 public:
  explicit Cursor(std::string& out) : string_(&out), data_(out.data()), pos_(out.size()), capacity_(out.size()) {}
  explicit Cursor(JsonBuffer& out) : buffer_(&out), data_(out.data()), pos_(out.size()), capacity_(out.capacity()) {}
  ~Cursor() {
    if (string_) {
      string_->resize(pos_);
    } else {
      buffer_->set_size(pos_);
    }
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  /// Room for `n` more bytes; write them, then call advance(end).
  char* room(size_t n) {
    if (pos_ + n > capacity_) grow(pos_ + n);
    return data_ + pos_;
  }
  void advance(char* end) { pos_ = static_cast<size_t>(end - data_); }
  void put(char c) {
    *room(1) = c;
    ++pos_;
  }
  void put(std::string_view text) {
    char* p = room(text.size());
    short_copy(p, text.data(), text.size());
    pos_ += text.size();
  }
  void string(std::string_view text) { advance(write_json_string(text, room(max_json_string_size(text.size())))); }

 private:
  void grow(size_t needed) {
    const size_t wanted = std::max(capacity_ * 2, needed + 512);
    if (string_) {
      string_->resize(wanted);
      data_ = string_->data();
      capacity_ = string_->size();
    } else {
      buffer_->set_size(pos_);  // what is written so far moves with it
      buffer_->reserve(wanted);
      data_ = buffer_->data();
      capacity_ = buffer_->capacity();
    }
  }

  // Exactly one of the two is set.
  std::string* string_ = nullptr;
  JsonBuffer* buffer_ = nullptr;
  char* data_;
  size_t pos_;
  size_t capacity_;
};

void write_value(Cursor& c, const TypeCodec& codec, const uint8_t* slot);
void write_element(Cursor& c, const TypeCodec& container, const uint8_t* element);
void write_fields(Cursor& c, const StructCodec& type, const uint8_t* instance);

void write_float(Cursor& c, double d) {
  char* p = c.room(kMaxFloatText);
  c.advance(write_float_text(d, p));
}

void write_value(Cursor& c, const TypeCodec& codec, const uint8_t* slot) {
  switch (codec.kind) {
    case TypeKind::Bool: c.put(*slot ? std::string_view("true") : std::string_view("false")); return;
    case TypeKind::Int: {
      char* p = c.room(24);
      c.advance(std::to_chars(p, p + 24, load<int64_t>(slot)).ptr);
      return;
    }
    case TypeKind::Float: write_float(c, load<double>(slot)); return;
    case TypeKind::Decimal: {  // Python's str(), always a valid JSON number
      char* p = c.room(FLOW_DECIMAL_TEXT_CAPACITY);
      const auto d = load<FlowDecimal>(slot);
      c.advance(p + flow_rt_decimal_format(&d, p));
      return;
    }
    case TypeKind::String: {
      auto s = load<FlowStr>(slot);
      c.string(std::string_view(s.data, s.size));
      return;
    }
    case TypeKind::Timestamp: {
      char* p = c.room(kMaxTimestampText + 2);
      *p = '"';
      char* end = write_timestamp(load<int64_t>(slot), p + 1);
      *end++ = '"';
      c.advance(end);
      return;
    }
    case TypeKind::Duration: {
      char* p = c.room(kMaxDurationText + 2);
      *p = '"';
      char* end = format_duration_text(load<int64_t>(slot), p + 1);
      *end++ = '"';
      c.advance(end);
      return;
    }
    case TypeKind::Enum: {
      const auto index = load<int32_t>(slot);
      const EnumCodec& e = *codec.enumeration;
      if (index >= 0 && static_cast<size_t>(index) < e.json_names.size()) {
        c.put(e.json_names[static_cast<size_t>(index)]);
      } else {
        c.put("null");  // not a member: a corrupt instance, but still valid JSON
      }
      return;
    }
    case TypeKind::List: {
      auto list = load<FlowList>(slot);
      const auto* data = static_cast<const uint8_t*>(list.data);
      c.put('[');
      for (uint64_t i = 0; i < list.count; ++i) {
        if (i) c.put(',');
        write_element(c, codec, data + i * codec.element_size);
      }
      c.put(']');
      return;
    }
    case TypeKind::Map: {  // an object, its keys in the map's (sorted) order
      auto map = load<FlowMap>(slot);
      const auto* data = static_cast<const uint8_t*>(map.entries);
      c.put('{');
      for (uint64_t i = 0; i < map.count; ++i) {
        if (i) c.put(',');
        const uint8_t* entry = data + i * codec.entry_size;
        const auto key = load<FlowStr>(entry);
        c.string(std::string_view(key.data, key.size));
        c.put(':');
        write_element(c, codec, entry + codec.entry_value_offset);
      }
      c.put('}');
      return;
    }
    case TypeKind::Record: write_fields(c, *codec.record, slot); return;
    default: c.put("null"); return;
  }
}

void write_element(Cursor& c, const TypeCodec& container, const uint8_t* element) {
  if (container.element_optional) {
    if (!element[0]) {
      c.put("null");
      return;
    }
    element += container.element_value_offset;
  }
  write_value(c, *container.element, element);
}

void write_field(Cursor& c, const layout::StructLayout& layout, const FieldCodec& f, const uint8_t* instance) {
  c.put(f.json_key);
  if (f.optional && !layout.present(instance, f.index)) {
    c.put("null");
  } else {
    write_value(c, *f.value, instance + f.offset);
  }
}

void write_fields(Cursor& c, const StructCodec& type, const uint8_t* instance) {
  c.put('{');
  for (size_t i = 0; i < type.fields.size(); ++i) {
    if (i) c.put(',');
    write_field(c, *type.layout, type.fields[i], instance);
  }
  c.put('}');
}

/// The data object; `verbatim`, when given, holds the text of some values
/// as they are to be written (append_data_json).
void write_data(Cursor& c, const EventType& type, const uint8_t* instance, const std::string_view* verbatim = nullptr) {
  c.put('{');
  bool first = true;
  for (const FieldCodec& f : type.fields) {
    if (!first) c.put(',');
    first = false;
    const std::string_view text = verbatim ? verbatim[f.index] : std::string_view();
    if (text.empty()) {
      write_field(c, *type.layout, f, instance);
    } else {
      char* p = c.room(f.json_key.size() + text.size());
      short_copy(p, f.json_key.data(), f.json_key.size());
      short_copy(p + f.json_key.size(), text.data(), text.size());
      c.advance(p + f.json_key.size() + text.size());
    }
  }
  c.put('}');
}

}  // namespace

void append_data_json(JsonBuffer& out, const EventType& type, const uint8_t* instance,
                      const std::string_view* verbatim) {
  Cursor c(out);
  write_data(c, type, instance, verbatim);
}

void append_data_json(std::string& out, const EventType& type, const uint8_t* instance) {
  Cursor c(out);
  write_data(c, type, instance);
}

template <class Out>
void append_fields(Out& out, const EventType& type, const uint8_t* instance, size_t first_field) {
  Cursor c(out);
  for (size_t f = first_field; f < type.fields.size(); ++f) {
    c.put(',');
    write_field(c, *type.layout, type.fields[f], instance);
  }
}

void append_fields_json(std::string& out, const EventType& type, const uint8_t* instance, size_t first_field) {
  append_fields(out, type, instance, first_field);
}

void append_fields_json(JsonBuffer& out, const EventType& type, const uint8_t* instance, size_t first_field) {
  append_fields(out, type, instance, first_field);
}

void JsonBuffer::reserve(size_t n) {
  if (n <= capacity_) return;
  auto bigger = std::make_unique_for_overwrite<char[]>(n);
  if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  capacity_ = n;
}

void append_cloudevent_json(std::string& out, const EventType& type, const uint8_t* instance,
                            const CloudEventAttributes& attributes) {
  Cursor c(out);
  c.put("{\"specversion\":\"1.0\",\"type\":");
  c.string(type.wire_name);
  c.put(",\"id\":");
  c.string(attributes.id);
  c.put(",\"source\":");
  c.string(attributes.source);
  if (attributes.time) {
    c.put(",\"time\":\"");
    char* p = c.room(kMaxTimestampText + 1);
    char* end = write_timestamp(*attributes.time, p);
    *end++ = '"';
    c.advance(end);
  }
  if (attributes.subject) {
    c.put(",\"subject\":");
    c.string(*attributes.subject);
  }
  c.put(",\"data\":");
  write_data(c, type, instance);
  c.put('}');
}

}  // namespace flow::runtime
