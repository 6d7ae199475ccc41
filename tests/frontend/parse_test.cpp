// Parser and AST builder: structure, ranges, doc comments, literals.
#include <catch2/catch.hpp>

#include "check/program.h"
#include "parse/parser.h"

using namespace flow;

namespace {
std::unique_ptr<ast::Module> parse(const std::string& text, DiagnosticEngine& diags, SourceManager& sources) {
  const SourceFile* file = sources.add("test.flow", text);
  return parse_module(*file, diags);
}
}  // namespace

TEST_CASE("a module with every kind of declaration parses") {
  SourceManager sources;
  DiagnosticEngine diags;
  auto module = parse(R"(module shop.orders
import std.runtime
enum Channel { Web, Store; Phone }
/// A placed order.
/// Second doc line.
event OrderPlaced { key order_id: string, amount: float = 1.5 tags: list<string> = [] coupon: string? }
event OrderApproved { ...OrderPlaced, approved_by: string }
const LIMIT = 1_000
rule Big(o: OrderPlaced) = o.amount > 10.0 and not (o.coupon == none)
decision Risk(o: OrderPlaced) -> string { when Big(o) => "high" else => "low" }
service S { consumes o: OrderPlaced publishes OrderApproved emit OrderApproved { ...o, approved_by: "x" } when Big(o) }
service X { consumes OrderApproved exec "python3 x.py" timeout 30s retry 3 backoff 200ms concurrency 2 }
flow F { start OrderPlaced end OrderApproved on OrderPlaced when Big -> S on OrderApproved -> X }
)",
                      diags, sources);
  REQUIRE(diags.diagnostics().empty());
  CHECK(module->name == "shop.orders");
  REQUIRE(module->imports.size() == 1);
  CHECK(module->imports[0].path.text() == "std.runtime");
  REQUIRE(module->decls.size() == 9);
  auto* channel = ast::dyn_cast<ast::EnumDecl>(module->decls[0].get());
  REQUIRE(channel);
  CHECK(channel->members.size() == 3);
  auto* placed = ast::dyn_cast<ast::EventDecl>(module->decls[1].get());
  REQUIRE(placed);
  CHECK(placed->doc == "A placed order.\nSecond doc line.");
  REQUIRE(placed->members.size() == 4);
  CHECK(placed->members[0].field.is_key);
  CHECK(placed->members[2].field.type.name.text() == "list");
  CHECK(placed->members[3].field.type.optional);
  auto* limit = ast::dyn_cast<ast::ConstDecl>(module->decls[3].get());
  REQUIRE(limit);
  CHECK(limit->value->int_value == 1000);
  auto* x = ast::dyn_cast<ast::ServiceDecl>(module->decls[7].get());
  REQUIRE(x);
  CHECK(x->impl == ast::ServiceImpl::Exec);
  CHECK(x->exec_command == "python3 x.py");
  CHECK(x->timeout_us == 30'000'000);
  CHECK(x->retry == 3);
  CHECK(x->backoff_us == 200'000);
  CHECK(x->concurrency == 2);
  auto* flow = ast::dyn_cast<ast::FlowDecl>(module->decls[8].get());
  REQUIRE(flow);
  REQUIRE(flow->subscriptions.size() == 2);
  CHECK(flow->subscriptions[0].condition);
  CHECK_FALSE(flow->subscriptions[1].condition);
}

TEST_CASE("ranges point at the source bytes") {
  SourceManager sources;
  DiagnosticEngine diags;
  std::string text = "event E { key id: string }\nrule R(e: E) = e.id == \"x\"\n";
  auto module = parse(text, diags, sources);
  REQUIRE(diags.diagnostics().empty());
  auto* rule = ast::dyn_cast<ast::RuleDecl>(module->decls[1].get());
  REQUIRE(rule);
  auto r = rule->body->range;
  CHECK(text.substr(r.begin, r.end - r.begin) == "e.id == \"x\"");
  CHECK(text.substr(rule->name_range.begin, rule->name_range.end - rule->name_range.begin) == "R");
}

TEST_CASE("precedence follows the reference") {
  SourceManager sources;
  DiagnosticEngine diags;
  auto module = parse("event E { a: int }\nrule R(e: E) = e.a + 1 * 2 > 3 or not e.a in [1] and true\n", diags, sources);
  REQUIRE(diags.diagnostics().empty());
  auto* rule = ast::dyn_cast<ast::RuleDecl>(module->decls[1].get());
  const ast::Expr& top = *rule->body;
  REQUIRE(top.kind == ast::ExprKind::Binary);
  CHECK(top.binary_op == ast::BinaryOp::Or);
  const ast::Expr& left = *top.operands[0];
  CHECK(left.binary_op == ast::BinaryOp::Gt);
  CHECK(left.operands[0]->binary_op == ast::BinaryOp::Add);
  CHECK(left.operands[0]->operands[1]->binary_op == ast::BinaryOp::Mul);
  const ast::Expr& right = *top.operands[1];
  CHECK(right.binary_op == ast::BinaryOp::And);
  CHECK(right.operands[0]->kind == ast::ExprKind::Unary);
}

TEST_CASE("literals: escapes, durations, timestamps, int limits") {
  SourceManager sources;
  DiagnosticEngine diags;
  auto module = parse(
      "const S = \"a\\\"b\\\\c\\n\\u{1F600}\"\nconst D = 15m\nconst T = @2026-01-31T12:00:00Z\nconst M = -9223372036854775808\n",
      diags, sources);
  REQUIRE(diags.diagnostics().empty());
  CHECK(ast::dyn_cast<ast::ConstDecl>(module->decls[0].get())->value->text == "a\"b\\c\n\xF0\x9F\x98\x80");
  CHECK(ast::dyn_cast<ast::ConstDecl>(module->decls[1].get())->value->int_value == 15LL * 60 * 1000000);
  CHECK(ast::dyn_cast<ast::ConstDecl>(module->decls[2].get())->value->int_value == 1769860800LL * 1000000);
  CHECK(ast::dyn_cast<ast::ConstDecl>(module->decls[3].get())->value->int_value == INT64_MIN);
}
