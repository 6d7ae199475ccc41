// The JIT tests' program: the shop program of language.md §1
// (support/shop_source.h) with more rules and decisions — a division, one
// that always fails, an optional and a list result — and a flow whose
// conditions call them. fill_order (support/order_filler.h) fills its
// OrderPlaced.
#pragma once

#include <string>

#include "../support/order_filler.h"
#include "../support/shop_source.h"
#include "base/time_format.h"
#include "layout/event_builder.h"

namespace flow::testing {

inline const std::string kShopProgram = std::string(kOrderPlacedSource) + R"(
event OrderApproved  { ...OrderPlaced, approved_by: string }
event ReviewRequested { ...OrderPlaced, risk: string }
)" + kOrderRulesSource + R"(rule PerItemOver(o: OrderPlaced) = o.amount / o.items > 100.0
rule Broken(o: OrderPlaced)      = o.items / (o.items - o.items) > 0
)" + kRiskSource + R"(decision Discount(o: OrderPlaced) -> int? {
  when o.coupon == "SAVE10" => 10
  else => none
}
decision Labels(o: OrderPlaced) -> list<string> { else => [o.customer, upper(o.country)] }
)" + kOrderServicesSource + R"(
flow OrderToCash {
  start OrderPlaced
  end   OrderApproved

  on OrderPlaced when NeedsReview     -> RequestReview
  on OrderPlaced when not NeedsReview -> AutoApprove
  on ReviewRequested when Broken      -> AutoApprove
}
)";

}  // namespace flow::testing
