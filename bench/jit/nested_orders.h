// The nested half of jit_bench: an order with ten line items, two addresses
// and decimal amounts (language.md §4.1), the quantifier rules timed over
// it, and seeded instances of it, so each rule's loop runs over every item
// and branches go both ways.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "layout/event_layout.h"
#include "rt_abi/arena.h"

namespace flow::bench {

/// The Flow source: records Address and LineItem, event NestedOrder, rules.
const std::string& nested_order_program();

/// The rules timed: each one a list function over the line items.
extern const std::vector<std::string> kQuantifierRules;

/// `count` NestedOrder instances of `items` line items each, in `arena`.
std::vector<const uint8_t*> make_nested_orders(const layout::EventLayout& layout, Arena& arena, int count,
                                               int items = 10, uint64_t seed = 7);

}  // namespace flow::bench
