// End to end: the example of language.md §1 compiled, lowered and evaluated
// — rules (also applied to including events), decisions, flow conditions,
// emit plans with their initialisers, defaults and guards, and traces.
#include <catch2/catch.hpp>

#include "../support/order_filler.h"
#include "../support/shop_source.h"
#include "base/time_format.h"
#include "eval_fixture.h"
#include "ir/ir_printer.h"

using namespace flow;
using namespace flow::testing;

namespace {

const ast::FlowDecl* flow_decl(const Compiled& c) {
  return ast::dyn_cast<ast::FlowDecl>(c.decl("OrderToCash"));
}
const ast::ServiceDecl* service(const Compiled& c, const std::string& name) {
  return ast::dyn_cast<ast::ServiceDecl>(c.decl(name));
}

}  // namespace

TEST_CASE("rules and decisions of the language.md example") {
  auto c = compile(kOrderToCashSource);
  struct Case {
    double amount;
    const char* country;
    bool high, domestic, review;
    const char* risk;
  };
  for (const Case& k :
       {Case{50.0, "NL", false, true, false, "low"}, Case{5000.0, "NL", true, true, false, "low"},
        Case{5000.0, "US", true, false, true, "medium"}, Case{20000.0, "BE", true, true, false, "high"}}) {
    INFO(k.amount << " " << k.country);
    auto b = c->builder("OrderPlaced");
    fill_order(b, k.amount, k.country);
    CHECK(c->run(c->rule("HighValue"), b.instance()).value() == B(k.high));
    CHECK(c->run(c->rule("Domestic"), b.instance()).value() == B(k.domestic));
    CHECK(c->run(c->rule("NeedsReview"), b.instance()).value() == B(k.review));
    CHECK(c->run(c->rule("Risk"), b.instance()).value() == S(k.risk));
  }
}

TEST_CASE("flow conditions decide the subscriptions, with a trace of rule values") {
  auto c = compile(kOrderToCashSource);
  const auto* flow = flow_decl(*c);
  const ir::Function* review = c->index().condition(flow, 0);
  const ir::Function* approve = c->index().condition(flow, 1);
  REQUIRE(review);
  REQUIRE(approve);
  CHECK(c->index().condition(flow, 2) == nullptr);  // no `when`
  auto b = c->builder("OrderPlaced");
  fill_order(b, 5000.0, "US");
  std::vector<eval::TraceEntry> trace;
  eval::EvalContext context;
  context.trace = &trace;
  auto r = c->interpreter->run(*review, b.instance(), context);
  REQUIRE(r.ok());
  CHECK(r.value() == B(true));
  REQUIRE(trace.size() == 3);  // callees first: HighValue, Domestic, then NeedsReview
  CHECK(trace[0].function->name == "rule shop.orders.HighValue[OrderPlaced]");
  CHECK(trace[0].value == B(true));
  CHECK(trace[1].function->name == "rule shop.orders.Domestic[OrderPlaced]");
  CHECK(trace[1].value == B(false));
  CHECK(trace[2].function->name == "rule shop.orders.NeedsReview[OrderPlaced]");
  CHECK(c->run(*approve, b.instance()).value() == B(false));
}

TEST_CASE("a rule over OrderPlaced applied to an including event reads that event's layout") {
  ir::LowerOptions options;
  options.all_specialisations = true;
  auto c = compile(kOrderToCashSource, options);
  const auto* captured = c->event("PaymentCaptured");
  const auto& placed_layout = c->layout("OrderPlaced");
  const auto& captured_layout = c->layout("PaymentCaptured");
  // The same field may sit at a different offset in the including event.
  bool any_moved = false;
  for (const auto& f : placed_layout.fields) {
    any_moved |= captured_layout.fields[static_cast<size_t>(captured_layout.field_index(f.name))].offset != f.offset;
  }
  CHECK(any_moved);
  auto b = c->builder("PaymentCaptured");
  fill_order(b, 5000.0, "US");
  b.set_string(b.field("approved_by"), "auto").set_string(b.field("payment_id"), "p-1");
  const ir::Function* fn = c->index().rule(c->decl("NeedsReview"), captured);
  REQUIRE(fn);
  CHECK(fn->event == &captured->info);
  CHECK(c->run(*fn, b.instance()).value() == B(true));
  CHECK(c->run(c->rule("Risk", "PaymentCaptured"), b.instance()).value() == S("medium"));
}

TEST_CASE("emit plans: spread copies, explicit initialisers, defaults") {
  auto c = compile(kOrderToCashSource);
  const auto* placed = c->event("OrderPlaced");
  const ir::EmitPlan* plan = c->index().emit(service(*c, "RequestReview"), 0, placed);
  REQUIRE(plan);
  CHECK(plan->target == &c->event("ReviewRequested")->info);
  CHECK(plan->guard == -1);
  auto b = c->builder("OrderPlaced");
  fill_order(b, 20000.0, "US");
  b.set_string(b.field("coupon"), "SAVE10");
  // Build the output event from the plan, as the runtime does.
  auto out = c->builder("ReviewRequested");
  for (size_t i = 0; i < plan->fields.size(); ++i) {
    const auto& source = plan->fields[i];
    if (source.kind == ir::EmitPlan::Source::Absent) continue;
    auto r = c->run(c->module().function(source.function),
                    source.kind == ir::EmitPlan::Source::Init ? b.instance() : nullptr);
    REQUIRE(r.ok());
    eval::write_field(out, static_cast<int>(i), r.value());
  }
  CHECK(out.missing_fields().empty());
  const auto& l = out.layout();
  CHECK(eval::read_field(l, out.instance(), out.field("risk")) == S("high"));
  CHECK(eval::read_field(l, out.instance(), out.field("order_id")) == S("o-42"));
  CHECK(eval::read_field(l, out.instance(), out.field("amount")) == F(20000.0));
  CHECK(eval::read_field(l, out.instance(), out.field("coupon")) == S("SAVE10"));
  CHECK(eval::read_field(l, out.instance(), out.field("tags")) == L({S("vip")}));
  CHECK(eval::read_field(l, out.instance(), out.field("channel")) == eval::Value::enumeration(0));

  const ir::EmitPlan* approve = c->index().emit(service(*c, "AutoApprove"), 0, placed);
  REQUIRE(approve);
  int approved_by = c->event("OrderApproved")->field_index("approved_by");
  auto r = c->run(c->module().function(approve->fields[static_cast<size_t>(approved_by)].function), b.instance());
  CHECK(r.value() == S("auto"));
  // The default of `tags` is a function of its own.
  const ir::Function* tags_default = c->index().field_default(placed, placed->field_index("tags"));
  REQUIRE(tags_default);
  CHECK(c->run(*tags_default, nullptr).value() == L({}));
}

TEST_CASE("emit guards, defaults and absent optionals; emits per trigger event") {
  auto c = compile(R"(module m
event In { key id: string, n: int, note: string? }
event Big { ...In, level: int = 3, label: string? }
event Bigger { ...In, extra: int }
service Classify {
  consumes x: In
  publishes Big
  emit Big { ...x, label: "big" } when x.n > 10
  emit Big { id: x.id, n: 0 } when x.n <= 10
}
flow F {
  start In, Bigger
  end Big
  on In -> Classify
  on Bigger -> Classify
}
)");
  const auto* classify = service(*c, "Classify");
  const auto* bigger = c->event("Bigger");
  REQUIRE(c->index().emit(classify, 0, c->event("In")));
  const ir::EmitPlan* plan = c->index().emit(classify, 0, bigger);  // triggered by an including event
  REQUIRE(plan);
  REQUIRE(plan->guard >= 0);
  const ir::EmitPlan* small = c->index().emit(classify, 1, bigger);
  REQUIRE(small);
  auto b = c->builder("Bigger");
  b.set_string(b.field("id"), "k").set_int(b.field("n"), 11).set_int(b.field("extra"), 5).set_none(b.field("note"));
  CHECK(c->run(c->module().function(plan->guard), b.instance()).value() == B(true));
  CHECK(c->run(c->module().function(small->guard), b.instance()).value() == B(false));
  const auto* big = c->event("Big");
  auto source = [&](const ir::EmitPlan* p, const char* field) {
    return p->fields[static_cast<size_t>(big->field_index(field))];
  };
  CHECK(source(plan, "level").kind == ir::EmitPlan::Source::Default);
  CHECK(c->run(c->module().function(source(plan, "level").function), nullptr).value() == I(3));
  CHECK(source(plan, "note").kind == ir::EmitPlan::Source::Init);  // copied by ...x
  CHECK(c->run(c->module().function(source(plan, "note").function), b.instance()).value() == None());
  CHECK(source(small, "note").kind == ir::EmitPlan::Source::Absent);
  CHECK(source(small, "label").kind == ir::EmitPlan::Source::Absent);
  CHECK(c->run(c->module().function(source(plan, "label").function), b.instance()).value() == S("big"));
}

TEST_CASE("a condition that fails evaluates to an error, with the rule's value traced as failed") {
  auto c = compile(R"(module m
event A { key id: string, total: int, count: int }
rule AboveAverage(a: A) = a.total / a.count > 10
service S { consumes A exec "true" }
flow F { start A on A when AboveAverage -> S }
)");
  auto b = c->builder("A");
  b.set_string(b.field("id"), "x").set_int(b.field("total"), 100).set_int(b.field("count"), 0);
  std::vector<eval::TraceEntry> trace;
  eval::EvalContext context;
  context.trace = &trace;
  auto r =
      c->interpreter->run(*c->index().condition(ast::dyn_cast<ast::FlowDecl>(c->decl("F")), 0), b.instance(), context);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == eval::EvalErrorKind::DivisionByZero);
  CHECK(r.error().function == "rule m.AboveAverage[A]");
  REQUIRE(trace.size() == 1);
  CHECK_FALSE(trace[0].ok);
}

TEST_CASE("an event-level `it` condition reads fields directly") {
  auto c = compile(R"(module m
event A { key id: string, items: int, tags: list<string> }
service S { consumes A exec "true" }
flow F { start A on A when it.items > 3 and "x" in it.tags -> S }
)");
  auto b = c->builder("A");
  b.set_string(b.field("id"), "x").set_int(b.field("items"), 4);
  b.set_list(b.field("tags"), layout::ListBuilder(b.layout().fields[2].type, 1, b.arena()).set_string(0, "x").finish());
  auto fn = c->index().condition(ast::dyn_cast<ast::FlowDecl>(c->decl("F")), 0);
  REQUIRE(fn);
  CHECK(c->run(*fn, b.instance()).value() == B(true));
}
