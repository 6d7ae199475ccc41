// The shop program of language.md §1 (examples/order-to-cash/orders.flow,
// without its comments), in the pieces the tests build their programs
// from, so that no test pastes it:
//   kOrderPlacedSource    the module line, enum Channel and event OrderPlaced
//   kOrderRulesSource     REVIEW_LIMIT and the rules HighValue, Domestic, NeedsReview
//   kRiskSource           the decision Risk
//   kOrderServicesSource  the emit services AutoApprove and RequestReview
// and the programs made of them:
//   kOrderToCashSource    the whole example (the eval end-to-end tests)
//   kShopSource           the order events and `Everything`, one field of
//                         every type, optional, list and default the
//                         decoders handle (the ingress tests, the
//                         CloudEvents fuzz target)
// The JIT tests add rules of their own (codegen/shop_program.h).
#pragma once

#include <string>

namespace flow::testing {

inline constexpr const char* kOrderPlacedSource = R"(module shop.orders

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
)";

inline constexpr const char* kOrderRulesSource = R"(
const REVIEW_LIMIT = 1000.0

rule HighValue(o: OrderPlaced)   = o.amount > REVIEW_LIMIT
rule Domestic(o: OrderPlaced)    = o.country in ["NL", "BE", "LU"]
rule NeedsReview(o: OrderPlaced) = HighValue(o) and not Domestic(o)
)";

inline constexpr const char* kRiskSource = R"(
decision Risk(o: OrderPlaced) -> string {
  when o.amount > 10000.0               => "high"
  when HighValue(o) and not Domestic(o) => "medium"
  else                                  => "low"
}
)";

inline constexpr const char* kOrderServicesSource = R"(
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
)";

inline const std::string kOrderToCashSource = std::string(kOrderPlacedSource) + R"(
event OrderApproved   { ...OrderPlaced, approved_by: string }
event OrderRejected   { ...OrderPlaced, reason: string }
event ReviewRequested { ...OrderPlaced, risk: string }
event PaymentCaptured { ...OrderApproved, payment_id: string }
)" + kOrderRulesSource + kRiskSource + kOrderServicesSource +
                                              R"(
service ManualReview {
  consumes ReviewRequested
  publishes OrderApproved, OrderRejected
  exec "python3 services/review.py"
  timeout 30s
  retry 3 backoff 200ms
}

service Payment {
  consumes OrderApproved
  publishes PaymentCaptured
  exec "./services/payment"
}

flow OrderToCash {
  start OrderPlaced
  end   PaymentCaptured, OrderRejected

  on OrderPlaced when NeedsReview     -> RequestReview
  on OrderPlaced when not NeedsReview -> AutoApprove
  on ReviewRequested                  -> ManualReview
  on OrderApproved                    -> Payment
}
)";

inline const std::string kShopSource = std::string(kOrderPlacedSource) + R"(
event OrderApproved { ...OrderPlaced, approved_by: string }

event Everything {
  key id: int
  b: bool, i: int, f: float, s: string, ts: timestamp, d: duration, c: Channel
  ob: bool?, oi: int?, of: float?, os: string?, ots: timestamp?, od: duration?, oc: Channel?
  li: list<int>, lf: list<float>, ls: list<string>, lb: list<bool>
  lts: list<timestamp>, ld: list<duration>, lc: list<Channel>
  loi: list<int?>, los: list<string?>, lli: list<list<int>>, llos: list<list<string?>>
  olli: list<list<int>>?
  di: int = 42
  ds: string = "hi"
  dl: list<string> = ["a", "b"]
  dll: list<list<string>> = [["x"], [], ["y", "z"]]
  dd: duration = 15m
  dts: timestamp = @2026-01-31T12:00:00Z
  dc: Channel = Channel.Store
  doi: int? = 7
}

service Approve {
  consumes o: OrderPlaced
  publishes OrderApproved
  emit OrderApproved { ...o, approved_by: "auto" }
}

flow OrderToCash {
  start OrderPlaced, Everything
  end OrderApproved, Everything
  on OrderPlaced -> Approve
}
)";

}  // namespace flow::testing
