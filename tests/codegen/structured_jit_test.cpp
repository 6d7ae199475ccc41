// Rules over nested orders compiled from source, on both back ends (every
// run is compared exactly, dual_fixture.h): quantifiers over line items,
// totals in decimals, optional paths, map look-ups, record literals with a
// spread, and record- and list-valued decisions; the shape of the native
// code of a quantifier rule (one loop, no call per element); record result
// slots (a pointer); and runs that want witnesses going to the interpreter.
#include <catch2/catch.hpp>

#include <cstring>

#include "backend_compare.h"
#include "dual_fixture.h"
#include "host_module.h"
#include "rt_abi/flow_rt_decimal.h"

using namespace flow;
using namespace flow::testing;
using eval::Value;

namespace {

const char* kShop = R"(module shop
record Address  { street: string, city: string, country: string = "NL" }
record LineItem { sku: string, qty: int, price: decimal, tags: list<string> = [] }
event OrderPlaced {
  key order_id: string
  ship_to: Address
  bill_to: Address?
  items: list<LineItem>
  labels: map<string, string>
  total: decimal
}
rule Bulk(o: OrderPlaced)      = any(o.items, i => i.qty >= 10)
rule AllSmall(o: OrderPlaced)  = all(o.items, i => i.qty < 10)
rule Mismatch(o: OrderPlaced)  = sum(o.items, i => i.price * i.qty) != o.total
rule Abroad(o: OrderPlaced)    = o.ship_to.country != "NL"
rule Fragile(o: OrderPlaced)   = count(o.items, i => "fragile" in i.tags) >= 2
rule BillsHome(o: OrderPlaced) = (o.bill_to?.country ?? o.ship_to.country) == "NL"
rule Urgent(o: OrderPlaced)    = o.labels["prio"] == "high" and has(o.labels, "prio")
rule Nested(o: OrderPlaced)    = any(o.items, i => any(i.tags, t => t == i.sku))
decision Cheapest(o: OrderPlaced) -> decimal? { else => min_of(o.items, i => i.price) }
decision Units(o: OrderPlaced) -> int { else => sum(o.items, i => i.qty) }
decision BigSkus(o: OrderPlaced) -> list<string> { else => map(filter(o.items, i => i.qty > 1), i => upper(i.sku)) }
decision Moved(o: OrderPlaced) -> Address { else => Address { ...o.ship_to, city: "Delft" } }
decision Bill(o: OrderPlaced) -> Address? { else => o.bill_to }
decision Labels(o: OrderPlaced) -> list<string> { else => keys(o.labels) }
decision Small(o: OrderPlaced) -> list<LineItem> { else => filter(o.items, i => i.qty < 10) }
)";

Value dec(const std::string& text) {
  FlowDecimal d{};
  REQUIRE(flow_rt_decimal_parse(text.data(), text.size(), &d) == FLOW_DECIMAL_PARSE_OK);
  return Value::decimal(d);
}

Value address(const std::string& city, const std::string& country) {
  return Value::record({S("Main 1"), S(city), S(country)});
}

Value item(const std::string& sku, int64_t qty, const std::string& price, std::vector<Value> tags = {}) {
  return Value::record({S(sku), I(qty), dec(price), L(std::move(tags))});
}

struct Order {
  Value ship_to = address("Utrecht", "NL");
  Value bill_to = None();
  Value items = L({item("a", 2, "12.50", {S("fragile")}), item("b", 12, "0.10", {S("fragile"), S("b")})});
  Value labels = Value::map({"prio"}, {S("high")});
  Value total = dec("26.20");
};

const uint8_t* make(Compiled& c, const Order& o) {
  auto b = c.builder("OrderPlaced");
  eval::write_field(b, b.field("order_id"), S("o-1"));
  eval::write_field(b, b.field("ship_to"), o.ship_to);
  eval::write_field(b, b.field("bill_to"), o.bill_to);
  eval::write_field(b, b.field("items"), o.items);
  eval::write_field(b, b.field("labels"), o.labels);
  eval::write_field(b, b.field("total"), o.total);
  return b.instance();
}

/// The value of `name` on `event` (both back ends, compared inside run()).
Value value(const Compiled& c, const std::string& name, const uint8_t* event) {
  eval::EvalResult r = c.run(c.rule(name), event);
  INFO(name << ": " << describe(r));
  REQUIRE(r.ok());
  return r.value();
}

void check(const Value& got, const Value& expected) {
  INFO("got " << got.to_string() << ", expected " << expected.to_string());
  CHECK(same_value(got, expected));
}

}  // namespace

TEST_CASE("quantifier rules over nested orders agree on both back ends") {
  auto c = compile(kShop);
  const uint8_t* order = make(*c, Order{});
  check(value(*c, "Bulk", order), B(true));
  check(value(*c, "AllSmall", order), B(false));
  check(value(*c, "Mismatch", order), B(false));  // 12.50 * 2 + 0.10 * 12 = 26.20
  check(value(*c, "Abroad", order), B(false));
  check(value(*c, "Fragile", order), B(true));
  check(value(*c, "BillsHome", order), B(true));
  check(value(*c, "Urgent", order), B(true));
  check(value(*c, "Nested", order), B(true));  // item b is tagged "b"
  check(value(*c, "Cheapest", order), dec("0.10"));
  check(value(*c, "Units", order), I(14));
  check(value(*c, "BigSkus", order), L({S("A"), S("B")}));
  check(value(*c, "Moved", order), address("Delft", "NL"));
  check(value(*c, "Bill", order), None());
  check(value(*c, "Labels", order), L({S("prio")}));
  check(value(*c, "Small", order), L({item("a", 2, "12.50", {S("fragile")})}));

  Order other;
  other.bill_to = address("Antwerp", "BE");
  other.ship_to = address("Paris", "FR");
  other.items = L({});
  other.labels = Value::map({}, {});
  other.total = dec("0.01");
  const uint8_t* empty = make(*c, other);
  check(value(*c, "Bulk", empty), B(false));
  check(value(*c, "AllSmall", empty), B(true));
  check(value(*c, "Mismatch", empty), B(true));
  check(value(*c, "Abroad", empty), B(true));
  check(value(*c, "BillsHome", empty), B(false));
  check(value(*c, "Urgent", empty), B(false));
  check(value(*c, "Cheapest", empty), None());
  check(value(*c, "Units", empty), I(0));
  check(value(*c, "BigSkus", empty), L({}));
  check(value(*c, "Bill", empty), address("Antwerp", "BE"));
  check(value(*c, "Labels", empty), L({}));
}

TEST_CASE("a quantifier rule is one loop with no call per element") {
  auto c = compile(kShop);
  auto host = host_module(c->module());
  host->optimise(2);
  CHECK(host->callees(c->rule("Bulk")).empty());
  CHECK(host->callees(c->rule("AllSmall")).empty());
  CHECK(host->callees(c->rule("Units")).empty());
  // Decimal arithmetic is the helpers' and nothing else.
  for (const std::string& name : host->callees(c->rule("Mismatch"))) CHECK(name.rfind("flow_rt_decimal_", 0) == 0);
}

TEST_CASE("a run that asks for quantifier witnesses gets the interpreter's") {
  auto c = compile(kShop);
  const uint8_t* order = make(*c, Order{});
  std::vector<eval::Witness> interpreted, jitted;
  eval::EvalContext context;
  context.witnesses = &interpreted;
  eval::EvalResult a = c->interpreter->run(c->rule("Bulk"), order, context);
  context.witnesses = &jitted;
  eval::EvalResult b = jit_of(*c).run(c->rule("Bulk"), order, context);
  CHECK(same_result(a, b));
  REQUIRE(jitted.size() == 1);
  REQUIRE(interpreted.size() == 1);
  CHECK(jitted[0].node == interpreted[0].node);
  CHECK(jitted[0].index == 1);  // item b, qty 12
  CHECK(same_value(jitted[0].element, interpreted[0].element));
}

TEST_CASE("a record result slot holds a pointer to the record's bytes") {
  auto c = compile(kShop);
  const auto& jit = jit_of(*c);
  Order with_bill;
  with_bill.bill_to = address("Antwerp", "BE");
  const uint8_t* order = make(*c, with_bill);
  Arena arena;
  FlowRtContext ctx = jit.context(0, arena.get());
  alignas(16) uint8_t slot[codegen::CompiledProgram::kResultSlotBytes] = {};
  const layout::StructLayout& address_layout = layout::record_layout(*c->rule("Moved").result->record_info);
  auto city_of = [&](const uint8_t* record) {
    FlowStr city;
    std::memcpy(&city, address_layout.field_ptr(record, address_layout.field_index("city")), sizeof city);
    return std::string(city.data, city.size);
  };

  // Address: the pointer, to a record made in the context's arena
  const ir::Function& moved = c->rule("Moved");
  CHECK(codegen::result_slot(moved.result).size == 8);
  REQUIRE(jit.entry(static_cast<int>(moved.id))(order, &ctx, slot) == FLOW_RT_OK);
  const uint8_t* record = nullptr;
  std::memcpy(&record, slot, sizeof record);
  CHECK(city_of(record) == "Delft");

  // Address?: presence byte at 0, the pointer at 8 (here into the event)
  const ir::Function& bill = c->rule("Bill");
  CHECK(codegen::result_slot(bill.result).size == 16);
  REQUIRE(jit.entry(static_cast<int>(bill.id))(order, &ctx, slot) == FLOW_RT_OK);
  CHECK(slot[0] == 1);
  std::memcpy(&record, slot + 8, sizeof record);
  const layout::EventLayout& order_layout = c->layout("OrderPlaced");
  CHECK(record == order_layout.field_ptr(order, order_layout.field_index("bill_to")));
  CHECK(city_of(record) == "Antwerp");
}
