// Sorting the entries of a decoded map (map_entries.h).
#include "ingress/map_entries.h"

#include <algorithm>
#include <cstring>

#include "layout/event_builder.h"

namespace flow::runtime {

namespace {

std::string_view key_at(const uint8_t* entry) {
  const auto key = layout::load<FlowStr>(entry);
  return std::string_view(key.data, key.size);
}

}  // namespace

bool sort_map_entries(const uint8_t* entries, uint64_t count, uint32_t entry_size, std::vector<uint32_t>& order,
                      Arena& arena, FlowMap& out, std::string_view& duplicate) {
  const uint64_t bytes = count * entry_size;
  auto* data = static_cast<uint8_t*>(arena.allocate(bytes, 8));
  // Producers often write keys in order already: then one pass checks it.
  bool sorted = true;
  for (uint64_t i = 1; i < count && sorted; ++i)
    sorted = key_before(key_at(entries + (i - 1) * entry_size), key_at(entries + i * entry_size));
  if (sorted) {
    if (bytes) std::memcpy(data, entries, bytes);
    out = FlowMap{data, count};
    return true;
  }
  order.resize(count);
  for (uint32_t i = 0; i < count; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return key_before(key_at(entries + uint64_t{a} * entry_size), key_at(entries + uint64_t{b} * entry_size));
  });
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t* entry = entries + uint64_t{order[i]} * entry_size;
    if (i > 0 && key_at(entry) == key_at(entries + uint64_t{order[i - 1]} * entry_size)) {
      duplicate = key_at(entry);
      return false;
    }
    std::memcpy(data + i * entry_size, entry, entry_size);
  }
  out = FlowMap{data, count};
  return true;
}

}  // namespace flow::runtime
