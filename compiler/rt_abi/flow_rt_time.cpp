// flow_rt: calendar functions over microsecond UTC timestamps. Division is
// floored, so instants before 1970 land in the right day and hour.
#include <cstdint>

#include "rt_abi/flow_rt.h"

namespace {
constexpr int64_t kMicrosPerHour = int64_t{3600} * 1000000;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a % b < 0) != (b < 0)) ? q - 1 : q;
}
int64_t floor_mod(int64_t a, int64_t b) {
  int64_t r = a % b;  // never overflows for b > 1, unlike a - floor_div(a, b) * b
  return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
}
}  // namespace

extern "C" {

int64_t flow_rt_time_hour(int64_t ts) {
  return floor_mod(ts, kMicrosPerDay) / kMicrosPerHour;
}

int64_t flow_rt_time_weekday(int64_t ts) {
  // 1970-01-01 was a Thursday (ISO weekday 4).
  return floor_mod(floor_div(ts, kMicrosPerDay) + 3, 7) + 1;
}

int32_t flow_rt_time_date(int64_t ts, int64_t* out) {
  return __builtin_mul_overflow(floor_div(ts, kMicrosPerDay), kMicrosPerDay, out) ? FLOW_RT_OVERFLOW : FLOW_RT_OK;
}

}  // extern "C"
