// Checking structured data (language.md §4.1): what the checker publishes
// for the back end — RecordInfo, the new type kinds, each expression's type,
// lambda parameters and their binders, record literals' fields — and what
// the AST and checked dumps (`flowc build --emit ast|checked`) show of it.
// The diagnostics themselves are golden cases (tests/diagnostics).
#include <catch2/catch.hpp>
#include <functional>

#include "ast/ast_printer.h"
#include "check/checked_printer.h"
#include "check/program.h"

using namespace flow;
using ast::ExprKind;

namespace {

const char* kProgram = R"(module shop
record Address  { street: string, city: string, zip: string? }
record Money    { amount: decimal, currency: string = "EUR" }
record LineItem { sku: string, qty: int, price: decimal, tags: list<string> = [] }
record Gift     { ...LineItem, message: string }
event OrderPlaced {
  key order_id: string
  ship_to: Address
  bill_to: Address?
  items: list<LineItem>
  labels: map<string, string> = {}
  total: decimal
}
const HOME = Address { street: "Main 1", city: "Utrecht", zip: none }
rule City(o: OrderPlaced)     = o.bill_to?.city == "Utrecht"
rule Label(o: OrderPlaced)    = o.labels["prio"] == "high"
rule Total(o: OrderPlaced)    = sum(o.items, i => i.price * i.qty) == o.total
rule Count(o: OrderPlaced)    = count(o.items, i => any(i.tags, t => t == i.sku)) > 0
rule Least(o: OrderPlaced)    = (min_of(o.items, i => i.price) ?? 0) < 1 + 2.5d
rule Skus(o: OrderPlaced)     = len(map(filter(o.items, i => i.qty > 1), i => i.sku)) > len(keys(o.labels))
rule Round(o: OrderPlaced)    = round(o.total, 2) > 0 and round(o.total) > 0
rule Moved(o: OrderPlaced)    = Address { ...o.ship_to, city: "Delft" } == HOME
)";

struct Checked {
  DiagnosticEngine diags;
  std::unique_ptr<Program> program;
};

std::unique_ptr<Checked> check(const std::string& text) {
  auto c = std::make_unique<Checked>();
  c->program = compile_sources({{"shop.flow", text}}, CompileOptions{}, c->diags);
  return c;
}

const ast::RuleDecl& rule(const Program& program, const std::string& name) {
  auto* r = ast::dyn_cast<ast::RuleDecl>(program.find(name));
  REQUIRE(r);
  return *r;
}

/// The first expression (pre-order) in `root` that `match` accepts.
const ast::Expr* find(const ast::Expr& root, const std::function<bool(const ast::Expr&)>& match) {
  if (match(root)) return &root;
  for (const auto& operand : root.operands) {
    if (const ast::Expr* found = find(*operand, match)) return found;
  }
  return nullptr;
}

const ast::Expr& call_of(const ast::RuleDecl& r, const std::string& function) {
  const ast::Expr* call = find(*r.body, [&](const ast::Expr& e) {
    return e.kind == ExprKind::Call && e.operands[0]->kind == ExprKind::Name && e.operands[0]->text == function;
  });
  REQUIRE(call);
  return *call;
}

}  // namespace

TEST_CASE("records are published as RecordInfo, with inclusion expanded") {
  auto c = check(kProgram);
  INFO(c->diags.diagnostics().size());
  REQUIRE_FALSE(c->diags.has_errors());
  REQUIRE(c->program->ok);
  auto* gift = ast::dyn_cast<ast::RecordDecl>(c->program->find("Gift"));
  REQUIRE(gift);
  const RecordInfo& info = gift->info;
  CHECK(info.name == "Gift");
  CHECK(info.qualified_name == "shop.Gift");
  REQUIRE(info.fields.size() == 5);
  CHECK(info.fields[0].name == "sku");
  CHECK(info.fields[2].type->kind == TypeKind::Decimal);
  CHECK(info.fields[3].has_default);
  CHECK(info.fields[4].name == "message");
  CHECK(info.field_index("message") == 4);
  REQUIRE(info.includes.size() == 1);
  CHECK(info.includes[0]->name == "LineItem");

  auto* order = ast::dyn_cast<ast::EventDecl>(c->program->find("OrderPlaced"));
  REQUIRE(order);
  const EventInfo& event = order->info;
  const Type* ship_to = event.fields[static_cast<size_t>(event.field_index("ship_to"))].type;
  CHECK(ship_to->kind == TypeKind::Record);
  CHECK(ship_to->record_info->name == "Address");
  CHECK(ship_to == c->program->types.record(ship_to->record_info));  // interned
  const Type* bill_to = event.fields[static_cast<size_t>(event.field_index("bill_to"))].type;
  CHECK(bill_to->is_optional());
  CHECK(bill_to->element == ship_to);
  const Type* items = event.fields[static_cast<size_t>(event.field_index("items"))].type;
  CHECK(items->kind == TypeKind::List);
  CHECK(items->element->kind == TypeKind::Record);
  const Type* labels = event.fields[static_cast<size_t>(event.field_index("labels"))].type;
  CHECK(labels->kind == TypeKind::Map);
  CHECK(labels->element->kind == TypeKind::String);
  CHECK(labels->to_string() == "map<string, string>");
  CHECK(event.fields[static_cast<size_t>(event.field_index("labels"))].has_default);
}

TEST_CASE("paths, indexing and the list functions have the types of language.md 4.1") {
  auto c = check(kProgram);
  REQUIRE(c->program->ok);
  const Program& p = *c->program;

  const ast::Expr* city =
      find(*rule(p, "City").body, [](const ast::Expr& e) { return e.kind == ExprKind::OptionalField; });
  REQUIRE(city);
  CHECK(city->type->to_string() == "string?");
  CHECK(city->ref_index == 1);  // Address.city

  const ast::Expr* label = find(*rule(p, "Label").body, [](const ast::Expr& e) { return e.kind == ExprKind::Index; });
  REQUIRE(label);
  CHECK(label->type->to_string() == "string?");

  const ast::Expr& sum = call_of(rule(p, "Total"), "sum");
  CHECK(sum.type->kind == TypeKind::Decimal);
  CHECK(sum.operands[0]->ref == ast::RefKind::Builtin);
  CHECK(sum.operands[0]->builtin == ast::Builtin::Sum);
  const ast::Expr& lambda = *sum.operands[2];
  REQUIRE(lambda.kind == ExprKind::Lambda);
  CHECK(lambda.params[0].type->to_string() == "LineItem");
  CHECK(lambda.type->kind == TypeKind::Decimal);  // the body's type
  // decimal * int is decimal
  CHECK(lambda.operands[0]->type->kind == TypeKind::Decimal);

  CHECK(call_of(rule(p, "Count"), "count").type->kind == TypeKind::Int);
  CHECK(call_of(rule(p, "Least"), "min_of").type->to_string() == "decimal?");
  CHECK(call_of(rule(p, "Skus"), "filter").type->to_string() == "list<LineItem>");
  CHECK(call_of(rule(p, "Skus"), "map").type->to_string() == "list<string>");
  CHECK(call_of(rule(p, "Skus"), "keys").type->to_string() == "list<string>");
  const ast::Expr* sum_literal = find(*rule(p, "Least").body, [](const ast::Expr& e) {
    return e.kind == ExprKind::Binary && e.binary_op == ast::BinaryOp::Add;
  });
  REQUIRE(sum_literal);
  CHECK(sum_literal->type->kind == TypeKind::Decimal);  // int + decimal

  const ast::Expr& round_places = call_of(rule(p, "Round"), "round");
  CHECK(round_places.type->kind == TypeKind::Decimal);
  CHECK(round_places.operands[0]->builtin == ast::Builtin::RoundPlaces);
  const ast::Expr* round_int = find(*rule(p, "Round").body, [&](const ast::Expr& e) {
    return e.kind == ExprKind::Call && &e != &round_places && e.operands[0]->text == "round";
  });
  REQUIRE(round_int);
  CHECK(round_int->type->kind == TypeKind::Int);
  CHECK(round_int->operands[0]->builtin == ast::Builtin::Round);
}

TEST_CASE("a lambda's parameter names its binder, in nested lambdas too") {
  auto c = check(kProgram);
  REQUIRE(c->program->ok);
  const ast::Expr& count = call_of(rule(*c->program, "Count"), "count");
  const ast::Expr& outer = *count.operands[2];
  const ast::Expr& any = *outer.operands[0];
  const ast::Expr& inner = *any.operands[2];
  REQUIRE(inner.kind == ExprKind::Lambda);
  CHECK(inner.params[0].type->kind == TypeKind::String);
  // t == i.sku: `t` is the inner lambda's, `i` the outer's.
  const ast::Expr& compare = *inner.operands[0];
  const ast::Expr& t = *compare.operands[0];
  CHECK(t.ref == ast::RefKind::LambdaParam);
  CHECK(t.binder == &inner);
  CHECK(t.ref_index == 0);
  const ast::Expr& i = *compare.operands[1]->operands[0];
  CHECK(i.ref == ast::RefKind::LambdaParam);
  CHECK(i.binder == &outer);
  CHECK(i.type->to_string() == "LineItem");
}

TEST_CASE("a record literal records the field each initialiser sets") {
  auto c = check(kProgram);
  REQUIRE(c->program->ok);
  const ast::Expr* literal =
      find(*rule(*c->program, "Moved").body, [](const ast::Expr& e) { return e.kind == ExprKind::Record; });
  REQUIRE(literal);
  CHECK(literal->type->to_string() == "Address");
  CHECK(literal->type_name.resolved == c->program->find("Address"));
  REQUIRE(literal->init_fields.size() == 2);
  CHECK(literal->init_fields[0] == -1);  // the spread
  CHECK(literal->init_fields[1] == 1);   // city
}

TEST_CASE("empty literals fit any list or map; records are nominal") {
  TypeContext types;
  RecordInfo a, b;
  a.name = "A";
  b.name = "B";
  CHECK(is_assignable(types.map(types.never()), types.map(types.integer())));
  CHECK_FALSE(is_assignable(types.map(types.string()), types.map(types.integer())));
  CHECK(is_assignable(types.record(&a), types.record(&a)));
  CHECK_FALSE(is_assignable(types.record(&a), types.record(&b)));
  CHECK(is_assignable(types.none(), types.optional(types.record(&a))));
  CHECK(types.builtin_named("decimal") == types.decimal());
  CHECK(types.decimal()->to_string() == "decimal");
}

TEST_CASE("the AST and checked dumps show records, lambdas, paths and literals") {
  auto c = check(kProgram);
  REQUIRE(c->program->ok);
  std::string syntax = ast::print_module_syntax(*c->program->modules[0]);
  CHECK(syntax.find("  record Gift\n    ...LineItem\n    message: string\n") != std::string::npos);
  CHECK(syntax.find("labels: map<string, string> = (map)") != std::string::npos);
  CHECK(syntax.find("(field? city (field bill_to (name o)))") != std::string::npos);
  CHECK(syntax.find("(lambda i (* (field price (name i)) (field qty (name i))))") != std::string::npos);
  CHECK(syntax.find("(record Address (... (field ship_to (name o))) (init city (string \"Delft\")))") !=
        std::string::npos);
  std::string checked = print_checked_program(*c->program);
  CHECK(checked.find("  record shop.Gift\n    includes shop.LineItem\n    #0 sku: string (from shop.LineItem)") !=
        std::string::npos);
  CHECK(checked.find("(field?:string? city (field:Address? bill_to (param:OrderPlaced o)))") != std::string::npos);
  CHECK(checked.find("(lambda:decimal i:LineItem") != std::string::npos);
  CHECK(checked.find("(lambda-param:LineItem i)") != std::string::npos);
  CHECK(checked.find("(index:string?\n") != std::string::npos);  // too long for one line
  CHECK(checked.find("(field:map<string, string> labels (param:OrderPlaced o))") != std::string::npos);
}
