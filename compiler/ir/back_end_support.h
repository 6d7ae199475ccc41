// Where the front end is ahead of the back ends. The checker accepts `%`
// on decimals; lowering does not produce it yet (it needs an IR op, and
// both back ends to take it; flow_rt_decimal_rem is ready). This is the one place that says so: `flowc build` reports each
// such construct as E0601 (not yet supported by the back end) with its
// source range, and lower_program refuses such a program before it lays out
// a single event, so no later stage ever meets a node it cannot handle.
// As the back ends learn a construct, it leaves this list.
#pragma once

#include <string>

#include "check/program.h"

namespace flow::ir {

/// Why lowering cannot take `expr` itself (its operands aside): "'%' on
/// decimals"; "" when it can.
std::string describe_unsupported(const ast::Expr& expr);

/// Reports, as E0601 at the construct, the first use in each body of the
/// checked `program` (rule, decision, constant, condition, emit, event or
/// record field default) of what the back ends do not support yet. Returns
/// how many it reported.
size_t report_unsupported(const Program& program, DiagnosticEngine& diags);

}  // namespace flow::ir
