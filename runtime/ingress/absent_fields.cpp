// Defaults, none and missing fields (absent_fields.h).
#include "ingress/absent_fields.h"

#include <cstring>

#include "layout/event_builder.h"

namespace flow::runtime {

namespace {

/// Calls `fn(field index)` for each field of `type` not in `seen`.
template <typename Fn>
void for_each_absent(const StructCodec& type, const SeenFields& seen, Fn fn) {
  const size_t n = type.fields.size();
  const std::vector<uint64_t>& words = seen.words();
  for (size_t word = 0; word <= n / 64; ++word) {
    uint64_t absent = ~words[word];
    if (word == n / 64) absent &= (uint64_t{1} << (n % 64)) - 1;  // bits past the last field
    while (absent) {
      const size_t i = word * 64 + static_cast<size_t>(__builtin_ctzll(absent));
      absent &= absent - 1;
      fn(i);
    }
  }
}

}  // namespace

void deepen_slot(const TypeCodec& codec, uint8_t* slot, Arena& arena) {
  switch (codec.kind) {
    case TypeKind::String: {
      auto s = layout::load<FlowStr>(slot);
      layout::store(slot, arena.copy(std::string_view(s.data, s.size)));
      return;
    }
    case TypeKind::List:
    case TypeKind::Map: {
      // Lists and maps: the same walk, over element slots or over entries.
      const bool is_map = codec.kind == TypeKind::Map;
      const auto list = layout::load<FlowList>(slot);  // a FlowMap has the same two words
      const uint32_t stride = is_map ? codec.entry_size : codec.element_size;
      const uint64_t bytes = list.count * stride;
      auto* data = static_cast<uint8_t*>(arena.allocate(bytes, is_map ? 8 : codec.element_align));
      if (bytes) std::memcpy(data, list.data, bytes);
      const TypeCodec& element = *codec.element;
      for (uint64_t i = 0; i < list.count; ++i) {
        uint8_t* p = data + i * stride;
        if (is_map) {
          const auto key = layout::load<FlowStr>(p);
          layout::store(p, arena.copy(std::string_view(key.data, key.size)));
          p += codec.entry_value_offset;
        }
        if (!element.deep) continue;
        if (codec.element_optional) {
          if (!p[0]) continue;  // absent element
          p += codec.element_value_offset;
        }
        deepen_slot(element, p, arena);
      }
      if (is_map) {
        layout::store(slot, FlowMap{data, list.count});
      } else {
        layout::store(slot, FlowList{data, list.count});
      }
      return;
    }
    case TypeKind::Record: {
      const StructCodec& record = *codec.record;
      for (const FieldCodec& f : record.fields) {
        if (!f.value->deep || (f.optional && !record.layout->present(slot, f.index))) continue;
        deepen_slot(*f.value, slot + f.offset, arena);
      }
      return;
    }
    default: return;
  }
}

bool fill_absent_fields(const StructCodec& type, const SeenFields& seen, uint8_t* instance, Arena& arena) {
  bool complete = true;
  for_each_absent(type, seen, [&](size_t i) {
    const FieldCodec& f = type.fields[i];
    switch (f.absent) {
      case Absent::None: break;  // slot zeroed, presence bit clear: none
      case Absent::Default:
        std::memcpy(instance + f.offset, type.defaults + f.offset, f.size);
        if (f.default_is_deep) deepen_slot(*f.value, instance + f.offset, arena);
        type.layout->set_present(instance, f.index, true);
        break;
      case Absent::Missing: complete = false; break;
    }
  });
  return complete;
}

std::string missing_fields_reason(const StructCodec& type, const SeenFields& seen, std::string_view path) {
  std::string names;
  size_t count = 0;
  bool key = false;
  for_each_absent(type, seen, [&](size_t i) {
    const FieldCodec& f = type.fields[i];
    if (f.absent != Absent::Missing) return;
    names += (count++ ? ", '" : "'") + std::string(path) + f.name + "'";
    key = key || f.is_key;
  });
  if (count == 1) return std::string(key ? "missing key field " : "missing field ") + names;
  return "missing fields " + names;
}

}  // namespace flow::runtime
