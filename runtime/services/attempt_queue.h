// Which delivery of a service is attempted next, shared by the exec and
// http runners: a retry whose delay is over goes first (it has waited
// longest), then fresh deliveries in submission order.
//
// Templates over the runner's per-service state, which holds `fresh` (a
// deque of delivery ids, FIFO) and `retry_due` (a map from (not before,
// submission seq) to delivery id), on the runner's monotonic clock.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace flow::runtime {

/// Some delivery of `s` may start at `now`.
template <typename ServiceState>
bool has_ready(const ServiceState& s, std::int64_t now) {
  return (!s.retry_due.empty() && s.retry_due.begin()->first.first <= now) || !s.fresh.empty();
}

/// Takes the next delivery of `s` to attempt at `now`; has_ready() must hold.
template <typename ServiceState>
std::string pop_ready(ServiceState& s, std::int64_t now) {
  std::string id;
  if (!s.retry_due.empty() && s.retry_due.begin()->first.first <= now) {
    id = std::move(s.retry_due.begin()->second);
    s.retry_due.erase(s.retry_due.begin());
  } else {
    id = std::move(s.fresh.front());
    s.fresh.pop_front();
  }
  return id;
}

}  // namespace flow::runtime
