// The program the ingress tests and the CloudEvents fuzz target decode
// events of: the order-to-cash events, and `Everything`, one field of every
// type, optional, list and default the decoders handle.
#pragma once

namespace flow::testing {

inline constexpr const char* kShopSource = R"(module shop.orders

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
;

}  // namespace flow::testing
