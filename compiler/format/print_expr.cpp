// The Printer's expressions: operators spaced, literals spelled as written,
// the user's parentheses kept and the ones precedence needs added, and the
// source's line breaks kept after binary operators, before `then`/`else`,
// after `=>` and between the items of calls, lists, maps and records.
#include <cstdint>

#include "format/printer.h"

namespace flow::format {

using namespace flow::ast;

namespace {

// Binding strength, loosest first, as in grammar/Flow.g4.
constexpr int kIf = 1, kOr = 2, kAnd = 3, kNot = 4, kIn = 5, kCompare = 6, kCoalesce = 7, kAdd = 8, kMul = 9, kNeg = 10,
              kPostfix = 11, kPrimary = 12;

int precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::If: return kIf;
    case ExprKind::Unary: return e.unary_op == UnaryOp::Neg ? kNeg : kNot;
    case ExprKind::Field:
    case ExprKind::OptionalField:
    case ExprKind::Call:
    case ExprKind::Index: return kPostfix;
    case ExprKind::Lambda: return 0;                                        // only ever a whole argument
    case ExprKind::Int: return e.int_value == INT64_MIN ? kNeg : kPrimary;  // folded `-9223372036854775808`
    case ExprKind::Binary:
      switch (e.binary_op) {
        case BinaryOp::Or: return kOr;
        case BinaryOp::And: return kAnd;
        case BinaryOp::In:
        case BinaryOp::NotIn: return kIn;
        case BinaryOp::Eq:
        case BinaryOp::Ne:
        case BinaryOp::Lt:
        case BinaryOp::Le:
        case BinaryOp::Gt:
        case BinaryOp::Ge: return kCompare;
        case BinaryOp::Coalesce: return kCoalesce;
        case BinaryOp::Add:
        case BinaryOp::Sub: return kAdd;
        case BinaryOp::Mul:
        case BinaryOp::Div:
        case BinaryOp::Mod: return kMul;
      }
      return kPrimary;
    default: return kPrimary;
  }
}

}  // namespace

std::string Printer::literal(const Expr& e) const {
  std::string_view written = text(e.range);
  if (e.kind == ExprKind::Int && e.int_value == INT64_MIN) {
    // Folded from `-` and a literal, maybe with spaces or parentheses between.
    std::string digits = "-";
    for (uint32_t i = e.range.begin; i < e.range.end; ++i) {
      char c = written[i - e.range.begin];
      if (((c >= '0' && c <= '9') || c == '_') && !inside_comment(i)) digits += c;
    }
    return digits;
  }
  return std::string(written);
}

std::string Printer::print_expression(const Expr& e) {
  lines_.clear();
  push_line(0);
  open_ = true;
  item_indent_ = 0;
  brackets_.clear();
  expr_body(e);
  std::string text = render(lines_);
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

void Printer::operand(const Expr& e, bool needed) {
  flush_inline(e.range.begin);
  bool parens = needed || e.parenthesized;
  if (parens) open_bracket("(");
  expr_body(e);
  if (parens) close_bracket(")", false);
}

void Printer::expr_body(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Int:
    case ExprKind::Float:
    case ExprKind::String:
    case ExprKind::Duration:
    case ExprKind::Timestamp:
    case ExprKind::Decimal: write(literal(e)); break;
    case ExprKind::Bool: write(e.int_value ? "true" : "false"); break;
    case ExprKind::None: write("none"); break;
    case ExprKind::It: write("it"); break;
    case ExprKind::Name: write(e.text); break;
    case ExprKind::List: {
      std::vector<const Expr*> items;
      for (const auto& item : e.operands) items.push_back(item.get());
      bracketed('[', items, e.range.begin + 1, e.range.end - 1, ']');
      break;
    }
    case ExprKind::Field:
    case ExprKind::OptionalField:
      operand(*e.operands[0], precedence(*e.operands[0]) < kPostfix);
      write((e.kind == ExprKind::Field ? "." : "?.") + e.text);
      break;
    case ExprKind::Map: map_literal(e); break;
    case ExprKind::Record: record_literal(e); break;
    case ExprKind::Lambda: lambda(e); break;
    case ExprKind::Call: {
      const Expr& callee = *e.operands[0];
      operand(callee, precedence(callee) < kPostfix);
      std::vector<const Expr*> args;
      for (size_t i = 1; i < e.operands.size(); ++i) args.push_back(e.operands[i].get());
      bracketed('(', args, callee.range.end, e.range.end - 1, ')');
      break;
    }
    case ExprKind::Index:
      operand(*e.operands[0], precedence(*e.operands[0]) < kPostfix);
      open_bracket("[");
      expr(*e.operands[1]);
      close_bracket("]", false);
      break;
    case ExprKind::Unary:
      if (e.unary_op == UnaryOp::Neg) {
        const Expr& x = *e.operands[0];
        bool needed = precedence(x) < kNeg;
        // `- -x`, not `--x`.
        bool negative = !needed && !x.parenthesized && precedence(x) == kNeg;
        write(negative ? "- " : "-");
        operand(x, needed);
      } else {
        write("not ");
        operand(*e.operands[0], precedence(*e.operands[0]) < kNot);
      }
      break;
    case ExprKind::Binary: binary(e); break;
    case ExprKind::If: if_expr(e); break;
  }
}

void Printer::binary(const Expr& e) {
  const Expr& lhs = *e.operands[0];
  const Expr& rhs = *e.operands[1];
  int p = precedence(e);
  // All binary operators associate to the left except `??`.
  bool right = e.binary_op == BinaryOp::Coalesce;
  operand(lhs, right ? precedence(lhs) <= p : precedence(lhs) < p);
  write(" ");
  write(to_string(e.binary_op));
  break_or_space(lhs.range.end, rhs.range.begin);
  operand(rhs, right ? precedence(rhs) < p : precedence(rhs) <= p);
}

void Printer::if_expr(const Expr& e) {
  const Expr& condition = *e.operands[0];
  const Expr& then_value = *e.operands[1];
  const Expr& else_value = *e.operands[2];
  write("if ");
  expr(condition);
  break_or_space(condition.range.end, then_value.range.begin);
  write("then ");
  expr(then_value);
  break_or_space(then_value.range.end, else_value.range.begin);
  write("else ");
  expr(else_value);
}

void Printer::bracketed(char open, const std::vector<const Expr*>& items, uint32_t open_end, uint32_t close_at,
                        char close) {
  std::vector<BracketItem> printed;
  for (const Expr* item : items) printed.push_back({item->range.begin, item->range.end, [this, item] { expr(*item); }});
  bracketed_items(std::string(1, open), printed, open_end, close_at, std::string(1, close), false);
}

void Printer::bracketed_items(std::string_view open, const std::vector<BracketItem>& items, uint32_t open_end,
                              uint32_t close_at, std::string_view close, bool padded) {
  open_bracket(open);
  uint32_t previous = open_end;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) write(",");
    if (has_newline(previous, items[i].begin)) {
      break_line();
    } else if (i > 0 || padded) {
      write(" ");
    }
    flush_inline(items[i].begin);
    items[i].print();
    previous = items[i].end;
  }
  // Comments after the last item stay inside the brackets.
  flush_inline(close_at);
  bool close_own_line = !items.empty() && has_newline(previous, close_at);
  if (padded && !items.empty() && !close_own_line) write(" ");
  close_bracket(close, close_own_line);
}

void Printer::map_literal(const Expr& e) {
  std::vector<BracketItem> entries;
  for (size_t i = 0; i + 1 < e.operands.size(); i += 2) {
    const Expr& key = *e.operands[i];
    const Expr& value = *e.operands[i + 1];
    entries.push_back({key.range.begin, value.range.end, [this, &key, &value] {
                         expr(key);
                         write(":");
                         break_or_space(key.range.end, value.range.begin);
                         expr(value);
                       }});
  }
  bracketed_items("{", entries, e.range.begin + 1, e.range.end - 1, "}", false);
}

void Printer::record_literal(const Expr& e) {
  write(e.type_name.text() + " ");
  std::vector<BracketItem> inits;
  for (size_t i = 0; i < e.inits.size() && i < e.operands.size(); ++i) {
    const FieldInit& init = e.inits[i];
    const Expr& value = *e.operands[i];
    inits.push_back({init.range.begin, init.range.end, [this, &init, &value] {
                       if (init.is_spread) {
                         write("...");
                         expr(value);
                         return;
                       }
                       write(init.name + ":");
                       break_or_space(init.name_range.end, value.range.begin);
                       expr(value);
                     }});
  }
  uint32_t open = find_forward(e.type_name.range.end, e.range.end, '{');
  bracketed_items("{", inits, open + 1, e.range.end - 1, "}", true);
}

void Printer::lambda(const Expr& e) {
  const Expr& body = *e.operands[0];
  if (e.params.size() == 1) {
    write(e.params[0].name);
  } else {
    std::string list;
    for (const auto& p : e.params) list += (list.empty() ? "" : ", ") + p.name;
    write("(" + list + ")");
  }
  write(" =>");
  uint32_t arrow = find_backward(e.range.begin, body.range.begin, '=');
  break_or_space(arrow, body.range.begin);
  expr(body);
}

}  // namespace flow::format
