// The nested orders of nested_orders.h, filled through eval::write_field
// (the layouts' own writer, so records and lists land where rules read them).
#include "nested_orders.h"

#include <random>

#include "eval/value_io.h"
#include "layout/event_builder.h"
#include "rt_abi/flow_rt_decimal.h"

namespace flow::bench {

const std::string& nested_order_program() {
  static const std::string text = R"(module bench
record Address  { street: string, city: string, country: string }
record LineItem { sku: string, qty: int, price: decimal, weight: float, tags: list<string> }
event NestedOrder {
  key order_id: string
  ship_to: Address
  bill_to: Address
  items: list<LineItem>
  total: decimal
}
rule Bulk(o: NestedOrder)        = any(o.items, i => i.qty >= 40)
rule AllPriced(o: NestedOrder)   = all(o.items, i => i.price > 1.00d and i.weight < 28.0)
rule ManyFragile(o: NestedOrder) = count(o.items, i => "fragile" in i.tags) >= 3
rule Heavy(o: NestedOrder)       = sum(o.items, i => i.weight * i.qty) > 3500.0
rule LightMax(o: NestedOrder)    = (max_of(o.items, i => i.qty) ?? 0) < 45
rule TotalsOff(o: NestedOrder)   = sum(o.items, i => i.price * i.qty) != o.total
rule Abroad(o: NestedOrder)      = o.ship_to.country != o.bill_to.country and any(o.items, i => i.sku == "X-1")
)";
  return text;
}

const std::vector<std::string> kQuantifierRules = {"Bulk",     "AllPriced", "ManyFragile", "Heavy",
                                                   "LightMax", "TotalsOff", "Abroad"};

namespace {

eval::Value decimal(const std::string& text) {
  FlowDecimal d{};
  flow_rt_decimal_parse(text.data(), text.size(), &d);
  return eval::Value::decimal(d);
}

}  // namespace

std::vector<const uint8_t*> make_nested_orders(const layout::EventLayout& layout, Arena& arena, int count, int items,
                                               uint64_t seed) {
  using eval::Value;
  std::mt19937_64 rng(seed);
  auto below = [&](uint64_t n) { return rng() % n; };
  static const char* kCountries[] = {"NL", "BE", "DE", "FR"};
  static const char* kTags[] = {"fragile", "gift", "bulk", "cold"};
  std::vector<const uint8_t*> orders;
  for (int n = 0; n < count; ++n) {
    layout::EventBuilder b(layout, arena);
    auto address = [&] {
      return Value::record({Value::string("Main " + std::to_string(below(200))), Value::string("City"),
                            Value::string(kCountries[below(4)])});
    };
    std::vector<Value> lines;
    int64_t cents_total = 0;
    for (int i = 0; i < items; ++i) {
      int64_t qty = 1 + static_cast<int64_t>(below(45));
      int64_t cents = 40 + static_cast<int64_t>(below(5000));
      cents_total += qty * cents;
      std::vector<Value> tags;
      for (int t = 0, k = static_cast<int>(below(3)); t < k; ++t) tags.push_back(Value::string(kTags[below(4)]));
      std::string price =
          std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100);
      lines.push_back(Value::record(
          {Value::string(below(20) == 0 ? "X-1" : "SKU-" + std::to_string(below(1000))), Value::integer(qty),
           decimal(price), Value::floating(static_cast<double>(below(300)) / 10.0), Value::list(std::move(tags))}));
    }
    // Most totals add up; some are a cent off.
    cents_total += below(4) == 0 ? 1 : 0;
    std::string total = std::to_string(cents_total / 100) + "." + (cents_total % 100 < 10 ? "0" : "") +
                        std::to_string(cents_total % 100);
    eval::write_field(b, b.field("order_id"), Value::string("o-" + std::to_string(n)));
    eval::write_field(b, b.field("ship_to"), address());
    eval::write_field(b, b.field("bill_to"), address());
    eval::write_field(b, b.field("items"), Value::list(std::move(lines)));
    eval::write_field(b, b.field("total"), decimal(total));
    orders.push_back(b.instance());
  }
  return orders;
}

}  // namespace flow::bench
