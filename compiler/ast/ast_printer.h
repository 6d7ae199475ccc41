// A readable text dump of the AST, for `flowc build --emit ast` and
// `--emit checked`: declarations as indented lines, expressions as
// S-expressions `(kind operands...)`, broken over indented lines when they
// do not fit on one (as the IR printer does).
//
// Two levels of detail: `Syntax` shows the tree as the parser built it
// (names as written, items in source order, literals spelled as written);
// `Checked` adds what the checker annotated on expressions — each node's
// type after a colon, and what each name resolved to (parameter, constant,
// rule, enum member, builtin) by qualified name. Source positions, comments
// and parentheses are not shown.
#pragma once

#include <string>

#include "ast/ast.h"

namespace flow::ast {

enum class ExprDetail { Syntax, Checked };

/// One expression: one line when it fits in 100 columns from `indent`,
/// otherwise each operand on its own line, indented two more spaces. The
/// first line carries no indentation (the caller places it at `indent`);
/// the result ends without a newline.
std::string print_expr(const Expr& expr, ExprDetail detail, int indent = 0);

/// A line at `indent`: `label`, then `expr`, whose operands go on lines of
/// their own (two spaces deeper than the label) when it does not fit.
/// Ends with a newline.
std::string print_labelled_expr(const std::string& label, const Expr& expr, ExprDetail detail, int indent);

/// What the AST and checked dumps write with: indented lines, expressions
/// after labels, and the items both print alike. Names print as written;
/// a subclass may print what they resolved to instead.
class DumpWriter {
 public:
  explicit DumpWriter(ExprDetail detail) : detail_(detail) {}
  virtual ~DumpWriter() = default;

  std::string out;

 protected:
  void line(int indent, const std::string& text);
  /// print_labelled_expr, or `label<missing>` when there is no expression.
  void expr_line(int indent, const std::string& label, const Expr* expr);
  /// An `emit` clause: its target, initialisers and guard, at `indent`.
  void emit(int indent, const Emit& emit);
  virtual std::string name(const QualifiedName& n) const { return n.text(); }

 private:
  ExprDetail detail_;
};

/// The syntax tree of one module as parsed: its name, imports and each
/// declaration with its items in source order.
std::string print_module_syntax(const Module& module);

}  // namespace flow::ast
