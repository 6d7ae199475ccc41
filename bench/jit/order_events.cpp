// The order generator of order_events.h.
#include "order_events.h"

#include <random>
#include <string>

#include "layout/event_builder.h"

namespace flow::bench {

std::vector<const uint8_t*> make_orders(const layout::EventLayout& layout, Arena& arena, int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto below = [&](uint64_t n) { return rng() % n; };
  auto chance = [&](int percent) { return below(100) < static_cast<uint64_t>(percent); };
  auto pick = [&](std::initializer_list<const char*> items) { return *(items.begin() + below(items.size())); };
  auto type_of = [&](const char* field) { return layout.fields[static_cast<size_t>(layout.field_index(field))].type; };

  std::vector<const uint8_t*> orders;
  for (int n = 0; n < count; ++n) {
    layout::EventBuilder b(layout, arena);
    std::string country = pick({"NL", "NL", "BE", "DE", "FR", "US", "US", "GB", "LU", "ES", "IT", "PL", "SE", "JP"});
    b.set_string(b.field("order_id"), std::string(chance(60) ? "WEB-" : "POS-") + std::to_string(100000 + n));
    b.set_string(b.field("customer_id"), "C" + std::to_string(below(50000)));
    b.set_enum(b.field("tier"), static_cast<int32_t>(below(4)));
    b.set_string(b.field("country"), country);
    b.set_string(b.field("billing_country"), chance(80) ? country : pick({"NL", "US", "GB", "CN"}));
    b.set_string(b.field("currency"), pick({"EUR", "EUR", "EUR", "USD", "GBP"}));
    b.set_string(b.field("email"),
                 std::string("user") + std::to_string(n) + pick({"@acme.example", "@mail.example", "@shop.example"}));
    b.set_string(b.field("payment_method"), pick({"card", "card", "paypal", "invoice"}));
    b.set_string(b.field("shipping_method"), pick({"standard", "express", "pickup"}));
    // Amounts spread over four orders of magnitude.
    double amount = static_cast<double>(5 + below(100)) * static_cast<double>(1 << below(8));
    b.set_float(b.field("amount"), amount);
    b.set_float(b.field("risk_score"), static_cast<double>(below(1000)) / 1000.0);
    b.set_int(b.field("items"), static_cast<int64_t>(1 + below(20)));
    b.set_int(b.field("previous_orders"), chance(25) ? 0 : static_cast<int64_t>(below(40)));
    b.set_enum(b.field("channel"), static_cast<int32_t>(below(4)));
    b.set_bool(b.field("express"), chance(20));
    b.set_bool(b.field("gift"), chance(15));
    if (chance(30)) {
      b.set_string(b.field("coupon"), std::string(chance(50) ? "PROMO" : "SAVE") + std::to_string(below(100)));
    } else {
      b.set_none(b.field("coupon"));
    }
    if (chance(50)) {
      b.set_int(b.field("loyalty_points"), static_cast<int64_t>(below(2000)));
    } else {
      b.set_none(b.field("loyalty_points"));
    }
    if (chance(30)) {
      b.set_float(b.field("discount_pct"), static_cast<double>(below(40)));
    } else {
      b.set_none(b.field("discount_pct"));
    }
    uint64_t tag_count = below(4);
    layout::ListBuilder tags(type_of("tags"), tag_count, arena);
    for (uint64_t i = 0; i < tag_count; ++i) tags.set_string(i, pick({"vip", "b2b", "repeat", "gift", "new"}));
    b.set_list(b.field("tags"), tags.finish());
    uint64_t line_count = 1 + below(5);
    layout::ListBuilder quantities(type_of("quantities"), line_count, arena);
    for (uint64_t i = 0; i < line_count; ++i) quantities.set_int(i, static_cast<int64_t>(1 + below(12)));
    b.set_list(b.field("quantities"), quantities.finish());
    // Some time in the week of 2026-01-26, UTC.
    b.set_timestamp(b.field("placed_at"),
                    int64_t{1'769'385'600} * 1'000'000 + static_cast<int64_t>(below(7 * 86'400)) * 1'000'000);
    orders.push_back(b.instance());
  }
  return orders;
}

}  // namespace flow::bench
