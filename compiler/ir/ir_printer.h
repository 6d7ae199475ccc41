// Text form of the rule IR, for golden tests and `flowc build --emit ir`: one
// S-expression per function body, `(op:type attributes operands...)`, broken
// over indented lines when it does not fit on one.
#pragma once

#include <string>

#include "ir/ir.h"

namespace flow::ir {

/// `text` as a double-quoted literal: quotes, backslashes and control
/// characters escaped.
std::string quote(const std::string& text);

std::string print_node(const Node& node);
std::string print_function(const Function& function);
/// Regexes, every function in id order, then the emit plans.
std::string print_module(const Module& module);

}  // namespace flow::ir
