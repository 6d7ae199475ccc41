// The order example of language.md §1 (rules, decisions, a flow with
// conditions) and an order-event filler, shared by the JIT tests.
#pragma once

#include <string>

#include "base/time_format.h"
#include "layout/event_builder.h"

namespace flow::testing {

inline const char* kShopProgram = R"(module shop.orders

enum Channel { Web, Store, Phone }

event OrderPlaced {
  key order_id: string
  customer: string
  country: string
  amount: float
  items: int
  channel: Channel
  coupon: string?
  tags: list<string> = []
  placed_at: timestamp
}

event OrderApproved  { ...OrderPlaced, approved_by: string }
event ReviewRequested { ...OrderPlaced, risk: string }

const REVIEW_LIMIT = 1000.0

rule HighValue(o: OrderPlaced)   = o.amount > REVIEW_LIMIT
rule Domestic(o: OrderPlaced)    = o.country in ["NL", "BE", "LU"]
rule NeedsReview(o: OrderPlaced) = HighValue(o) and not Domestic(o)
rule PerItemOver(o: OrderPlaced) = o.amount / o.items > 100.0
rule Broken(o: OrderPlaced)      = o.items / (o.items - o.items) > 0

decision Risk(o: OrderPlaced) -> string {
  when o.amount > 10000.0               => "high"
  when HighValue(o) and not Domestic(o) => "medium"
  else                                  => "low"
}
decision Discount(o: OrderPlaced) -> int? {
  when o.coupon == "SAVE10" => 10
  else => none
}
decision Labels(o: OrderPlaced) -> list<string> { else => [o.customer, upper(o.country)] }

service AutoApprove {
  consumes o: OrderPlaced
  publishes OrderApproved
  emit OrderApproved { ...o, approved_by: "auto" }
}
service RequestReview {
  consumes o: OrderPlaced
  publishes ReviewRequested
  emit ReviewRequested { ...o, risk: Risk(o) }
}

flow OrderToCash {
  start OrderPlaced
  end   OrderApproved

  on OrderPlaced when NeedsReview     -> RequestReview
  on OrderPlaced when not NeedsReview -> AutoApprove
  on ReviewRequested when Broken      -> AutoApprove
}
)";

/// An OrderPlaced with the given amount and country (items 3, tags ["vip"]).
inline void fill_order(layout::EventBuilder& b, double amount, const std::string& country) {
  b.set_string(b.field("order_id"), "o-42").set_string(b.field("customer"), "Ada");
  b.set_string(b.field("country"), country).set_float(b.field("amount"), amount);
  b.set_int(b.field("items"), 3).set_enum(b.field("channel"), 0);
  b.set_timestamp(b.field("placed_at"), *parse_timestamp("2026-01-31T12:00:00Z"));
  const Type* tags = b.layout().fields[static_cast<size_t>(b.field("tags"))].type;
  b.set_list(b.field("tags"), layout::ListBuilder(tags, 1, b.arena()).set_string(0, "vip").finish());
}

}  // namespace flow::testing
