// The table of runtime_symbols.h.
#include "codegen/runtime_symbols.h"

#include <strings.h>

#include <cmath>
#include <cstring>

#include "rt_abi/flow_rt.h"
#include "rt_abi/flow_rt_decimal.h"
#include "rt_abi/flow_rt_map.h"

namespace flow::codegen {

namespace {

template <typename F>
void* address(F* function) {
  return reinterpret_cast<void*>(function);
}

using Unary = double (*)(double);
using Binary = double (*)(double, double);

}  // namespace

const std::vector<RuntimeSymbol>& runtime_symbols() {
  static const std::vector<RuntimeSymbol> symbols = {
      // flow_rt helpers (rt_abi/flow_rt.h)
      {"flow_rt_arena_alloc", address(&flow_rt_arena_alloc)},
      {"flow_rt_int_add", address(&flow_rt_int_add)},
      {"flow_rt_int_sub", address(&flow_rt_int_sub)},
      {"flow_rt_int_mul", address(&flow_rt_int_mul)},
      {"flow_rt_int_div", address(&flow_rt_int_div)},
      {"flow_rt_int_mod", address(&flow_rt_int_mod)},
      {"flow_rt_int_neg", address(&flow_rt_int_neg)},
      {"flow_rt_int_abs", address(&flow_rt_int_abs)},
      {"flow_rt_float_div", address(&flow_rt_float_div)},
      {"flow_rt_float_mod", address(&flow_rt_float_mod)},
      {"flow_rt_float_round", address(&flow_rt_float_round)},
      {"flow_rt_float_floor", address(&flow_rt_float_floor)},
      {"flow_rt_float_ceil", address(&flow_rt_float_ceil)},
      {"flow_rt_float_min", address(&flow_rt_float_min)},
      {"flow_rt_float_max", address(&flow_rt_float_max)},
      {"flow_rt_str_len", address(&flow_rt_str_len)},
      {"flow_rt_str_compare", address(&flow_rt_str_compare)},
      {"flow_rt_str_eq", address(&flow_rt_str_eq)},
      {"flow_rt_str_starts_with", address(&flow_rt_str_starts_with)},
      {"flow_rt_str_ends_with", address(&flow_rt_str_ends_with)},
      {"flow_rt_str_contains", address(&flow_rt_str_contains)},
      {"flow_rt_str_concat", address(&flow_rt_str_concat)},
      {"flow_rt_str_lower", address(&flow_rt_str_lower)},
      {"flow_rt_str_upper", address(&flow_rt_str_upper)},
      {"flow_rt_regex_match", address(&flow_rt_regex_match)},
      {"flow_rt_time_hour", address(&flow_rt_time_hour)},
      {"flow_rt_time_weekday", address(&flow_rt_time_weekday)},
      {"flow_rt_time_date", address(&flow_rt_time_date)},
      // maps (rt_abi/flow_rt_map.h)
      {"flow_rt_map_build", address(&flow_rt_map_build)},
      {"flow_rt_map_find", address(&flow_rt_map_find)},
      // decimals (rt_abi/flow_rt_decimal.h)
      {"flow_rt_decimal_add", address(&flow_rt_decimal_add)},
      {"flow_rt_decimal_sub", address(&flow_rt_decimal_sub)},
      {"flow_rt_decimal_mul", address(&flow_rt_decimal_mul)},
      {"flow_rt_decimal_div", address(&flow_rt_decimal_div)},
      {"flow_rt_decimal_rem", address(&flow_rt_decimal_rem)},
      {"flow_rt_decimal_neg", address(&flow_rt_decimal_neg)},
      {"flow_rt_decimal_abs", address(&flow_rt_decimal_abs)},
      {"flow_rt_decimal_round", address(&flow_rt_decimal_round)},
      {"flow_rt_decimal_compare", address(&flow_rt_decimal_compare)},
      {"flow_rt_decimal_eq", address(&flow_rt_decimal_eq)},
      {"flow_rt_decimal_min", address(&flow_rt_decimal_min)},
      {"flow_rt_decimal_max", address(&flow_rt_decimal_max)},
      {"flow_rt_decimal_from_int", address(&flow_rt_decimal_from_int)},
      {"flow_rt_decimal_from_float", address(&flow_rt_decimal_from_float)},
      {"flow_rt_decimal_to_float", address(&flow_rt_decimal_to_float)},
      {"flow_rt_decimal_to_int", address(&flow_rt_decimal_to_int)},
      {"flow_rt_decimal_floor", address(&flow_rt_decimal_floor)},
      {"flow_rt_decimal_ceil", address(&flow_rt_decimal_ceil)},
      // C library functions LLVM lowers intrinsics and idioms to
      {"memcmp", address(&::memcmp)},
      {"bcmp", address(&::bcmp)},
      {"memcpy", address(&::memcpy)},
      {"memmove", address(&::memmove)},
      {"memset", address(&::memset)},
      {"fmod", address(static_cast<Binary>(&::fmod))},
      {"fmin", address(static_cast<Binary>(&::fmin))},
      {"fmax", address(static_cast<Binary>(&::fmax))},
      {"round", address(static_cast<Unary>(&::round))},
      {"floor", address(static_cast<Unary>(&::floor))},
      {"ceil", address(static_cast<Unary>(&::ceil))},
      {"trunc", address(static_cast<Unary>(&::trunc))},
      {"rint", address(static_cast<Unary>(&::rint))},
      {"nearbyint", address(static_cast<Unary>(&::nearbyint))},
  };
  return symbols;
}

}  // namespace flow::codegen
