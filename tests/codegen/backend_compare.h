// Comparing the results of the two back ends: values must be identical
// (floats bit for bit, except that any NaN matches any NaN: Flow cannot
// observe a NaN's payload), errors must agree in kind, message, source range
// and function.
#pragma once

#include <string>

#include "eval/value.h"

namespace flow::testing {

bool same_value(const eval::Value& a, const eval::Value& b);
bool same_result(const eval::EvalResult& a, const eval::EvalResult& b);
/// "value 42" or "error overflow: integer overflow in 'iadd' at 3:14-3:20 in rule m.R[E]".
std::string describe(const eval::EvalResult& result);

}  // namespace flow::testing
