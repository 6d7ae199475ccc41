// flow_rt: checked int64 arithmetic and float operations with Flow's
// semantics (docs/evaluation.md). The overflow checks use the compiler
// builtins, so no path has undefined behaviour.
#include <cmath>
#include <cstdint>
#include <limits>

#include "rt_abi/flow_rt.h"

namespace {
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
// 2^63 exactly: the first double above every int64.
constexpr double kTwo63 = 9223372036854775808.0;

int32_t to_int(double r, int64_t* out) {
  if (std::isnan(r) || !(r >= -kTwo63 && r < kTwo63)) return FLOW_RT_INVALID_NUMBER;
  *out = static_cast<int64_t>(r);
  return FLOW_RT_OK;
}
}  // namespace

extern "C" {

int32_t flow_rt_int_add(int64_t a, int64_t b, int64_t* out) {
  return __builtin_add_overflow(a, b, out) ? FLOW_RT_OVERFLOW : FLOW_RT_OK;
}

int32_t flow_rt_int_sub(int64_t a, int64_t b, int64_t* out) {
  return __builtin_sub_overflow(a, b, out) ? FLOW_RT_OVERFLOW : FLOW_RT_OK;
}

int32_t flow_rt_int_mul(int64_t a, int64_t b, int64_t* out) {
  return __builtin_mul_overflow(a, b, out) ? FLOW_RT_OVERFLOW : FLOW_RT_OK;
}

int32_t flow_rt_int_div(int64_t a, int64_t b, int64_t* out) {
  if (b == 0) return FLOW_RT_DIVISION_BY_ZERO;
  if (a == kMin && b == -1) return FLOW_RT_OVERFLOW;  // the quotient 2^63 does not fit
  *out = a / b;
  return FLOW_RT_OK;
}

int32_t flow_rt_int_mod(int64_t a, int64_t b, int64_t* out) {
  if (b == 0) return FLOW_RT_DIVISION_BY_ZERO;
  // The remainder of x / -1 is 0 for every x; C leaves kMin % -1 undefined.
  *out = b == -1 ? 0 : a % b;
  return FLOW_RT_OK;
}

int32_t flow_rt_int_neg(int64_t a, int64_t* out) {
  return __builtin_sub_overflow(int64_t{0}, a, out) ? FLOW_RT_OVERFLOW : FLOW_RT_OK;
}

int32_t flow_rt_int_abs(int64_t a, int64_t* out) {
  if (a >= 0) {
    *out = a;
    return FLOW_RT_OK;
  }
  return flow_rt_int_neg(a, out);
}

int32_t flow_rt_float_div(double a, double b, double* out) {
  if (b == 0.0) return FLOW_RT_DIVISION_BY_ZERO;
  *out = a / b;
  return FLOW_RT_OK;
}

int32_t flow_rt_float_mod(double a, double b, double* out) {
  if (b == 0.0) return FLOW_RT_DIVISION_BY_ZERO;
  *out = std::fmod(a, b);
  return FLOW_RT_OK;
}

int32_t flow_rt_float_round(double x, int64_t* out) {
  return to_int(std::round(x), out);
}
int32_t flow_rt_float_floor(double x, int64_t* out) {
  return to_int(std::floor(x), out);
}
int32_t flow_rt_float_ceil(double x, int64_t* out) {
  return to_int(std::ceil(x), out);
}

double flow_rt_float_min(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

double flow_rt_float_max(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

}  // extern "C"
