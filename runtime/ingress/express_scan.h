// Internal to the ingress library: the token-level scanning of the express
// tier (express_decoder.h), apart from the decoder that drives it: bytes
// tested eight (or, with SSE2, sixteen) at a time, JSON numbers read and
// converted only when that is exact, and the digit checks of its timestamp
// parser. Everything here is inline: it runs for every byte of every line.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace flow::runtime::express_scan {

// ---- Eight bytes at a time --------------------------------------------------

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

/// Eight bytes with the first one lowest, so that the index of the first
/// flagged byte is (trailing zero bits) / 8 on any machine.
inline uint64_t load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}

/// Flags (the byte's high bit) the bytes that stop a plain-string scan: '"'
/// ends the string; a backslash (an escape needs unescaping) and control
/// bytes (not allowed raw in JSON) hand the line to the DOM path; bytes
/// >= 0x80 are noted for the UTF-8 check.
///
/// Per byte b, with no borrow from below: (b ^ '"') - 1 has its high bit
/// set when b is '"', and otherwise only when b >= 0x80; likewise for '\\';
/// b - 0x20 when b < 0x20, and otherwise only when b >= 0xA0; b itself when
/// b >= 0x80. So the OR flags exactly the stops. A subtraction borrows out
/// of a byte only when that byte is flagged, so a flag can be wrong only
/// above a right one: the lowest flag is always right, which is all the
/// scanner uses.
inline uint64_t string_stops(uint64_t w) {
  return (((w ^ (kOnes * '"')) - kOnes) | ((w ^ (kOnes * '\\')) - kOnes) | (w - kOnes * 0x20) | w) & kHighs;
}

#if defined(__SSE2__)
/// Sixteen bytes at a time where SSE2 is there (every x86-64): one bit per
/// byte that stops a plain-string scan, as string_stops has them. A signed
/// compare with 0x20 takes both the control bytes and those >= 0x80.
constexpr int kStopsWidth = 16, kStopsBits = 1;
inline unsigned string_stops_at(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i stops =
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                   _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
  return static_cast<unsigned>(_mm_movemask_epi8(stops));
}
#else
constexpr int kStopsWidth = 8, kStopsBits = 8;
inline uint64_t string_stops_at(const char* p) {
  return string_stops(load8(p));
}
#endif

inline bool is_whitespace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// ---- Numbers ----------------------------------------------------------------

inline bool is_digit(char c) {
  return static_cast<unsigned char>(c - '0') < 10;
}

/// A JSON number as read: `digits` * 10^`exponent`, negated when `negative`.
struct Number {
  uint64_t digits = 0;  // the integer part and the fraction's digits as one integer
  int exponent = 0;     // the exponent minus the number of fraction digits
  bool negative = false;
  bool integral = true;     // an integer literal: no fraction, no exponent
  bool scientific = false;  // written with an exponent (`e`, `E`)
};

/// A uint64 holds any 19 decimal digits.
constexpr int kMaxDigits = 19;
/// Longer exponents are left to the DOM path (they are beyond exact anyway).
constexpr int kMaxExponentDigits = 4;
/// Integers up to 2^53 are exact doubles.
constexpr uint64_t kMaxExactInteger = uint64_t{1} << 53;
/// Powers of ten that are exact doubles.
constexpr double kExactPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int kMaxExactPower = 22;

/// Appends the digits at `p` to `value`; null past kMaxDigits in all.
inline const char* read_digits(const char* p, uint64_t& value, int& count) {
  for (; is_digit(*p); ++p) {
    if (++count > kMaxDigits) return nullptr;
    value = value * 10 + static_cast<uint64_t>(*p - '0');
  }
  return p;
}

/// The exponent digits at `p` (after `e` and its sign).
inline const char* read_exponent(const char* p, int& exponent) {
  int count = 0;
  for (; is_digit(*p); ++p) {
    if (++count > kMaxExponentDigits) return nullptr;
    exponent = exponent * 10 + (*p - '0');
  }
  return count ? p : nullptr;
}

/// A number at `p` in JSON's grammar, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?,
/// within the limits above. Reads at most about 30 bytes; the caller checks
/// that the end is within the line (the next token is).
[[gnu::always_inline]] inline const char* scan_number(const char* p, Number& n) {
  n.negative = *p == '-';
  p += n.negative;
  int count = 0;
  if (*p == '0') {
    ++p;
    ++count;
    if (is_digit(*p)) return nullptr;  // leading zeros are not JSON
  } else if (!is_digit(*p) || !(p = read_digits(p, n.digits, count))) {
    return nullptr;
  }
  if (*p == '.') {
    const int before = count;
    if (!(p = read_digits(p + 1, n.digits, count)) || count == before) return nullptr;
    n.exponent = before - count;
    n.integral = false;
  }
  if (*p == 'e' || *p == 'E') {
    ++p;
    n.scientific = true;
    const bool negative = *p == '-';
    if (*p == '-' || *p == '+') ++p;
    int e = 0;
    if (!(p = read_exponent(p, e))) return nullptr;
    n.exponent += negative ? -e : e;
    n.integral = false;
  }
  return p;
}

/// The number as an int64, as simdjson reads an integer literal (`-0` is 0).
inline bool to_int(const Number& n, int64_t& value) {
  if (!n.integral || n.digits > uint64_t{INT64_MAX} + (n.negative ? 1 : 0)) return false;
  value = static_cast<int64_t>(n.negative ? 0 - n.digits : n.digits);
  return true;
}

/// The number as a double when that is exact without a general parser
/// (Clinger's fast path): the digits and the power of ten are exact doubles,
/// so one multiplication or division rounds correctly, as simdjson's parser
/// does. An integer literal converts as the DOM path converts its int64
/// (`-0` is 0.0, while `-0.0` is -0.0).
inline bool to_double(const Number& n, double& value) {
  if (n.digits > kMaxExactInteger) return false;
  const double d = static_cast<double>(n.digits);
  if (n.integral) {
    value = n.negative && n.digits != 0 ? -d : d;
    return true;
  }
  if (n.exponent < -kMaxExactPower || n.exponent > kMaxExactPower) return false;
  const double magnitude = n.exponent < 0 ? d / kExactPowers[-n.exponent] : d * kExactPowers[n.exponent];
  value = n.negative ? -magnitude : magnitude;
  return true;
}

/// Whether the float read from `n` is written back (write_float_text) as
/// the very text it was read from, judged for the commonest form only: no
/// exponent, one to three decimals, the last not 0, below 1e9 in magnitude.
/// The encoder writes such a value in exactly that form (its short-decimal
/// case: no shorter decimal reads back to the same double). False for every
/// other text, which may or may not be written the same.
inline bool is_short_float_text(const Number& n) {
  static constexpr uint64_t kLimit[] = {0, 10'000'000'000, 100'000'000'000, 1'000'000'000'000};  // 1e9 scaled
  return !n.scientific && n.exponent >= -3 && n.exponent <= -1 && n.digits % 10 != 0 && n.digits < kLimit[-n.exponent];
}

/// The end of the JSON number at `p` (any number of digits; the decimal
/// parser limits them), or null when none is there; never reads past `end`.
inline const char* scan_number_text(const char* p, const char* end) {
  const auto digits = [end](const char* q) {
    const char* start = q;
    while (q < end && is_digit(*q)) ++q;
    return q == start ? nullptr : q;
  };
  if (p < end && *p == '-') ++p;
  if (p < end && *p == '0') {
    ++p;
  } else if (!(p = digits(p))) {
    return nullptr;
  }
  if (p < end && *p == '.' && !(p = digits(p + 1))) return nullptr;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '-' || *p == '+')) ++p;
    if (!(p = digits(p))) return nullptr;
  }
  return p;
}

/// Whether the JSON number text [p, end) is what Python's str() (and so the
/// encoder, flow_rt_decimal_format) writes for the decimal read from it: no
/// exponent, and not so small that str() switches to one (an adjusted
/// exponent below -6: `0.0000001` is written `1E-7`).
inline bool is_decimal_text_as_written(const char* p, const char* end) {
  if (p < end && *p == '-') ++p;
  if (p == end || !is_digit(*p)) return false;  // a string, not a number
  for (const char* q = p; q < end; ++q) {
    if (*q == 'e' || *q == 'E') return false;
  }
  if (*p != '0' || p + 1 == end) return true;  // an integer part other than 0, or 0 itself
  // 0.ddd: the zeros after the point decide.
  const char* fraction = p + 2;
  const char* q = fraction;
  while (q < end && *q == '0') ++q;
  return q == end ? end - fraction <= 6 : q - fraction <= 5;
}

// ---- Timestamps -------------------------------------------------------------

/// Whether all eight bytes of `w` are ASCII digits: each high nibble is 3,
/// and adding 6 does not carry past 9 (a carry out of a byte happens only
/// from a byte that already fails).
inline bool eight_digits(uint64_t w) {
  constexpr uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0ull;
  return ((w & kHighNibbles) | (((w + kOnes * 6) & kHighNibbles) >> 4)) == kOnes * 0x33;
}

/// Byte `i` of a word (as load8 reads it) set to `value`.
constexpr uint64_t byte_at(int i, uint8_t value) {
  return uint64_t{value} << (8 * i);
}

/// The bytes of `w` outside `digits` replaced by '0', so that eight_digits
/// checks only those in `digits`.
inline uint64_t only_digits(uint64_t w, uint64_t digits) {
  return (w & digits) | (kOnes * '0' & ~digits);
}

}  // namespace flow::runtime::express_scan
