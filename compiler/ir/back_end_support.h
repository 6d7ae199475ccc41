// Where the front end is ahead of the back ends. The checker accepts
// records, maps, decimals, optional paths and the list functions with
// their lambdas (language.md §4.1); lowering, the layouts, the interpreter,
// the JIT and the runtime's decoders handle decimals except `%` and
// floor()/ceil() of a decimal, and none of the rest yet. This is the
// one place that says so: `flowc build` reports each such construct as
// E0601 (not yet supported by the back end) with its source range, and
// lower_program refuses such a program before it lays out a single event,
// so no later stage ever meets a type or node it cannot handle.
// As the back ends learn a construct, it leaves this list.
#pragma once

#include <string>

#include "check/program.h"

namespace flow::ir {

/// Why lowering cannot take `expr` itself (its operands aside): "a record
/// literal", "any()", a value of an unsupported type...; "" when it can.
std::string describe_unsupported(const ast::Expr& expr);

/// Reports, as E0601 at the construct, every use in the checked `program`
/// of what the back ends do not support yet: event fields of such types,
/// and the first such construct of each body (rule, decision, constant,
/// condition, emit, default). Returns how many it reported.
size_t report_unsupported(const Program& program, DiagnosticEngine& diags);

}  // namespace flow::ir
