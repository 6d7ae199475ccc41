// Realistic Order events for the benchmark: a seeded mix of countries,
// currencies, amounts, coupons, loyalty data, tags and times, so branches
// in the predicates go both ways.
#pragma once

#include <cstdint>
#include <vector>

#include "layout/event_layout.h"
#include "rt_abi/arena.h"

namespace flow::bench {

/// `count` instances in `layout` (the Order event's), allocated in `arena`.
std::vector<const uint8_t*> make_orders(const layout::EventLayout& layout, Arena& arena, int count, uint64_t seed = 42);

}  // namespace flow::bench
