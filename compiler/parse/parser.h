// The parse stage: source text -> AST. This header is the only interface to
// it; ANTLR types never leave compiler/parse/.
#pragma once

#include <memory>

#include "ast/ast.h"
#include "diag/diagnostic.h"

namespace flow {

/// Limits that keep hostile input from exhausting the stack.
inline constexpr int kMaxNestingDepth = 256;

/// Parses one file. Always returns a module (possibly partial); syntax and
/// lexical problems are reported to `diags`.
std::unique_ptr<ast::Module> parse_module(const SourceFile& file, DiagnosticEngine& diags);

}  // namespace flow
