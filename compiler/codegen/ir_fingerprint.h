// A fingerprint of an ir::Module: everything generated code depends on
// (functions, node trees with their attributes and types, regexes, the
// layout facts LoadField relies on). Bitcode records the fingerprint of the
// IR it was generated from; loading it against a different IR is refused,
// because error sites and result types are looked up in that IR.
#pragma once

#include <string>

#include "ir/ir.h"

namespace flow::codegen {

/// 16 hex digits.
std::string ir_fingerprint(const ir::Module& module);

}  // namespace flow::codegen
