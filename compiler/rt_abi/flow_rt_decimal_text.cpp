// flow_rt decimals as text: the strict parser (a number's text to its exact
// decimal128, exponent kept), Python's `str()` formatting, and `decimal(f)`
// of a double through its shortest round-trip text. Works on the BID128
// fields directly (decimal_bits.h): Intel's own string functions round long
// inputs silently and print another format.
#include <array>
#include <charconv>
#include <cstring>

#include "rt_abi/decimal_bits.h"
#include "rt_abi/flow_rt_decimal.h"

namespace {

using namespace flow::rt_abi::decimal;

// Exponents far beyond any representable one saturate here, so that huge
// exponent texts cannot overflow the arithmetic below.
constexpr int64_t kExponentSaturation = int64_t{1} << 40;

bool is_digit(char c) {
  return static_cast<unsigned char>(c - '0') < 10;
}

// The significant digits of a number text: the coefficient (meaningful when
// there are at most kMaxDigits digits), how many there are, and the exponent
// of the last.
struct Scanned {
  bool negative = false;
  u128 coefficient = 0;     // wraps when there are too many digits, which is then an error
  int64_t significant = 0;  // digits from the first non-zero one (saturating)
  int64_t exponent = 0;
};

// 10^0 .. 10^19.
constexpr std::array<uint64_t, 20> kPow10 = [] {
  std::array<uint64_t, 20> table{};
  uint64_t v = 1;
  for (uint64_t& entry : table) {
    entry = v;
    v *= 10;  // wraps after the last entry, unused
  }
  return table;
}();

// Reads a digit run into `s`; returns how many digits it read. Digits are
// gathered 19 at a time in 64 bits, then added to the 128-bit coefficient.
uint64_t scan_digits(const char* p, const char* end, Scanned& s) {
  const char* start = p;
  if (s.significant == 0) {
    while (p != end && *p == '0') ++p;  // leading zeros are not significant
  }
  while (p != end && is_digit(*p)) {
    uint64_t chunk = 0;
    int n = 0;
    for (; n < 19 && p != end && is_digit(*p); ++n, ++p) chunk = chunk * 10 + static_cast<uint64_t>(*p - '0');
    s.coefficient = s.coefficient * kPow10[n] + chunk;
    s.significant = s.significant < kExponentSaturation ? s.significant + n : kExponentSaturation;
  }
  return static_cast<uint64_t>(p - start);
}

// Parses the syntax of flow_rt_decimal_parse; false when `text` is not a number.
bool scan(const char* p, const char* end, Scanned& s) {
  if (p != end && (*p == '+' || *p == '-')) s.negative = *p++ == '-';
  uint64_t int_digits = scan_digits(p, end, s);
  p += int_digits;
  uint64_t frac_digits = 0;
  if (p != end && *p == '.') {
    ++p;
    frac_digits = scan_digits(p, end, s);
    p += frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  int64_t exponent = 0;
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool negative = false;
    if (p != end && (*p == '+' || *p == '-')) negative = *p++ == '-';
    if (p == end || !is_digit(*p)) return false;
    for (; p != end && is_digit(*p); ++p) {
      if (exponent < kExponentSaturation) exponent = exponent * 10 + (*p - '0');
    }
    if (negative) exponent = -exponent;
  }
  if (p != end) return false;
  int64_t frac = frac_digits < static_cast<uint64_t>(kExponentSaturation) ? static_cast<int64_t>(frac_digits)
                                                                          : kExponentSaturation;
  s.exponent = exponent - frac;
  return true;
}

// The common case in one pass: `[+-]digits[.digits]` with at most 19
// digits and no exponent (amounts of money), which fits one 64-bit word and
// needs none of the range checks. False: not that form, scan() decides.
bool parse_plain(const char* p, const char* end, FlowDecimal* out) {
  bool negative = false;
  if (p != end && (*p == '+' || *p == '-')) negative = *p++ == '-';
  uint64_t coefficient = 0;
  int digits = 0, fraction = 0;
  bool dot = false;
  for (; p != end; ++p) {
    if (is_digit(*p)) {
      if (++digits > 19) return false;
      coefficient = coefficient * 10 + static_cast<uint64_t>(*p - '0');
      fraction += dot;
    } else if (*p == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  if (digits == 0) return false;
  *out = pack(negative, coefficient, -fraction);
  return true;
}

// Writes the decimal digits of c to `out` (no leading zeros; "0" for 0) and
// returns their number.
int write_digits(u128 c, char* out) {
  char tmp[40];
  int n = 0;
  // One 128-bit division splits c into 64-bit halves of 19 digits.
  constexpr uint64_t kTen19 = 10000000000000000000ull;
  uint64_t high = static_cast<uint64_t>(c / kTen19);
  uint64_t low = static_cast<uint64_t>(c % kTen19);
  for (int i = 0; i < 19 && (low != 0 || high != 0); ++i) {
    tmp[n++] = static_cast<char>('0' + low % 10);
    low /= 10;
  }
  for (; high != 0; high /= 10) tmp[n++] = static_cast<char>('0' + high % 10);
  if (n == 0) tmp[n++] = '0';
  for (int i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
  return n;
}

// The to-scientific-string of Python's Decimal.__str__.
uint32_t format_fields(const Fields& f, char* buffer) {
  char digits[40];
  int n = write_digits(f.coefficient, digits);
  char* out = buffer;
  if (f.negative) *out++ = '-';
  int32_t left = f.exponent + n;  // the exponent of the leading digit, plus one
  int32_t dot = f.exponent <= 0 && left > -6 ? left : 1;
  if (dot <= 0) {
    *out++ = '0';
    *out++ = '.';
    for (int32_t i = 0; i < -dot; ++i) *out++ = '0';
    std::memcpy(out, digits, static_cast<size_t>(n));
    out += n;
  } else if (dot >= n) {
    std::memcpy(out, digits, static_cast<size_t>(n));
    out += n;
    for (int32_t i = n; i < dot; ++i) *out++ = '0';
  } else {
    std::memcpy(out, digits, static_cast<size_t>(dot));
    out += dot;
    *out++ = '.';
    std::memcpy(out, digits + dot, static_cast<size_t>(n - dot));
    out += n - dot;
  }
  if (left != dot) {
    int32_t e = left - dot;
    *out++ = 'E';
    *out++ = e < 0 ? '-' : '+';
    out = std::to_chars(out, buffer + FLOW_DECIMAL_TEXT_CAPACITY - 1, e < 0 ? -e : e).ptr;
  }
  *out = '\0';
  return static_cast<uint32_t>(out - buffer);
}

}  // namespace

extern "C" {

int32_t flow_rt_decimal_parse(const char* text, uint64_t size, FlowDecimal* out) {
  if (parse_plain(text, text + size, out)) return FLOW_DECIMAL_PARSE_OK;
  Scanned s;
  if (!scan(text, text + size, s)) return FLOW_DECIMAL_PARSE_SYNTAX;
  if (s.significant == 0) {
    // Zero: any exponent, moved into range (Python's context clamps it too).
    int64_t e = s.exponent < kExponentMin ? kExponentMin : s.exponent > kExponentMax ? kExponentMax : s.exponent;
    *out = pack(s.negative, 0, static_cast<int32_t>(e));
    return FLOW_DECIMAL_PARSE_OK;
  }
  if (s.significant > kMaxDigits) return FLOW_DECIMAL_PARSE_TOO_MANY_DIGITS;
  if (s.exponent < kExponentMin || s.exponent + s.significant - 1 > kAdjustedMax)
    return FLOW_DECIMAL_PARSE_OUT_OF_RANGE;
  if (s.exponent > kExponentMax) {
    // Fits in 34 digits once padded, since the leading digit is within range.
    s.coefficient *= pow10(static_cast<int>(s.exponent - kExponentMax));
    s.exponent = kExponentMax;
  }
  *out = pack(s.negative, s.coefficient, static_cast<int32_t>(s.exponent));
  return FLOW_DECIMAL_PARSE_OK;
}

const char* flow_rt_decimal_parse_message(int32_t status) {
  switch (status) {
    case FLOW_DECIMAL_PARSE_OK: return "ok";
    case FLOW_DECIMAL_PARSE_SYNTAX: return "not a decimal number";
    case FLOW_DECIMAL_PARSE_TOO_MANY_DIGITS: return "more than 34 significant digits";
    case FLOW_DECIMAL_PARSE_OUT_OF_RANGE: return "exponent out of the decimal range (1E-6176 to 9.99E+6144)";
  }
  return "unknown decimal parse error";
}

uint32_t flow_rt_decimal_format(const FlowDecimal* x, char* buffer) {
  return format_fields(unpack(*x), buffer);
}

int32_t flow_rt_decimal_to_str(FlowArena* arena, const FlowDecimal* x, FlowStr* out) {
  char buffer[FLOW_DECIMAL_TEXT_CAPACITY];
  uint32_t size = flow_rt_decimal_format(x, buffer);
  void* memory = flow_rt_arena_alloc(arena, size, 1);
  if (memory == nullptr) return FLOW_RT_OUT_OF_MEMORY;
  std::memcpy(memory, buffer, size);
  *out = FlowStr{static_cast<const char*>(memory), size};
  return FLOW_RT_OK;
}

int32_t flow_rt_decimal_from_float(double v, FlowDecimal* out) {
  if (!(v - v == 0.0)) return FLOW_RT_INVALID_NUMBER;  // NaN or infinite
  // Shortest round-trip digits, as d.ddde±x; at most 17 digits and an
  // exponent within ±324, so every step below stays in range.
  char text[40];
  char* end = std::to_chars(text, text + sizeof text, v, std::chars_format::scientific).ptr;
  Scanned s;
  scan(text, end, s);
  if (s.significant == 0) {
    *out = pack(s.negative, 0, 0);
    return FLOW_RT_OK;
  }
  if (s.exponent > 0 && s.significant + s.exponent <= kMaxDigits) {
    s.coefficient *= pow10(static_cast<int>(s.exponent));
    s.exponent = 0;
  }
  *out = pack(s.negative, s.coefficient, static_cast<int32_t>(s.exponent));
  return FLOW_RT_OK;
}

}  // extern "C"
