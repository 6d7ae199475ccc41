// The canonical printer behind `flowc fmt` (internal to compiler/format/):
// walks the AST in source order and writes Lines, placing every comment by
// its source position as it goes. Comments are never attached to nodes;
// instead, before each item or expression node is printed, every comment
// that starts before it is flushed: own-line comments become lines of their
// own, a comment with code before it on its line ends that line.
// Split by concern: printer_output.cpp (lines, blank lines, comments),
// print_decls.cpp (module, declarations, items), print_expr.cpp.
// With Layout::kOneLine the same code prints without line breaks or
// comments (format/expression_text.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.h"
#include "format/layout.h"
#include "parse/parser.h"

namespace flow::format {

/// How the Printer lays out what it prints.
enum class Layout {
  kFile,     // `flowc fmt`: the source's line breaks and every comment kept
  kOneLine,  // one line, comments dropped: `flowc graph`'s edge labels
};

class Printer {
 public:
  Printer(const SourceFile& file, const std::vector<Comment>& comments, Layout layout = Layout::kFile)
      : file_(file), comments_(comments), layout_(layout) {}

  /// The formatted text of `module` (parsed from `file` without errors).
  std::string print(const ast::Module& module);
  /// The text of expression `e` of `file`, without the parentheses written
  /// around the whole of it; one line with Layout::kOneLine.
  std::string print_expression(const ast::Expr& e);

 private:
  static constexpr int kIndent = 2;

  // ---- Lines and items (printer_output.cpp) ----
  /// Starts an item (a declaration, member, arm...) on a new line at
  /// `indent`; first flushes the comments before `begin`. Returns the index
  /// of its first line, for end_item.
  size_t begin_item(uint32_t begin, int indent, Align align = Align::None);
  /// Ends the item begun at `first_line` whose source ends at `end`.
  void end_item(size_t first_line, uint32_t end);
  /// Appends code to the current cell; after a line break, continues on a
  /// new line at continuation_indent().
  void write(std::string_view text);
  /// One step past the line that opened the innermost open bracket, or
  /// past the item outside brackets.
  int continuation_indent() const { return (brackets_.empty() ? item_indent_ : brackets_.back()) + kIndent; }
  /// Writes an opening bracket; lines inside it indent past this line.
  void open_bracket(std::string_view bracket);
  /// Writes a closing bracket; `own_line`: on a line of its own, at the
  /// indent of the line that opened it.
  void close_bracket(std::string_view bracket, bool own_line);
  /// Starts a new alignment cell on the current line.
  void next_cell();
  /// Ends the current line: whatever is written next goes on a new line.
  void break_line();
  /// Keeps the source's line break: ends the line when [from, to) holds
  /// one, else writes a space.
  void break_or_space(uint32_t from, uint32_t to) {
    if (has_newline(from, to))
      break_line();
    else
      write(" ");
  }
  /// After an opening `{` at `brace`: the body's first line gets no blank line before it.
  void open_body(uint32_t brace);
  /// Flushes the comments before the closing `}` at `brace` (at `inner`
  /// indent) and starts the line of the `}` at `outer` indent.
  void close_body(uint32_t brace, int inner, int outer);
  /// Asks for an empty line before the next line (dropped at a body's start).
  void request_blank() { blank_pending_ = true; }
  void push_line(int indent);

  // ---- Comments (printer_output.cpp) ----
  /// Between items: comments with code before them on their line trail the
  /// last line; the others become lines of their own at `indent`.
  void flush_between_items(uint32_t before, int indent);
  /// Inside an item, before the node at `before`.
  void flush_inline(uint32_t before);
  void add_trailing(const Comment& comment);
  void add_comment_line(const Comment& comment, int indent);
  bool comments_in(uint32_t begin, uint32_t end) const;
  /// Only spaces before the comment on its line.
  bool own_line(const Comment& c) const;
  /// Only spaces after the comment on its line (always, for `//`).
  bool ends_line(const Comment& c) const;
  /// A trailing comment may go at the end of the last line.
  bool can_trail() const;

  // ---- Source queries ----
  std::string_view text(uint32_t begin, uint32_t end) const { return file_.text().substr(begin, end - begin); }
  std::string_view text(SourceRange range) const { return text(range.begin, range.end); }
  bool has_newline(uint32_t begin, uint32_t end) const;
  bool has_blank_line(uint32_t begin, uint32_t end) const;
  /// Offset of the first `ch` in [begin, end) outside comments, or `end`.
  uint32_t find_forward(uint32_t begin, uint32_t end, char ch) const;
  /// Offset of the last `ch` in [begin, end) outside comments, or `end`.
  uint32_t find_backward(uint32_t begin, uint32_t end, char ch) const;
  bool inside_comment(uint32_t offset) const;
  /// The tokens of `range` (comments left out) joined by single spaces.
  std::string joined_tokens(SourceRange range) const;

  // ---- Declarations (print_decls.cpp) ----
  void decl(const ast::Decl& d);
  void enum_decl(const ast::EnumDecl& e);
  void event_decl(const ast::EventDecl& e);
  void event_member(const ast::EventMember& m);
  void record_decl(const ast::RecordDecl& r);
  /// The braced member list of an event or record declaration `d`.
  void members_body(const ast::Decl& d, const std::vector<ast::EventMember>& members);
  void const_decl(const ast::ConstDecl& c);
  void rule_decl(const ast::RuleDecl& r);
  void decision_decl(const ast::DecisionDecl& d);
  void service_decl(const ast::ServiceDecl& s);
  void service_item(const ast::ServiceDecl& s, const ast::ServiceItem& item);
  void emit(const ast::Emit& e, int indent);
  void emit_init(const ast::EmitInit& init);
  void flow_decl(const ast::FlowDecl& f);
  void flow_item(const ast::FlowDecl& f, const ast::FlowItem& item);
  std::string type_ref(const ast::TypeRef& t) const;
  std::string param(const ast::Param& p) const;
  /// Whether a braced body [open, close] is printed on one line: no comment
  /// from the construct's `begin` to `close` (a comment in the header goes
  /// after the `{`), and the body is empty or on one line in the source.
  bool body_on_one_line(uint32_t begin, uint32_t open, uint32_t close, bool empty) const;
  uint32_t decl_open_brace(const ast::Decl& d) const;

  // ---- Expressions (print_expr.cpp) ----
  /// A whole expression (no parentheses needed around it).
  void expr(const ast::Expr& e) { operand(e, false); }
  /// An operand; `needed`: parentheses are required by precedence.
  void operand(const ast::Expr& e, bool needed);
  void expr_body(const ast::Expr& e);
  void binary(const ast::Expr& e);
  void if_expr(const ast::Expr& e);
  /// `open`, the items separated by `, `, `close` — keeping the source's
  /// line breaks after `open`, between items and before `close`.
  void bracketed(char open, const std::vector<const ast::Expr*>& items, uint32_t open_end, uint32_t close_at,
                 char close);
  /// An item of a bracketed sequence: its source extent and how to print it.
  struct BracketItem {
    uint32_t begin = 0, end = 0;
    std::function<void()> print;
  };
  /// As above, for items that are not single expressions (map entries,
  /// record initialisers). `padded`: on one line, a space inside the brackets.
  void bracketed_items(std::string_view open, const std::vector<BracketItem>& items, uint32_t open_end,
                       uint32_t close_at, std::string_view close, bool padded);
  void map_literal(const ast::Expr& e);
  void record_literal(const ast::Expr& e);
  void lambda(const ast::Expr& e);
  std::string literal(const ast::Expr& e) const;

  const SourceFile& file_;
  const std::vector<Comment>& comments_;
  const Layout layout_;
  size_t next_comment_ = 0;
  std::vector<Line> lines_;
  bool open_ = false;  // lines_.back() takes more code
  bool blank_pending_ = false;
  bool body_start_ = false;    // the next line is the first of a body
  int item_indent_ = 0;        // indent of the item being printed
  std::vector<int> brackets_;  // per open bracket: the indent of the line that opened it
  uint32_t last_end_ = 0;      // source end of the last item or comment printed
};

}  // namespace flow::format
