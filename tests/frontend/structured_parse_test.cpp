// Parsing the structured-data syntax (language.md §4.1): record
// declarations, map and decimal types, decimal literals, map and record
// literals, lambdas as call arguments and `?.` — with the precedence of
// `=>` and `?.`, and what stays as it was (`12d` is a duration, `when x =>`
// in a decision is no lambda, `string?...Other` still lexes).
#include <catch2/catch.hpp>

#include "parse/parser.h"

using namespace flow;
using ast::ExprKind;

namespace {

struct Parsed {
  SourceManager sources;
  DiagnosticEngine diags;
  std::unique_ptr<ast::Module> module;
};

std::unique_ptr<Parsed> parse(const std::string& text) {
  auto p = std::make_unique<Parsed>();
  p->module = parse_module(*p->sources.add("test.flow", text), p->diags);
  return p;
}

/// The value of `const NAME = ...` in a module with that one declaration.
const ast::Expr& only_const(const Parsed& p) {
  REQUIRE(p.diags.diagnostics().empty());
  REQUIRE(p.module->decls.size() == 1);
  auto* c = ast::dyn_cast<ast::ConstDecl>(p.module->decls[0].get());
  REQUIRE(c);
  return *c->value;
}

std::string text_of(const Parsed& p, SourceRange r) {
  return std::string(p.module->file->text().substr(r.begin, r.end - r.begin));
}

}  // namespace

TEST_CASE("a record declaration has an event's members") {
  auto p = parse(
      "record Address { street: string, city: string = \"Utrecht\", zip: string? }\n"
      "record Office { ...Address, key code: string, staff: map<string, list<int>>?, rent: decimal }\n");
  REQUIRE(p->diags.diagnostics().empty());
  REQUIRE(p->module->decls.size() == 2);
  auto* address = ast::dyn_cast<ast::RecordDecl>(p->module->decls[0].get());
  REQUIRE(address);
  CHECK(address->kind == ast::DeclKind::Record);
  REQUIRE(address->members.size() == 3);
  CHECK(address->members[1].field.default_value);
  CHECK(address->members[2].field.type.optional);
  auto* office = ast::dyn_cast<ast::RecordDecl>(p->module->decls[1].get());
  REQUIRE(office);
  REQUIRE(office->members.size() == 4);
  CHECK(office->members[0].is_include);
  CHECK(office->members[0].include.text() == "Address");
  CHECK(office->members[1].field.is_key);  // parsed, so that the checker can say why not (E0208)
  const ast::TypeRef& staff = office->members[2].field.type;
  CHECK(staff.name.text() == "map");
  REQUIRE(staff.arguments.size() == 2);
  CHECK(staff.arguments[0].name.text() == "string");
  CHECK(staff.arguments[1].name.text() == "list");
  CHECK(staff.optional);
  CHECK(staff.text() == "map<string, list<int>>?");
  CHECK(office->members[3].field.type.text() == "decimal");
}

TEST_CASE("decimal literals keep their digits; 12d stays a duration") {
  auto p = parse("const A = 1_000.50d");
  const ast::Expr& a = only_const(*p);
  CHECK(a.kind == ExprKind::Decimal);
  CHECK(a.text == "1000.50");
  auto q = parse("const D = 12d");
  const ast::Expr& d = only_const(*q);
  CHECK(d.kind == ExprKind::Duration);
  CHECK(d.int_value == 12LL * 24 * 3600 * 1000000);
  auto r = parse("const F = 12.5");
  CHECK(only_const(*r).kind == ExprKind::Float);
  auto n = parse("const N = -0.5d");
  const ast::Expr& neg = only_const(*n);
  CHECK(neg.kind == ExprKind::Unary);
  CHECK(neg.operands[0]->kind == ExprKind::Decimal);
}

TEST_CASE("map literals: empty, and key-value entries in order") {
  auto p = parse("const M = {}");
  const ast::Expr& empty = only_const(*p);
  CHECK(empty.kind == ExprKind::Map);
  CHECK(empty.operands.empty());
  auto q = parse("const M = {\"a\": 1, \"b\": 2 + 3,}");
  const ast::Expr& m = only_const(*q);
  REQUIRE(m.kind == ExprKind::Map);
  REQUIRE(m.operands.size() == 4);
  CHECK(m.operands[0]->text == "a");
  CHECK(m.operands[1]->int_value == 1);
  CHECK(m.operands[2]->text == "b");
  CHECK(m.operands[3]->kind == ExprKind::Binary);
}

TEST_CASE("record literals: the type's name, spreads of any expression and fields") {
  auto p = parse("const A = shop.Address { ...o.ship_to, city: \"Utrecht\" street: upper(\"x\") }");
  const ast::Expr& a = only_const(*p);
  REQUIRE(a.kind == ExprKind::Record);
  CHECK(a.type_name.text() == "shop.Address");
  REQUIRE(a.inits.size() == 3);
  REQUIRE(a.operands.size() == 3);
  CHECK(a.inits[0].is_spread);
  CHECK(a.operands[0]->kind == ExprKind::Field);
  CHECK(text_of(*p, a.operands[0]->range) == "o.ship_to");
  CHECK(a.inits[1].name == "city");
  CHECK(text_of(*p, a.inits[1].name_range) == "city");
  CHECK(a.inits[2].name == "street");
  CHECK(a.operands[2]->kind == ExprKind::Call);
  auto q = parse("const E = Empty {}");
  const ast::Expr& e = only_const(*q);
  CHECK(e.kind == ExprKind::Record);
  CHECK(e.inits.empty());
  // A record literal nests, and a field of one is a path.
  auto r = parse("const N = Outer { inner: Inner { x: 1 } }.inner.x");
  const ast::Expr& n = only_const(*r);
  REQUIRE(n.kind == ExprKind::Field);
  CHECK(n.operands[0]->operands[0]->kind == ExprKind::Record);
}

TEST_CASE("a lambda's body extends as far as an expression does") {
  auto p = parse("const L = any(xs, x => x > 1 or x < -1, y)");
  const ast::Expr& call = only_const(*p);
  REQUIRE(call.kind == ExprKind::Call);
  REQUIRE(call.operands.size() == 4);
  const ast::Expr& lambda = *call.operands[2];
  REQUIRE(lambda.kind == ExprKind::Lambda);
  REQUIRE(lambda.params.size() == 1);
  CHECK(lambda.params[0].name == "x");
  CHECK(text_of(*p, lambda.params[0].range) == "x");
  const ast::Expr& body = *lambda.operands[0];
  CHECK(body.kind == ExprKind::Binary);
  CHECK(body.binary_op == ast::BinaryOp::Or);  // `=>` binds looser than every operator
  CHECK(text_of(*p, lambda.range) == "x => x > 1 or x < -1");
  CHECK(call.operands[3]->kind == ExprKind::Name);  // the `,` ends the lambda

  auto q = parse("const L = f(x => if x then 1 else 2)");
  CHECK(only_const(*q).operands[1]->operands[0]->kind == ExprKind::If);
  auto r = parse("const L = f((a, b) => a, () => 1, (c) => c)");
  const ast::Expr& several = only_const(*r);
  CHECK(several.operands[1]->params.size() == 2);
  CHECK(several.operands[2]->params.empty());
  CHECK(several.operands[3]->params.size() == 1);
  // A lambda's body may hold lambdas of its own.
  auto s = parse("const L = any(xs, x => all(x.ys, y => y == x.k))");
  const ast::Expr& outer = *only_const(*s).operands[2];
  REQUIRE(outer.kind == ExprKind::Lambda);
  CHECK(outer.operands[0]->operands[2]->kind == ExprKind::Lambda);
}

TEST_CASE("a lambda is only a call argument") {
  auto p = parse("const L = x => x");
  CHECK(p->diags.has_errors());
  // In a decision arm, `when c => v` is the arm, not a lambda.
  auto q = parse("event E { a: bool }\ndecision D(e: E) -> int { when FLAG => 1 else => 2 }\n");
  REQUIRE(q->diags.diagnostics().empty());
  auto* d = ast::dyn_cast<ast::DecisionDecl>(q->module->decls[1].get());
  REQUIRE(d);
  REQUIRE(d->arms.size() == 1);
  CHECK(d->arms[0].condition->kind == ExprKind::Name);
  CHECK(d->arms[0].value->int_value == 1);
}

TEST_CASE("?. is a postfix operator like ., binding tighter than ?? and unary minus") {
  auto p = parse("const P = o.bill_to?.address.city ?? \"x\"");
  const ast::Expr& top = only_const(*p);
  REQUIRE(top.kind == ExprKind::Binary);
  CHECK(top.binary_op == ast::BinaryOp::Coalesce);
  const ast::Expr& city = *top.operands[0];
  CHECK(city.kind == ExprKind::Field);
  CHECK(city.text == "city");
  const ast::Expr& address = *city.operands[0];
  CHECK(address.kind == ExprKind::OptionalField);
  CHECK(address.text == "address");
  CHECK(text_of(*p, address.name_range) == "address");
  CHECK(address.operands[0]->kind == ExprKind::Field);
  CHECK(address.operands[0]->text == "bill_to");

  auto q = parse("const P = -o.a?.b");
  const ast::Expr& neg = only_const(*q);
  CHECK(neg.kind == ExprKind::Unary);
  CHECK(neg.operands[0]->kind == ExprKind::OptionalField);
  auto r = parse("const P = m[\"k\"]?.x");
  CHECK(only_const(*r).operands[0]->kind == ExprKind::Index);
  // `?` and `.` written apart are one mistake, reported once.
  auto s = parse("const P = o.a? .b");
  REQUIRE(s->diags.diagnostics().size() == 1);
  CHECK(s->diags.diagnostics()[0].kind == DiagKind::SyntaxError);
}

TEST_CASE("an optional field type still lexes before an inclusion") {
  auto p = parse("event A { x: int }\nevent B { coupon: string?...A }\n");
  REQUIRE(p->diags.diagnostics().empty());
  auto* b = ast::dyn_cast<ast::EventDecl>(p->module->decls[1].get());
  REQUIRE(b);
  REQUIRE(b->members.size() == 2);
  CHECK(b->members[0].field.type.optional);
  CHECK(b->members[1].is_include);
}

TEST_CASE("record, map and decimal are words only where they mean something") {
  // `map` and `decimal` are type names and functions, not keywords.
  auto p = parse("const map = 1");
  CHECK(p->diags.diagnostics().empty());
  // `record` is a keyword.
  auto q = parse("const record = 1");
  CHECK(q->diags.has_errors());
}
