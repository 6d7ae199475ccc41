// One expression as `flowc fmt` prints it, on a single line and without
// its comments: operators spaced, literals spelled as written, the user's
// parentheses kept. `flowc graph` labels its edges with the conditions so
// printed, so a graph and the formatted source always say the same thing.
#pragma once

#include <string>

#include "ast/ast.h"

namespace flow::format {

/// The text of `e`, which was parsed from its source file (e.range is valid),
/// without parentheses around the whole.
std::string expression_text(const ast::Expr& e);

}  // namespace flow::format
