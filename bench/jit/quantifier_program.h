// The quantifier part of jit_bench: an order as shops send it (two
// addresses, ten line items with decimal prices) and five rules with
// quantifiers over its items, the kinds issue 17's nested benchmark names
// (any, all, count, sum of decimals and floats, min_of), with events built
// from seeded values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "layout/event_layout.h"
#include "rt_abi/arena.h"

namespace flow::bench {

/// The program: module bench.nested, event NestedOrder and the rules below.
const char* quantifier_program();

/// The quantifier rules timed on both back ends.
inline const std::vector<std::string> kQuantifierRules = {"Bulk", "Mismatch", "Heavy", "AllTagged", "Bargain"};

/// `count` NestedOrder instances in `layout`, allocated in `arena`: ten
/// items each whose prices add up to the total, so every rule reads every
/// item (none stops early).
std::vector<const uint8_t*> make_nested_orders(const layout::EventLayout& layout, Arena& arena, int count,
                                               uint64_t seed = 42);

}  // namespace flow::bench
