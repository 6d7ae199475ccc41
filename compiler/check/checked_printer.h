// A readable text dump of a checked program, for `flowc build --emit
// checked`: every declaration with what the checker worked out — qualified
// names, events with their inclusions expanded (each field's type, key,
// default and the event that declared it), rules and decisions with their
// result types and typed, resolved expressions (ast_printer.h), services
// with their implementation and options, flows with resolved names.
//
// Modules print roots first, then imports; the standard library's modules
// are named but their declarations are not shown.
#pragma once

#include <string>

#include "check/program.h"

namespace flow {

/// The checked program; `program.ok` must be true.
std::string print_checked_program(const Program& program);

}  // namespace flow
