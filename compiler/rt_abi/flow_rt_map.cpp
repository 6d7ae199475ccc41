// flow_rt: map building (sort by key, last write wins) and key search.
// The sort orders entry indexes by (key, position), a total order, so it
// needs no stable sort and no memory beyond the index array in the arena.
#include "rt_abi/flow_rt_map.h"

#include <algorithm>
#include <cstring>

namespace {

FlowStr key_at(const uint8_t* entries, uint64_t index, uint64_t entry_size) {
  FlowStr key;
  std::memcpy(&key, entries + index * entry_size, sizeof key);
  return key;
}

int32_t compare(const FlowStr& a, const FlowStr& b) {
  return flow_rt_str_compare(a.data, a.size, b.data, b.size);
}

}  // namespace

extern "C" {

int32_t flow_rt_map_build(FlowArena* arena, const void* entries, uint64_t count, uint64_t entry_size, FlowMap* out) {
  if (count == 0) {
    *out = FlowMap{nullptr, 0};
    return FLOW_RT_OK;
  }
  const auto* in = static_cast<const uint8_t*>(entries);
  auto* order = static_cast<uint64_t*>(flow_rt_arena_alloc(arena, count * sizeof(uint64_t), alignof(uint64_t)));
  auto* data = static_cast<uint8_t*>(flow_rt_arena_alloc(arena, count * entry_size, 8));
  if (!order || !data) return FLOW_RT_OUT_OF_MEMORY;
  for (uint64_t i = 0; i < count; ++i) order[i] = i;
  std::sort(order, order + count, [&](uint64_t a, uint64_t b) {
    int32_t c = compare(key_at(in, a, entry_size), key_at(in, b, entry_size));
    return c != 0 ? c < 0 : a < b;
  });
  uint64_t kept = 0;
  for (uint64_t i = 0; i < count; ++i) {
    // Of a run of equal keys, the last written (highest position) comes last.
    bool last_of_key =
        i + 1 == count || compare(key_at(in, order[i], entry_size), key_at(in, order[i + 1], entry_size)) != 0;
    if (!last_of_key) continue;
    std::memcpy(data + kept * entry_size, in + order[i] * entry_size, entry_size);
    ++kept;
  }
  *out = FlowMap{data, kept};
  return FLOW_RT_OK;
}

const void* flow_rt_map_find(const void* entries, uint64_t count, uint64_t entry_size, const char* key,
                             uint64_t key_size) {
  const auto* base = static_cast<const uint8_t*>(entries);
  const FlowStr wanted{key, key_size};
  uint64_t low = 0;
  uint64_t high = count;
  while (low < high) {
    uint64_t middle = low + (high - low) / 2;
    int32_t c = compare(key_at(base, middle, entry_size), wanted);
    if (c == 0) return base + middle * entry_size;
    if (c < 0) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return nullptr;
}

}  // extern "C"
