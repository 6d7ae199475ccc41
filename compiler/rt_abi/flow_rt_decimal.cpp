// flow_rt decimal arithmetic, comparison, hashing and conversions
// (flow_rt_decimal.h). `+ - * / %`, `round`, `floor`, `ceil`, comparison
// across exponents and the conversions to int and float call Intel's Decimal Floating-Point Math
// Library, built with arguments by value and the rounding mode and status
// flags as arguments (cmake/IntelDecimal.cmake): no global state, so any
// thread may call. Its status flags map to FlowRtStatus; inexact and
// underflow are not errors. Sign changes, comparison at equal exponents,
// hashing and the conversion from int work on the bits (decimal_bits.h):
// they follow Python's rules for zeros and cohorts, and are the cheap cases.
#include <array>
#include <cstring>
#include <utility>

#include "base/hash_mix.h"
#include "rt_abi/decimal_bits.h"
#include "rt_abi/flow_rt_decimal.h"

// Intel's headers: bid_functions.h needs the macros of bid_conf.h first.
#include <bid_conf.h>
#include <bid_functions.h>

namespace {

using namespace flow::rt_abi::decimal;

static_assert(sizeof(FlowDecimal) == sizeof(BID_UINT128));

constexpr _IDEC_round kHalfEven = BID_ROUNDING_TO_NEAREST;

BID_UINT128 bid(const FlowDecimal* x) {
  BID_UINT128 r;
  std::memcpy(&r, x, sizeof r);
  return r;
}

void store(BID_UINT128 r, FlowDecimal* out) {
  std::memcpy(out, &r, sizeof r);
}

// The status of an arithmetic result from the library's flags.
int32_t status_of(_IDEC_flags flags) {
  if (flags & BID_ZERO_DIVIDE_EXCEPTION) return FLOW_RT_DIVISION_BY_ZERO;
  if (flags & BID_OVERFLOW_EXCEPTION) return FLOW_RT_OVERFLOW;
  if (flags & BID_INVALID_EXCEPTION) return FLOW_RT_INVALID_NUMBER;
  return FLOW_RT_OK;
}

int32_t finish(BID_UINT128 r, _IDEC_flags flags, FlowDecimal* out) {
  int32_t status = status_of(flags);
  if (status == FLOW_RT_OK) store(r, out);
  return status;
}

// One of the library's + - * /, rounding half-even.
using LibraryOp = BID_UINT128 (*)(BID_UINT128, BID_UINT128, _IDEC_round, _IDEC_flags*);

int32_t arithmetic(LibraryOp op, const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out) {
  _IDEC_flags flags = 0;
  BID_UINT128 r = op(bid(a), bid(b), kHalfEven, &flags);
  return finish(r, flags, out);
}

constexpr uint64_t kSignBit = uint64_t{1} << 63;

// The exact fast paths of + - and *: money is mostly a few digits at one or
// two exponents, and the library's general path (a fused multiply-add for
// `*`, rounding logic for `+`) costs hundreds of instructions per operation.
// When the exact result fits in 34 digits and its exponent is one decimal128
// encodes, IEEE 754 defines the result as that exact value at the preferred
// exponent (the smaller one for + -, the sum for *), with the sign rules
// below: that is what the library returns too, bit for bit. Anything else
// (a result to round, an exponent out of range) takes the library's path.

// 10^n for n in 0..33, the alignment factors of an exact sum, and the
// largest coefficient each can scale without passing 34 digits (tables: a
// 128-bit division costs more than the whole fast path).
constexpr auto kPowers = [] {
  std::array<u128, kMaxDigits> powers{};
  for (int n = 0; n < kMaxDigits; ++n) powers[n] = pow10(n);
  return powers;
}();
constexpr auto kScalableLimits = [] {
  std::array<u128, kMaxDigits> limits{};
  for (int n = 0; n < kMaxDigits; ++n) limits[n] = (kCoefficientLimit - 1) / pow10(n);
  return limits;
}();

// a + b when exact; false when the library must round.
bool exact_sum(Fields a, Fields b, FlowDecimal* out) {
  if (a.exponent < b.exponent) std::swap(a, b);
  // Align a (the larger exponent) down to b's exponent, when it fits.
  int32_t shift = a.exponent - b.exponent;
  if (shift >= kMaxDigits) return false;
  if (a.coefficient > kScalableLimits[shift]) return false;
  u128 x = shift == 0 ? a.coefficient : a.coefficient * kPowers[shift], y = b.coefficient;
  if (a.negative == b.negative) {
    u128 sum = x + y;
    if (sum >= kCoefficientLimit) return false;
    *out = pack(a.negative, sum, b.exponent);
    return true;
  }
  // Opposite signs: the larger magnitude's sign; an exact zero is +0 when
  // rounding half-even.
  bool negative = x > y ? a.negative : b.negative;
  u128 difference = x > y ? x - y : y - x;
  *out = pack(difference == 0 ? false : negative, difference, b.exponent);
  return true;
}

// a * b when exact; false when the library must round or clamp.
bool exact_product(const Fields& a, const Fields& b, FlowDecimal* out) {
  constexpr u128 kWord = u128{1} << 64;
  if (a.coefficient >= kWord || b.coefficient >= kWord) return false;
  u128 product = a.coefficient * b.coefficient;  // < 2^128: two words
  if (product >= kCoefficientLimit) return false;
  int32_t exponent = a.exponent + b.exponent;
  if (exponent < kExponentMin || exponent > kExponentMax) return false;
  *out = pack(a.negative != b.negative, product, exponent);
  return true;
}

}  // namespace

extern "C" {

int32_t flow_rt_decimal_add(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out) {
  if (exact_sum(unpack(*a), unpack(*b), out)) return FLOW_RT_OK;
  return arithmetic(bid128_add, a, b, out);
}

int32_t flow_rt_decimal_sub(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out) {
  Fields negated_b = unpack(*b);
  negated_b.negative = !negated_b.negative;  // x - y is x + (-y), zeros included
  if (exact_sum(unpack(*a), negated_b, out)) return FLOW_RT_OK;
  return arithmetic(bid128_sub, a, b, out);
}

int32_t flow_rt_decimal_mul(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out) {
  if (exact_product(unpack(*a), unpack(*b), out)) return FLOW_RT_OK;
  return arithmetic(bid128_mul, a, b, out);
}

int32_t flow_rt_decimal_div(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out) {
  int32_t status = arithmetic(bid128_div, a, b, out);
  // 0 / 0 is the library's invalid operation; Flow reports it like x / 0.
  return status == FLOW_RT_INVALID_NUMBER ? FLOW_RT_DIVISION_BY_ZERO : status;
}

int32_t flow_rt_decimal_rem(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out) {
  if (unpack(*b).coefficient == 0) return FLOW_RT_DIVISION_BY_ZERO;
  // Python refuses (DivisionImpossible) an integer quotient of more than 34
  // digits: |a / b| >= 10^34, which a quotient rounded toward zero shows
  // exactly (an overflowing one is the largest finite value).
  FlowDecimal x{}, y{};
  flow_rt_decimal_abs(a, &x);
  flow_rt_decimal_abs(b, &y);
  FlowDecimal limit = pack(false, 1, 34);
  _IDEC_flags flags = 0;
  BID_UINT128 quotient = bid128_div(bid(&x), bid(&y), BID_ROUNDING_TO_ZERO, &flags);
  if (bid128_quiet_greater_equal(quotient, bid(&limit), &flags)) return FLOW_RT_INVALID_NUMBER;
  // The library's fmod is exact, takes the dividend's sign (zeros too) and
  // the smaller exponent of the two, as Python's remainder does.
  flags = 0;
  BID_UINT128 r = bid128_fmod(bid(a), bid(b), &flags);
  return finish(r, flags, out);
}

void flow_rt_decimal_neg(const FlowDecimal* x, FlowDecimal* out) {
  FlowDecimal r = *x;
  if (unpack(r).coefficient == 0) {
    r.w[1] &= ~kSignBit;
  } else {
    r.w[1] ^= kSignBit;
  }
  *out = r;
}

void flow_rt_decimal_abs(const FlowDecimal* x, FlowDecimal* out) {
  FlowDecimal r = *x;
  r.w[1] &= ~kSignBit;
  *out = r;
}

int32_t flow_rt_decimal_round(const FlowDecimal* x, int64_t places, FlowDecimal* out) {
  if (places < -kExponentMax || places > -kExponentMin) return FLOW_RT_INVALID_NUMBER;
  FlowDecimal unit = pack(false, 1, static_cast<int32_t>(-places));
  _IDEC_flags flags = 0;
  BID_UINT128 r = bid128_quantize(bid(x), bid(&unit), kHalfEven, &flags);
  return finish(r, flags, out);
}

int32_t flow_rt_decimal_compare(const FlowDecimal* a, const FlowDecimal* b) {
  // Fast path: operands with the same exponent (money of one currency)
  // compare by sign and coefficient.
  Fields x = unpack(*a), y = unpack(*b);
  if (x.exponent == y.exponent) {
    if (x.coefficient == 0 && y.coefficient == 0) return 0;
    if (x.negative != y.negative) return x.negative ? -1 : 1;
    int32_t magnitude = x.coefficient < y.coefficient ? -1 : x.coefficient > y.coefficient ? 1 : 0;
    return x.negative ? -magnitude : magnitude;
  }
  _IDEC_flags flags = 0;
  BID_UINT128 u = bid(a), v = bid(b);
  if (bid128_quiet_less(u, v, &flags)) return -1;
  return bid128_quiet_equal(u, v, &flags) ? 0 : 1;
}

int32_t flow_rt_decimal_eq(const FlowDecimal* a, const FlowDecimal* b) {
  return flow_rt_decimal_compare(a, b) == 0 ? 1 : 0;
}

void flow_rt_decimal_min(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out) {
  *out = flow_rt_decimal_compare(b, a) < 0 ? *b : *a;
}

void flow_rt_decimal_max(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out) {
  *out = flow_rt_decimal_compare(b, a) > 0 ? *b : *a;
}

uint64_t flow_rt_decimal_hash(const FlowDecimal* x) {
  Fields f = unpack(*x);
  if (f.coefficient == 0) return flow::mix64(0);
  // The cohort's member without trailing zeros stands for the value.
  while (f.coefficient % 10 == 0) {
    f.coefficient /= 10;
    ++f.exponent;
  }
  uint64_t h = flow::mix64(static_cast<uint64_t>(f.coefficient));
  h = flow::mix64(h ^ static_cast<uint64_t>(f.coefficient >> 64));
  return flow::mix64(h ^ (static_cast<uint64_t>(static_cast<uint32_t>(f.exponent)) << 1 | (f.negative ? 1 : 0)));
}

void flow_rt_decimal_from_int(int64_t v, FlowDecimal* out) {
  uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  *out = pack(v < 0, magnitude, 0);
}

int32_t flow_rt_decimal_to_int(const FlowDecimal* x, int64_t* out) {
  _IDEC_flags flags = 0;
  BID_SINT64 r = bid128_to_int64_xint(bid(x), &flags);
  // Inexact: not integral; invalid: out of range.
  if (flags & (BID_INEXACT_EXCEPTION | BID_INVALID_EXCEPTION)) return FLOW_RT_INVALID_NUMBER;
  *out = r;
  return FLOW_RT_OK;
}

int32_t flow_rt_decimal_floor(const FlowDecimal* x, int64_t* out) {
  _IDEC_flags flags = 0;
  BID_SINT64 r = bid128_to_int64_floor(bid(x), &flags);
  if (flags & BID_INVALID_EXCEPTION) return FLOW_RT_INVALID_NUMBER;  // outside int64
  *out = r;
  return FLOW_RT_OK;
}

int32_t flow_rt_decimal_ceil(const FlowDecimal* x, int64_t* out) {
  _IDEC_flags flags = 0;
  BID_SINT64 r = bid128_to_int64_ceil(bid(x), &flags);
  if (flags & BID_INVALID_EXCEPTION) return FLOW_RT_INVALID_NUMBER;  // outside int64
  *out = r;
  return FLOW_RT_OK;
}

double flow_rt_decimal_to_float(const FlowDecimal* x) {
  _IDEC_flags flags = 0;
  return bid128_to_binary64(bid(x), kHalfEven, &flags);
}

}  // extern "C"
