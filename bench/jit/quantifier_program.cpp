// The nested orders and quantifier rules of quantifier_program.h.
#include "quantifier_program.h"

#include <random>

#include "eval/value_io.h"
#include "layout/event_builder.h"

namespace flow::bench {

const char* quantifier_program() {
  return R"(module bench.nested

record Address  { street: string, city: string, postcode: string, country: string }
record LineItem { sku: string, qty: int, price: decimal, weight: float, tags: list<string> = [] }

event NestedOrder {
  key order_id: string
  ship_to: Address
  bill_to: Address?
  items: list<LineItem>
  total: decimal
}

rule Bulk(o: NestedOrder)      = any(o.items, i => i.qty >= 50)
rule Mismatch(o: NestedOrder)  = sum(o.items, i => i.price * i.qty) != o.total
rule Heavy(o: NestedOrder)     = sum(o.items, i => i.weight * i.qty) > 500.0
rule AllTagged(o: NestedOrder) = all(o.items, i => len(i.tags) > 0)
rule Bargain(o: NestedOrder)   = (min_of(o.items, i => i.price) ?? 0.00d) < 0.50d and count(o.items, i => i.qty > 5) > 8
)";
}

namespace {

eval::Value decimal_cents(int64_t cents) {
  FlowDecimal units{}, hundred{}, out{};
  flow_rt_decimal_from_int(cents, &units);
  flow_rt_decimal_from_int(100, &hundred);
  flow_rt_decimal_div(&units, &hundred, &out);
  return eval::Value::decimal(out);
}

eval::Value address(std::mt19937_64& rng) {
  static const char* kCities[] = {"Amsterdam", "Brussels", "Berlin", "Paris"};
  static const char* kCountries[] = {"NL", "BE", "DE", "FR"};
  uint64_t r = rng();
  return eval::Value::record({eval::Value::string("Street " + std::to_string(r % 300)),
                              eval::Value::string(kCities[r % 4]), eval::Value::string(std::to_string(1000 + r % 9000)),
                              eval::Value::string(kCountries[r % 4])});
}

}  // namespace

std::vector<const uint8_t*> make_nested_orders(const layout::EventLayout& layout, Arena& arena, int count,
                                               uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<const uint8_t*> orders;
  for (int n = 0; n < count; ++n) {
    layout::EventBuilder builder(layout, arena);
    std::vector<eval::Value> items;
    int64_t total = 0;
    for (int k = 0; k < 10; ++k) {
      uint64_t r = rng();
      int64_t qty = static_cast<int64_t>(r % 9) + 1;
      int64_t cents = 50 + static_cast<int64_t>((r >> 8) % 15000);
      total += qty * cents;
      items.push_back(eval::Value::record(
          {eval::Value::string("SKU-" + std::to_string(r % 100000)), eval::Value::integer(qty), decimal_cents(cents),
           eval::Value::floating(static_cast<double>((r >> 30) % 500) / 100.0),
           eval::Value::list({eval::Value::string("t" + std::to_string((r >> 50) % 5))})}));
    }
    eval::write_field(builder, builder.field("order_id"), eval::Value::string(std::to_string(n)));
    eval::write_field(builder, builder.field("ship_to"), address(rng));
    eval::write_field(builder, builder.field("bill_to"), n % 2 ? address(rng) : eval::Value::none());
    eval::write_field(builder, builder.field("items"), eval::Value::list(std::move(items)));
    eval::write_field(builder, builder.field("total"), decimal_cents(total));
    orders.push_back(builder.instance());
  }
  return orders;
}

}  // namespace flow::bench
