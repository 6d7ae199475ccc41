// The physical reference: the benchmark's 25 predicates hand-written in C++
// over the same event layout the JIT reads (field offsets fixed at compile
// time, as in generated code), with the same semantics, including the
// evaluation errors (division by zero, overflow). Compiled with -O2.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "layout/event_layout.h"

namespace flow::bench {

/// FLOW_RT_OK and `result`, or an error status; like a native rule function.
using NativePredicate = int32_t (*)(const uint8_t* order, bool* result);

/// In the order of kPredicates (order_program.h).
const std::vector<NativePredicate>& native_predicates();

/// Empty when `layout` (the Order event's) is the one the hand-written code
/// assumes; otherwise what differs.
std::string check_native_layout(const layout::EventLayout& layout);

}  // namespace flow::bench
