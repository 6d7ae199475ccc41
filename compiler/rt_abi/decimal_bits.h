// The fields of a FlowDecimal's BID128 encoding, for the flow_rt decimal
// functions that work on the bits (text, sign, hashing) rather than through
// Intel's library. Internal to flow_rt.
//
// Layout (IEEE 754-2008, binary integer decimal): bit 127 the sign, bits
// 126..113 the biased exponent (bias 6176), bits 112..0 the coefficient.
// Coefficients of 34 digits need at most 113 bits, so every value flow_rt
// makes uses this form; the other form (bits 126..125 both set) holds only
// infinities, NaNs and non-canonical coefficients, which read as zero here.
#pragma once

#include <cstdint>

#include "rt_abi/flow_rt_decimal.h"

namespace flow::rt_abi::decimal {

using u128 = unsigned __int128;

constexpr int kMaxDigits = 34;
constexpr int32_t kExponentMin = -6176;  // Etiny: the exponent of the smallest subnormal
constexpr int32_t kExponentMax = 6111;   // Etop: the largest exponent of a 34-digit coefficient
constexpr int32_t kAdjustedMax = 6144;   // Emax: the largest exponent of the leading digit
constexpr int32_t kBias = 6176;

/// 10^n for n in 0..38.
constexpr u128 pow10(int n) {
  u128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

/// 10^34: every coefficient is below it.
inline constexpr u128 kCoefficientLimit = pow10(kMaxDigits);

struct Fields {
  bool negative = false;
  u128 coefficient = 0;
  int32_t exponent = 0;
};

inline Fields unpack(const FlowDecimal& x) {
  Fields f;
  uint64_t hi = x.w[1];
  f.negative = (hi >> 63) != 0;
  if (((hi >> 61) & 3) == 3) {
    // Infinity, NaN or a non-canonical coefficient: zero (never produced).
    f.exponent = static_cast<int32_t>((hi >> 47) & 0x3fff) - kBias;
    if (f.exponent > kExponentMax) f.exponent = 0;
    return f;
  }
  f.exponent = static_cast<int32_t>((hi >> 49) & 0x3fff) - kBias;
  u128 c = (static_cast<u128>(hi & ((uint64_t{1} << 49) - 1)) << 64) | x.w[0];
  f.coefficient = c < kCoefficientLimit ? c : 0;
  return f;
}

/// Requires coefficient < 10^34 and kExponentMin <= exponent <= kExponentMax.
inline FlowDecimal pack(bool negative, u128 coefficient, int32_t exponent) {
  uint64_t biased = static_cast<uint64_t>(exponent + kBias);
  FlowDecimal x;
  x.w[0] = static_cast<uint64_t>(coefficient);
  x.w[1] = (negative ? uint64_t{1} << 63 : 0) | biased << 49 | static_cast<uint64_t>(coefficient >> 64);
  return x;
}

}  // namespace flow::rt_abi::decimal
