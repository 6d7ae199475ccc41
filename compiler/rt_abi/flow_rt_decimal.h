/* flow_rt decimals: the exact base-10 arithmetic of Flow's `decimal` type.
 *
 * A value is an IEEE 754-2008 decimal128 in the binary integer (BID)
 * encoding: a sign, a coefficient of at most 34 decimal digits and an
 * exponent, so 12.50 (1250 × 10^-2) and 12.5 (125 × 10^-1) are distinct
 * members of one cohort that compare equal and print as written. The
 * arithmetic is that of Python's `decimal` module in the context
 * `Context(prec=34, rounding=ROUND_HALF_EVEN, Emax=6144, Emin=-6143,
 * clamp=1)`: `+ - *` are exact unless a result needs more than 34 digits,
 * `/` rounds half-even to 34 digits, and text is Python's `str()` of the
 * value, byte for byte (docs/evaluation.md, "Decimals"). `+ - * / %`,
 * `round`, `floor`, `ceil`, comparison across exponents and the int and
 * float conversions call Intel's Decimal Floating-Point Math Library (Debian's
 * libintelrdfpmath-dev) with the rounding mode and status flags passed as
 * arguments, so every function is thread-safe; parsing, printing, signs,
 * comparison at equal exponents and hashing work on the bits directly.
 *
 * Like flow_rt.h this is a plain C interface for both back ends: values
 * cross it by pointer (never by value, see flow_rt.h), an output may alias
 * an input, and fallible functions return a FlowRtStatus (parsing its own
 * FlowDecimalParseStatus, whose reasons ingress reports). Nothing here
 * throws, aborts or keeps state. Limits: no NaN or infinity is ever
 * produced (those cases are errors); `round` accepts only target exponents
 * decimal128 can encode (see flow_rt_decimal_round).
 */
#ifndef FLOW_RT_DECIMAL_H
#define FLOW_RT_DECIMAL_H

#include <stdint.h>

#include "rt_abi/flow_rt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A decimal value: the 128 bits of its BID encoding, w[0] the low word.
 *  Trivially copyable; equal bits mean equal values, not the reverse
 *  (1.0 and 1.00 differ in bits). */
typedef struct FlowDecimal {
  uint64_t w[2];
} FlowDecimal;

/* ---- Text ---------------------------------------------------------------- */

/** Outcome of flow_rt_decimal_parse. */
typedef enum FlowDecimalParseStatus {
  FLOW_DECIMAL_PARSE_OK = 0,
  FLOW_DECIMAL_PARSE_SYNTAX = 1,          /* not a decimal number (NaN and infinities included) */
  FLOW_DECIMAL_PARSE_TOO_MANY_DIGITS = 2, /* more than 34 significant digits */
  FLOW_DECIMAL_PARSE_OUT_OF_RANGE = 3,    /* the exponent is beyond what decimal128 holds exactly */
} FlowDecimalParseStatus;

/** Bytes flow_rt_decimal_format may write, the terminating NUL included. */
#define FLOW_DECIMAL_TEXT_CAPACITY 48

/** The exact value of `text` (`size` bytes, no NUL needed), keeping its
 *  exponent: `12.50` stays 1250 × 10^-2. Syntax: an optional sign, digits
 *  with an optional point (`5`, `5.`, `.5`, `12.50`), an optional exponent
 *  (`e` or `E`, optional sign, digits); no spaces, no underscores. Never
 *  rounds: more than 34 significant digits (leading zeros are not
 *  significant, trailing ones are) is FLOW_DECIMAL_PARSE_TOO_MANY_DIGITS,
 *  and a value beyond ±9.99…E+6144 or with digits below 10^-6176 is
 *  FLOW_DECIMAL_PARSE_OUT_OF_RANGE. As in Python's context, zeros whose
 *  exponent lies outside -6176..6111 take the nearest one, and an exponent
 *  above 6111 is lowered by padding the coefficient with zeros
 *  (`1E+6144` prints `1.000000000000000000000000000000000E+6144`).
 *  Returns a FlowDecimalParseStatus; `out` is written only on success. */
int32_t flow_rt_decimal_parse(const char* text, uint64_t size, FlowDecimal* out);
/** An English description of a FlowDecimalParseStatus ("more than 34 significant digits"). */
const char* flow_rt_decimal_parse_message(int32_t status);

/** Python's `str()` of the value (the to-scientific-string of the General
 *  Decimal Arithmetic specification): `12.50`, `-0`, `1E+3`, `1.5E-7`,
 *  `0.000001`. Writes at most FLOW_DECIMAL_TEXT_CAPACITY bytes to `buffer`,
 *  NUL-terminated, and returns the length without the NUL. */
uint32_t flow_rt_decimal_format(const FlowDecimal* x, char* buffer);
/** The same text, in the arena. Fails only with FLOW_RT_OUT_OF_MEMORY. */
int32_t flow_rt_decimal_to_str(FlowArena* arena, const FlowDecimal* x, FlowStr* out);

/* ---- Arithmetic ------------------------------------------------------------
 * Results are exact when they fit in 34 digits and otherwise rounded half-even
 * to 34 digits; results below 10^-6176 in magnitude round to subnormals or
 * zero, as in Python. Errors: FLOW_RT_OVERFLOW when the rounded magnitude
 * exceeds 9.99…E+6144, FLOW_RT_DIVISION_BY_ZERO for `x / 0` (also `0 / 0`). */

int32_t flow_rt_decimal_add(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out);
int32_t flow_rt_decimal_sub(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out);
int32_t flow_rt_decimal_mul(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out);
int32_t flow_rt_decimal_div(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out);
/** Python's `a % b`: a - b * q for the integer quotient q = a / b truncated
 *  toward zero, exact, with the sign of `a` (zeros included: -6 % 3 is -0)
 *  and the smaller exponent of the two (1.5 % 10.00 is 1.50).
 *  FLOW_RT_DIVISION_BY_ZERO when b is zero (0 % 0 too);
 *  FLOW_RT_INVALID_NUMBER when q needs more than 34 digits (Python's
 *  DivisionImpossible: 1E+33 % 0.1). */
int32_t flow_rt_decimal_rem(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out);
/** Python's `-x`: the sign flips, except that the negation of a zero is +0. */
void flow_rt_decimal_neg(const FlowDecimal* x, FlowDecimal* out);
/** Python's `abs(x)`: the sign cleared. */
void flow_rt_decimal_abs(const FlowDecimal* x, FlowDecimal* out);
/** x rounded half-even to `places` digits after the point (negative places
 *  round to tens, hundreds, …): Python's
 *  `x.quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN)`, so the result
 *  has exactly that exponent (`round(2.5, 0)` is `2`, `round(1, 2)` is
 *  `1.00`). FLOW_RT_INVALID_NUMBER when the result would need more than 34
 *  digits or `places` is outside -6111..6176 (the exponents decimal128
 *  encodes; Python folds a few more, which Flow does not). */
int32_t flow_rt_decimal_round(const FlowDecimal* x, int64_t places, FlowDecimal* out);

/* ---- Comparison and hashing ----------------------------------------------
 * By value: 1.0 == 1.00 and -0 == 0. Total, since there is no NaN. */

/** -1, 0 or 1. */
int32_t flow_rt_decimal_compare(const FlowDecimal* a, const FlowDecimal* b);
/** 1 when equal in value, else 0. */
int32_t flow_rt_decimal_eq(const FlowDecimal* a, const FlowDecimal* b);
/** Python's `min(a, b)` / `max(a, b)`: `a` on ties (so min(1.0, 1.00) is 1.0). */
void flow_rt_decimal_min(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out);
void flow_rt_decimal_max(const FlowDecimal* a, const FlowDecimal* b, FlowDecimal* out);
/** Equal values hash alike (1.0, 1.00 and 1; 0 and -0). Stable across runs
 *  and machines. */
uint64_t flow_rt_decimal_hash(const FlowDecimal* x);

/* ---- Conversions ----------------------------------------------------------- */

/** The int exactly, exponent 0 (`7` prints `7`). */
void flow_rt_decimal_from_int(int64_t v, FlowDecimal* out);
/** The int value when `x` is integral and in int64 range (`12.00` gives 12),
 *  else FLOW_RT_INVALID_NUMBER. */
int32_t flow_rt_decimal_to_int(const FlowDecimal* x, int64_t* out);
/** `decimal(f)`: the shortest decimal text that reads back as `v` (as
 *  Python's `repr(v)` and C++'s std::to_chars choose it), so
 *  `decimal(0.1) == 0.1d`. The exponent is 0 when the value is an integer
 *  of at most 34 digits (`decimal(100.0)` prints `100`, `decimal(1e22)`
 *  `10000000000000000000000`), otherwise that of the last shortest digit
 *  (`1.5E-7`, `1E+300`). -0.0 gives -0. NaN and infinities give
 *  FLOW_RT_INVALID_NUMBER. */
int32_t flow_rt_decimal_from_float(double v, FlowDecimal* out);
/** Python's `math.floor(x)` / `math.ceil(x)`: the greatest int <= x / the
 *  least int >= x; FLOW_RT_INVALID_NUMBER when that is outside int64. */
int32_t flow_rt_decimal_floor(const FlowDecimal* x, int64_t* out);
int32_t flow_rt_decimal_ceil(const FlowDecimal* x, int64_t* out);
/** The nearest double (ties to even), ±infinity beyond the double range,
 *  ±0.0 below it: Python's `float(x)`. */
double flow_rt_decimal_to_float(const FlowDecimal* x);

#ifdef __cplusplus
}
#endif

#endif /* FLOW_RT_DECIMAL_H */
