// Exponential backoff with a cap (see backoff.h).
#include "services/backoff.h"

#include <algorithm>

namespace flow::runtime {

std::int64_t exponential_backoff_us(std::int64_t base_us, std::int64_t cap_us, std::uint32_t n) {
  if (base_us <= 0) return 0;
  const std::int64_t cap = std::max(cap_us, base_us);
  std::int64_t delay = base_us;
  // Doubling stops at the cap, so the loop is short and cannot overflow
  // (delay <= cap before each doubling, and cap / 2 < INT64_MAX / 2).
  for (std::uint32_t i = 1; i < n && delay < cap; ++i) delay = delay > cap / 2 ? cap : delay * 2;
  return std::min(delay, cap);
}

}  // namespace flow::runtime
