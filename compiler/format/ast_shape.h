// A text rendering of an AST's structure — everything the parser recorded
// except source positions, parentheses and checker annotations — so that two
// parses can be compared: fmt refuses output whose shape differs from its
// input's.
#pragma once

#include <string>

#include "ast/ast.h"

namespace flow::format {

std::string ast_shape(const ast::Module& module);

}  // namespace flow::format
