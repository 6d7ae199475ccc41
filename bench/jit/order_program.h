// The benchmark's Flow program: a realistic order event and 25 predicates
// of the kinds business rules are made of (numeric thresholds, string
// equality and prefixes, list membership, optionals, nested rule calls,
// decisions, a little arithmetic and time), plus a generator of 100
// distinct rules for the compile-time figures.
#pragma once

#include <string>
#include <vector>

namespace flow::bench {

/// The module header and the event.
inline const char* kOrderEvent = R"(module bench.orders

enum Channel { Web, Store, Phone, Partner }
enum Tier { Bronze, Silver, Gold, Platinum }

event Order {
  key order_id: string
  customer_id: string
  tier: Tier
  country: string
  billing_country: string
  currency: string
  email: string
  payment_method: string
  shipping_method: string
  amount: float
  risk_score: float
  items: int
  previous_orders: int
  channel: Channel
  express: bool
  gift: bool
  coupon: string?
  loyalty_points: int?
  discount_pct: float?
  tags: list<string>
  quantities: list<int>
  placed_at: timestamp
}
)";

/// The 25 predicates (and the two decisions some of them call).
inline const char* kOrderRules = R"(
rule HighValue(o: Order)       = o.amount > 1000.0
rule BulkOrder(o: Order)       = o.items >= 10
rule Domestic(o: Order)        = o.country in ["NL", "BE", "LU"]
rule EuCountry(o: Order)       = o.country in ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE",
                                               "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT",
                                               "RO", "SK", "SI", "ES", "SE"]
rule WebOrder(o: Order)        = o.channel == Channel.Web
rule EuroOrder(o: Order)       = o.currency == "EUR"
rule CorporateEmail(o: Order)  = ends_with(o.email, "@acme.example")
rule WebOrderId(o: Order)      = starts_with(o.order_id, "WEB-")
rule PromoCoupon(o: Order)     = starts_with(o.coupon ?? "", "PROMO")
rule HasCoupon(o: Order)       = is_some(o.coupon)
rule VipTag(o: Order)          = "vip" in o.tags
rule GoldOrBetter(o: Order)    = o.tier in [Tier.Gold, Tier.Platinum]
rule LoyalCustomer(o: Order)   = (o.loyalty_points ?? 0) > 500
rule BigDiscount(o: Order)     = (o.discount_pct ?? 0.0) >= 20.0
rule CountryMismatch(o: Order) = o.country != o.billing_country
rule RiskyPayment(o: Order)    = o.risk_score > 0.8 and o.payment_method == "card"
rule ExpressGift(o: Order)     = o.express and o.gift
rule FirstOrder(o: Order)      = o.previous_orders == 0
rule NeedsReview(o: Order)     = HighValue(o) and not Domestic(o)
rule FraudSuspect(o: Order)    = CountryMismatch(o) and (RiskyPayment(o) or HighValue(o))
rule PerItemOver(o: Order)     = o.amount / o.items > 100.0
rule LargeFirstLine(o: Order)  = len(o.quantities) > 0 and o.quantities[0] * 2 > 10
rule NightOrder(o: Order)      = hour(o.placed_at) >= 22 or hour(o.placed_at) < 6

decision Risk(o: Order) -> string {
  when o.amount > 10000.0 => "high"
  when NeedsReview(o)     => "medium"
  else                    => "low"
}
decision ShippingClass(o: Order) -> int {
  when o.express                                 => 1
  when o.amount > 500.0 and GoldOrBetter(o)      => 2
  else                                           => 3
}
rule NotLowRisk(o: Order)      = Risk(o) != "low"
rule FastShipping(o: Order)    = ShippingClass(o) < 3
)";

inline std::string order_program() {
  return std::string(kOrderEvent) + kOrderRules;
}

/// The predicates measured, in the order of native_predicates.h.
inline const std::vector<std::string> kPredicates = {
    "HighValue",       "BulkOrder",    "Domestic",    "EuCountry",   "WebOrder",     "EuroOrder",     "CorporateEmail",
    "WebOrderId",      "PromoCoupon",  "HasCoupon",   "VipTag",      "GoldOrBetter", "LoyalCustomer", "BigDiscount",
    "CountryMismatch", "RiskyPayment", "ExpressGift", "FirstOrder",  "NeedsReview",  "FraudSuspect",  "PerItemOver",
    "LargeFirstLine",  "NightOrder",   "NotLowRisk",  "FastShipping"};

/// The order event and `count` rules (variations of the predicates above
/// with different constants; a few call the one before or a decision), for
/// the compile-time and cache-load figures.
inline std::string hundred_rules_program(int count = 100) {
  static const std::vector<std::string> templates = {
      "o.amount > @.0",
      "o.items >= @",
      "o.country in [\"NL\", \"BE\", \"C@\"]",
      "o.currency == \"C@\" and o.channel == Channel.Web",
      "ends_with(o.email, \"@.example\")",
      "starts_with(o.coupon ?? \"\", \"PROMO@\")",
      "\"tag@\" in o.tags or is_some(o.coupon)",
      "(o.loyalty_points ?? 0) > @ and o.tier in [Tier.Gold, Tier.Platinum]",
      "(o.discount_pct ?? 0.0) >= @.5 or o.country != o.billing_country",
      "o.risk_score > 0.@ and o.payment_method == \"card\"",
      "o.amount / o.items > @.0",
      "len(o.quantities) > 0 and o.quantities[0] * @ > 10",
      "hour(o.placed_at) >= @ % 24",
      "R@prev(o) and o.express",
      "Tier@(o) == \"high\"",
  };
  std::string program = kOrderEvent;
  for (int i = 0; i < count; ++i) {
    std::string body = templates[static_cast<size_t>(i) % templates.size()];
    std::string n = std::to_string(i + 1);
    if (body.rfind("R@prev", 0) == 0) {
      body = "C" + std::to_string(i - 1) + body.substr(6);  // calls the previous rule
    } else if (body.rfind("Tier@", 0) == 0) {
      program += "decision T" + n + "(o: Order) -> string { when o.amount > " + n + "00.0 => \"high\" when o.items > " +
                 n + " => \"medium\" else => \"low\" }\n";
      body = "T" + n + body.substr(5);
    }
    for (size_t at = body.find('@'); at != std::string::npos; at = body.find('@', at + n.size())) {
      body.replace(at, 1, n);
    }
    program += "rule C" + std::to_string(i) + "(o: Order) = " + body + "\n";
  }
  return program;
}

}  // namespace flow::bench
