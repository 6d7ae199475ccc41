// Internal to the ingress library: the last step of decoding a
// map<string, T> (language.md §4.1), shared by the three decoder tiers so
// they cannot disagree. A JSON object's members are read into entries in
// the order they come; the layout (docs/event-layout.md) wants them sorted
// by key, bytewise with the shorter of two keys first when one is a prefix
// of the other, and every key once.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "rt_abi/arena.h"
#include "rt_abi/flow_rt.h"

namespace flow::runtime {

/// Whether map key `a` sorts before `b` (bytewise; a prefix first).
inline bool key_before(std::string_view a, std::string_view b) {
  return a < b;  // char_traits<char> compares as unsigned char
}

/// Copies `count` entries of `entry_size` bytes from `entries` (each a
/// FlowStr key at offset 0, then its value) into new storage in `arena`,
/// sorted by key. False when two keys are the same (then `duplicate` is
/// that key and nothing is stored). `order` is scratch space.
bool sort_map_entries(const uint8_t* entries, uint64_t count, uint32_t entry_size, std::vector<uint32_t>& order,
                      Arena& arena, FlowMap& out, std::string_view& duplicate);

}  // namespace flow::runtime
