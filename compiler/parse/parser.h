// The parse stage: source text -> AST. This header is the only interface to
// it; ANTLR types never leave compiler/parse/.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "diag/diagnostic.h"

namespace flow {

/// Limits that keep hostile input from exhausting the stack.
inline constexpr int kMaxNestingDepth = 256;

/// A comment as written, for tools that print the source back (flowc fmt).
/// The parser never sees comments; this is the only way out of the lexer.
struct Comment {
  enum class Kind : uint8_t { Line, Block, Doc };  // `//`, `/* */`, `///`
  Kind kind = Kind::Line;
  SourceRange range;  // byte offsets, delimiters included, no line terminator
  LineColumn start;   // 1-based line and byte column of range.begin
  std::string text;   // the source text of `range`
};

/// Parses one file. Always returns a module (possibly partial); syntax and
/// lexical problems are reported to `diags`.
std::unique_ptr<ast::Module> parse_module(const SourceFile& file, DiagnosticEngine& diags);

/// The same, and also collects every closed comment, in source order, into
/// `comments` (when not null).
std::unique_ptr<ast::Module> parse_module(const SourceFile& file, DiagnosticEngine& diags,
                                          std::vector<Comment>* comments);

}  // namespace flow
