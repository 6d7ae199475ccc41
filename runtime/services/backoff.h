// Exponential backoff with a cap, shared by delivery retries and by the
// crash-loop throttle on process restarts.
#pragma once

#include <cstdint>

namespace flow::runtime {

/// The n-th delay (n >= 1): min(base_us × 2^(n−1), max(cap_us, base_us)).
/// A cap below the base does not shrink the base: the first delay is always
/// what was asked for. Never overflows; base_us <= 0 gives 0.
std::int64_t exponential_backoff_us(std::int64_t base_us, std::int64_t cap_us, std::uint32_t n);

}  // namespace flow::runtime
