// Fills an OrderPlaced of the shop program (shop_source.h), or an event
// that includes it, for tests that evaluate its rules on both back ends.
#pragma once

#include <string>

#include "base/time_format.h"
#include "layout/event_builder.h"

namespace flow::testing {

/// Order o-42 by Ada: `amount`, `country`, 3 items, channel Web, placed
/// 2026-01-31T12:00:00Z, tags ["vip"], no coupon.
inline void fill_order(layout::EventBuilder& b, double amount, const std::string& country) {
  b.set_string(b.field("order_id"), "o-42").set_string(b.field("customer"), "Ada");
  b.set_string(b.field("country"), country).set_float(b.field("amount"), amount);
  b.set_int(b.field("items"), 3).set_enum(b.field("channel"), 0);
  b.set_timestamp(b.field("placed_at"), *parse_timestamp("2026-01-31T12:00:00Z"));
  const Type* tags = b.layout().fields[static_cast<size_t>(b.field("tags"))].type;
  b.set_list(b.field("tags"), layout::ListBuilder(tags, 1, b.arena()).set_string(0, "vip").finish());
}

}  // namespace flow::testing
