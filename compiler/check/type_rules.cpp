// How the types of two values combine (language.md §4, §4.1), shared by
// every check that combines values (operators, `if`, list and map literals,
// min/max, contains, `??`). Numbers: `int` widens to `float` or to
// `decimal` in arithmetic and comparison, and `float` and `decimal` never
// mix — binary floating point would make an exact amount inexact without a
// word, so the user converts explicitly with decimal(x) or float(x).
#include "check/checker.h"

namespace flow::check {

using namespace ast;

bool is_number(const Type* t) {
  return t->kind == TypeKind::Int || t->kind == TypeKind::Float || t->kind == TypeKind::Decimal;
}

bool mixes_decimal_and_float(const Type* a, const Type* b) {
  return (a->kind == TypeKind::Decimal && b->kind == TypeKind::Float) ||
         (a->kind == TypeKind::Float && b->kind == TypeKind::Decimal);
}

const Type* numeric_join(const Type* a, const Type* b) {
  if (!is_number(a) || !is_number(b) || mixes_decimal_and_float(a, b)) return nullptr;
  if (a == b) return a;
  return a->kind == TypeKind::Int ? b : a;  // int widens to the other
}

const Type* common_element_type(TypeContext& types, const Type* a, const Type* b) {
  if (is_assignable(b, a)) return a;
  if (is_assignable(a, b)) return b;
  if (const Type* number = numeric_join(a, b)) return number;
  if (a->kind == TypeKind::NoneType) return types.optional(b);
  if (b->kind == TypeKind::NoneType) return types.optional(a);
  if (a->is_optional() || b->is_optional()) {
    const Type* inner =
        common_element_type(types, a->is_optional() ? a->element : a, b->is_optional() ? b->element : b);
    return inner ? types.optional(inner) : nullptr;
  }
  return nullptr;
}

std::string source_text(SourceRange range) {
  if (!range.valid() || range.end < range.begin) return "";
  return std::string(range.file->text().substr(range.begin, range.end - range.begin));
}

bool is_orderable(const Type* t) {
  return is_number(t) || t->kind == TypeKind::String || t->kind == TypeKind::Timestamp || t->kind == TypeKind::Duration;
}

const Type* Checker::decimal_float_mix(const Expr& site, const Expr& a, const Expr& b, const std::string& what) {
  auto& d = diags_.report(DiagKind::DecimalFloatMix, site.range, what + " mixes decimal and float");
  const Expr& floating =
      a.type->kind == TypeKind::Float || (a.type->is_optional() && a.type->element->kind == TypeKind::Float) ? a : b;
  std::string written = floating.kind == ExprKind::Float ? source_text(floating.range) : "";
  // `2.5` becomes `2.5d`; `1e6` has no decimal spelling but `decimal(1e6)`.
  if (!written.empty() && written.find_first_of("eE(") == std::string::npos) {
    d.help = "write the literal as a decimal: " + written + "d";
  } else {
    d.help = "convert one side explicitly: decimal(x) or float(x)";
  }
  return program_.types.error();
}

bool Checker::join_element(const Type*& joined, const Expr& item, const char* what) {
  const Type* t = item.type;
  if (!t || t->is_error()) return false;
  if (joined->kind == TypeKind::Never) {
    joined = t;
  } else if (const Type* common = common_element_type(program_.types, joined, t)) {
    joined = common;
  } else if (mixes_decimal_and_float(joined, t)) {
    diags_.report(DiagKind::DecimalFloatMix, item.range, std::string(what) + " mix decimal and float").help =
        "convert explicitly: decimal(x) or float(x)";
    return false;
  } else {
    diags_.report(DiagKind::TypeMismatch, item.range,
                  std::string(what) + " must have one type: " + joined->to_string() + " and " + t->to_string());
    return false;
  }
  return true;
}

}  // namespace flow::check
