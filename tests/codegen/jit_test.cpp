// The JIT's own behaviour beyond agreeing with the interpreter (which every
// test built on dual_fixture.h checks): the native ABI and the condition
// fast path, error reporting, evaluation order, inlining of rule calls,
// delegation to the interpreter, and refusing malformed IR.
#include <catch2/catch.hpp>

#include <cstring>

#include "backend_compare.h"
#include "codegen/llvm_codegen.h"
#include "dual_fixture.h"
#include "host_module.h"
#include "rt_abi/arena.h"
#include "shop_program.h"

using namespace flow;
using namespace flow::testing;
using eval::EvalErrorKind;

namespace {

const ast::FlowDecl* shop_flow(const Compiled& c) {
  return ast::dyn_cast<ast::FlowDecl>(c.decl("OrderToCash"));
}

}  // namespace

TEST_CASE("the left operand's error wins on both back ends") {
  // Regression: the interpreter once evaluated binary operands right to left.
  CHECK(error_of("e.li[5] + 1 / 0", "int") == EvalErrorKind::IndexOutOfRange);
  CHECK(error_of("1 / 0 + e.li[5]", "int") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("e.li[5] == 1 / 0", "bool") == EvalErrorKind::IndexOutOfRange);
  CHECK(error_of("e.li[5] < 1 / 0", "bool") == EvalErrorKind::IndexOutOfRange);
  CHECK(error_of("min(e.li[5], 1 / 0)", "int") == EvalErrorKind::IndexOutOfRange);
  CHECK(error_of("e.lf[5] * (1.0 / 0.0)", "float") == EvalErrorKind::IndexOutOfRange);
  CHECK(error_of("[e.li[5], 1 / 0]", "list<int>") == EvalErrorKind::IndexOutOfRange);
  CHECK(error_of("(1 / 0) in [e.li[5]]", "bool") == EvalErrorKind::IndexOutOfRange);  // the list first
}

TEST_CASE("an error in a called decision names the callee, as the interpreter does") {
  auto c = compile_expr("Inner(e) + 1", "int", "decision Inner(e: E) -> int { else => e.li[e.i] }\n");
  auto r = c->run(c->rule("D"), test_event(*c));  // both back ends, compared exactly
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == EvalErrorKind::IndexOutOfRange);
  CHECK(r.error().message == "list index 7 out of range for a list of 3");
  CHECK(r.error().function == "decision t.Inner[E]");
  auto jitted = jit_of(*c).run(c->rule("D"), test_event(*c), {});
  CHECK(describe(jitted) == describe(r));
}

TEST_CASE("conditions evaluate on the fast path with a reusable context") {
  auto c = compile(kShopProgram);
  const auto& jit = jit_of(*c);
  const ir::Function* review = c->index().condition(shop_flow(*c), 0);
  const ir::Function* approve = c->index().condition(shop_flow(*c), 1);
  REQUIRE(review);
  REQUIRE(approve);
  Arena arena;
  FlowRtContext ctx = jit.context(0, arena.get());
  for (auto [amount, country, needs_review] : {std::tuple{50.0, "NL", false}, std::tuple{5000.0, "US", true},
                                               std::tuple{5000.0, "BE", false}, std::tuple{20000.0, "DE", true}}) {
    auto b = c->builder("OrderPlaced");
    fill_order(b, amount, country);
    bool fired = false;
    REQUIRE(jit.test(static_cast<int>(review->id), b.instance(), ctx, fired) == FLOW_RT_OK);
    CHECK(fired == needs_review);
    REQUIRE(jit.test(static_cast<int>(approve->id), b.instance(), ctx, fired) == FLOW_RT_OK);
    CHECK(fired == !needs_review);
  }
  // A failing condition: the status, then the interpreter's error from the context.
  const ir::Function* broken = c->index().condition(shop_flow(*c), 2);
  REQUIRE(broken);
  auto b = c->builder("ReviewRequested");
  fill_order(b, 10.0, "NL");
  b.set_string(b.field("risk"), "low");
  bool fired = true;
  int32_t status = jit.test(static_cast<int>(broken->id), b.instance(), ctx, fired);
  CHECK(status == FLOW_RT_DIVISION_BY_ZERO);
  eval::EvalError error = jit.error(status, ctx);
  CHECK(error.kind == EvalErrorKind::DivisionByZero);
  CHECK(error.message == "division by zero in 'idiv'");
  CHECK(error.function == "rule shop.orders.Broken[ReviewRequested]");
  eval::EvalResult interpreted = c->interpreter->run(*broken, b.instance(), {});
  REQUIRE_FALSE(interpreted.ok());
  CHECK(describe(interpreted) == describe(eval::EvalResult::failure(error)));
}

TEST_CASE("native entry points write the documented result slots") {
  auto c = compile(kShopProgram);
  const auto& jit = jit_of(*c);
  auto b = c->builder("OrderPlaced");
  fill_order(b, 20000.0, "nl");
  b.set_string(b.field("coupon"), "SAVE10");
  Arena arena;
  FlowRtContext ctx = jit.context(0, arena.get());
  alignas(8) uint8_t slot[32] = {};

  // string: a FlowStr
  REQUIRE(jit.entry(static_cast<int>(c->rule("Risk").id))(b.instance(), &ctx, slot) == FLOW_RT_OK);
  FlowStr risk;
  std::memcpy(&risk, slot, sizeof risk);
  CHECK(std::string(risk.data, risk.size) == "high");

  // int?: presence byte at 0, the int64 at 8
  const ir::Function& discount = c->rule("Discount");
  CHECK(codegen::result_slot(discount.result).size == 16);
  REQUIRE(jit.entry(static_cast<int>(discount.id))(b.instance(), &ctx, slot) == FLOW_RT_OK);
  CHECK(slot[0] == 1);
  int64_t percent = 0;
  std::memcpy(&percent, slot + 8, sizeof percent);
  CHECK(percent == 10);

  // list<string>: a FlowList of FlowStr slots, made in the context's arena
  uint64_t before = arena.used();
  REQUIRE(jit.entry(static_cast<int>(c->rule("Labels").id))(b.instance(), &ctx, slot) == FLOW_RT_OK);
  FlowList labels;
  std::memcpy(&labels, slot, sizeof labels);
  REQUIRE(labels.count == 2);
  FlowStr second;
  std::memcpy(&second, static_cast<const uint8_t*>(labels.data) + sizeof(FlowStr), sizeof second);
  CHECK(std::string(second.data, second.size) == "NL");
  CHECK(arena.used() > before);

  // bool: one byte
  std::memset(slot, 0xAA, sizeof slot);
  REQUIRE(jit.entry(static_cast<int>(c->rule("HighValue").id))(b.instance(), &ctx, slot) == FLOW_RT_OK);
  CHECK(slot[0] == 1);

  // a constant takes no event
  const ir::Function* limit = c->index().constant(ast::dyn_cast<ast::ConstDecl>(c->decl("REVIEW_LIMIT")));
  REQUIRE(limit);
  REQUIRE(jit.entry(static_cast<int>(limit->id))(nullptr, &ctx, slot) == FLOW_RT_OK);
  double value = 0;
  std::memcpy(&value, slot, sizeof value);
  CHECK(value == 1000.0);
}

TEST_CASE("rules on included events and emit initialisers run natively too") {
  ir::LowerOptions options;
  options.all_specialisations = true;
  auto c = compile(kShopProgram, options);
  auto b = c->builder("ReviewRequested");
  fill_order(b, 5000.0, "US");
  b.set_string(b.field("risk"), "x");
  CHECK(c->run(c->rule("NeedsReview", "ReviewRequested"), b.instance()).value() == B(true));
  CHECK(c->run(c->rule("Risk", "ReviewRequested"), b.instance()).value() == S("medium"));
  const ir::EmitPlan* plan =
      c->index().emit(ast::dyn_cast<ast::ServiceDecl>(c->decl("AutoApprove")), 0, c->event("OrderPlaced"));
  REQUIRE(plan);
  auto order = c->builder("OrderPlaced");
  fill_order(order, 10.0, "NL");
  for (const auto& source : plan->fields) {
    if (source.kind == ir::EmitPlan::Source::Absent) continue;
    c->run(c->module().function(source.function),
           source.kind == ir::EmitPlan::Source::Init ? order.instance() : nullptr);  // compared inside
  }
}

TEST_CASE("traces record every rule and decision call, as the interpreter's do") {
  auto c = compile(kShopProgram);
  const auto& jit = jit_of(*c);
  const ir::Function* review = c->index().condition(shop_flow(*c), 0);
  const ir::Function* broken = c->index().condition(shop_flow(*c), 2);
  REQUIRE(review);
  REQUIRE(broken);
  auto order = c->builder("OrderPlaced");
  fill_order(order, 5000.0, "US");
  auto request = c->builder("ReviewRequested");
  fill_order(request, 5000.0, "US");
  request.set_string(request.field("risk"), "x");
  struct Case {
    const ir::Function* fn;
    const uint8_t* event;
    size_t entries;
  };
  for (const Case& k :
       {Case{review, order.instance(), 3},            // HighValue, Domestic, NeedsReview
        Case{&c->rule("Risk"), order.instance(), 3},  // HighValue, Domestic, Risk
        Case{&c->rule("NeedsReview"), order.instance(), 3}, Case{broken, request.instance(), 1}}) {  // Broken, failed
    INFO(k.fn->name);
    std::vector<eval::TraceEntry> interpreted, jitted;
    eval::EvalContext context;
    context.trace = &interpreted;
    auto a = c->interpreter->run(*k.fn, k.event, context);
    context.trace = &jitted;
    auto b = jit.run(*k.fn, k.event, context);
    CHECK(same_result(a, b));
    REQUIRE(jitted.size() == k.entries);
    REQUIRE(interpreted.size() == jitted.size());
    for (size_t i = 0; i < jitted.size(); ++i) {
      CHECK(jitted[i].function == interpreted[i].function);
      CHECK(jitted[i].ok == interpreted[i].ok);
      CHECK(same_value(jitted[i].value, interpreted[i].value));
    }
  }
  // Without a trace the hook is off: the fast path never calls it.
  Arena arena;
  FlowRtContext ctx = jit.context(0, arena.get());
  CHECK(ctx.trace == nullptr);
}

TEST_CASE("a call without the event the function needs is left to the interpreter") {
  auto c = compile(kShopProgram);
  const auto& jit = jit_of(*c);
  // The same internal error as the interpreter's, never a crash.
  auto interpreted = c->interpreter->run(c->rule("HighValue"), nullptr, {});
  auto jitted = jit.run(c->rule("HighValue"), nullptr, {});
  REQUIRE_FALSE(jitted.ok());
  CHECK(jitted.error().kind == EvalErrorKind::Internal);
  CHECK(same_result(interpreted, jitted));
}

TEST_CASE("nested lists convert to lists of optionals element by element") {
  auto c = compile(R"(module t
event N { lli: list<list<int>>, ls: list<string> }
decision Wide(n: N) -> list<list<int?>> { else => n.lli }
decision Pick(n: N) -> int? { else => Wide(n)[1][0] }
rule Same(n: N) = Wide(n) == [[1, 2], [3]]
rule Strings(n: N) = n.ls == ["", "\u{e9}"] and "\u{e9}" in n.ls and upper(n.ls[1]) == "\u{c9}"
)");
  auto b = c->builder("N");
  const auto& fields = c->event("N")->fields;
  const Type* lli = fields[0].type;
  const Type* ls = fields[1].type;
  Arena& arena = b.arena();
  layout::ListBuilder outer(lli, 2, arena);
  outer.set_list(0, layout::ListBuilder(lli->element, 2, arena).set_int(0, 1).set_int(1, 2).finish());
  outer.set_list(1, layout::ListBuilder(lli->element, 1, arena).set_int(0, 3).finish());
  b.set_list(0, outer.finish());
  b.set_list(1, layout::ListBuilder(ls, 2, arena).set_string(0, "").set_string(1, "\xC3\xA9").finish());
  CHECK(c->run(c->rule("Wide"), b.instance()).value() == L({L({I(1), I(2)}), L({I(3)})}));
  CHECK(c->run(c->rule("Pick"), b.instance()).value() == I(3));
  CHECK(c->run(c->rule("Same"), b.instance()).value() == B(true));
  CHECK(c->run(c->rule("Strings"), b.instance()).value() == B(true));
}

TEST_CASE("a list literal with none holds optionals, on both back ends") {
  auto c = compile(R"(module t
event N { a: int, m: int? }
decision Opts(n: N) -> list<int?> { else => [n.a, none, 3] }
decision Leading(n: N) -> list<int?> { else => [none, n.m] }
decision Widened(n: N) -> list<float?> { else => [none, 2.5, n.a] }
rule Three(n: N) = len([n.m, none, 1]) == 3
rule Mixed(n: N) = (Opts(n)[0] ?? 0) + (Opts(n)[2] ?? 0) == n.a + 3
)");
  auto b = c->builder("N");
  b.set_int(0, 7);
  b.set_none(1);
  CHECK(c->run(c->rule("Opts"), b.instance()).value() == L({I(7), None(), I(3)}));
  CHECK(c->run(c->rule("Leading"), b.instance()).value() == L({None(), None()}));
  CHECK(c->run(c->rule("Widened"), b.instance()).value() == L({None(), F(2.5), F(7.0)}));
  CHECK(c->run(c->rule("Three"), b.instance()).value() == B(true));
  CHECK(c->run(c->rule("Mixed"), b.instance()).value() == B(true));
}

TEST_CASE("a rule that calls rules is inlined by the O2 pipeline") {
  auto c = compile(kShopProgram);
  auto host = host_module(c->module());
  auto calls_to_rules = [&](const ir::Function& fn) {
    int calls = 0;
    for (const std::string& name : host->callees(fn)) calls += name.rfind("flow_fn_", 0) == 0 ? 1 : 0;
    return calls;
  };
  const ir::Function& needs_review = c->rule("NeedsReview");
  CHECK(calls_to_rules(needs_review) == 2);  // HighValue, Domestic
  host->optimise(2);
  CHECK(calls_to_rules(needs_review) == 0);
  CHECK(calls_to_rules(c->rule("Risk")) == 0);
}

TEST_CASE("malformed IR is refused with a CodegenError, not a crash") {
  auto c = compile_expr("e.i + 1", "int");
  // A field read whose offset does not match the layout.
  ir::Node* node = c->lowered.module->functions.back()->body.get();
  REQUIRE(node->op == ir::Op::IAdd);
  ir::Node* load = node->operands[0].get();
  REQUIRE(load->op == ir::Op::LoadField);
  load->offset += 1;
  CHECK_THROWS_AS(codegen::CompiledProgram::compile(c->module(), test_jit_options()), codegen::CodegenError);
  load->offset -= 1;
  // A local read outside any let.
  auto local = std::make_unique<ir::Node>(ir::Op::Local, node->type);
  local->index = 0;
  node->operands[1] = std::move(local);
  CHECK_THROWS_AS(codegen::CompiledProgram::compile(c->module(), test_jit_options()), codegen::CodegenError);
}
