// Durations as JSON text (duration_text.h).
#include "ingress/duration_text.h"

#include <cstring>
#include <string_view>

namespace flow::runtime {

namespace {

constexpr int64_t kMs = 1000;
constexpr int64_t kSecond = 1000 * kMs;

struct Unit {
  std::string_view name;
  uint64_t micros;
};
// Largest first: the formatter picks the first exact one.
constexpr Unit kUnits[] = {
    {"d", 86400 * kSecond}, {"h", 3600 * kSecond}, {"m", 60 * kSecond}, {"s", kSecond}, {"ms", kMs}};

char* write_uint(uint64_t value, char* out) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) *out++ = digits[--n];
  return out;
}

}  // namespace

std::optional<int64_t> parse_duration_text(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  // Digits, with `_` separators after the first digit (as in Flow literals).
  uint64_t whole = 0;
  size_t pos = 0;
  bool any = false;
  while (pos < text.size() && ((text[pos] >= '0' && text[pos] <= '9') || (text[pos] == '_' && any))) {
    if (text[pos] != '_') {
      if (whole > (UINT64_MAX - 9) / 10) return std::nullopt;
      whole = whole * 10 + static_cast<uint64_t>(text[pos] - '0');
      any = true;
    }
    ++pos;
  }
  if (!any) return std::nullopt;
  uint64_t fraction_micros = 0;  // only "<n>.<ddd>ms"
  bool has_fraction = false;
  if (pos < text.size() && text[pos] == '.') {
    has_fraction = true;
    ++pos;
    size_t start = pos;
    uint64_t scale = 100;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (pos - start >= 3) return std::nullopt;  // finer than a microsecond
      fraction_micros += static_cast<uint64_t>(text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::string_view unit = text.substr(pos);
  uint64_t scale = 0;
  for (const Unit& u : kUnits) {
    if (unit == u.name) scale = u.micros;
  }
  if (scale == 0 || (has_fraction && unit != "ms")) return std::nullopt;
  uint64_t magnitude;
  if (__builtin_mul_overflow(whole, scale, &magnitude) ||
      __builtin_add_overflow(magnitude, fraction_micros, &magnitude)) {
    return std::nullopt;
  }
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (magnitude > limit) return std::nullopt;
  // Two's complement negation of the magnitude also covers INT64_MIN.
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

char* format_duration_text(int64_t micros, char* out) {
  if (micros == 0) {
    std::memcpy(out, "0s", 2);
    return out + 2;
  }
  uint64_t magnitude = static_cast<uint64_t>(micros);
  if (micros < 0) {
    *out++ = '-';
    magnitude = 0 - magnitude;
  }
  for (const Unit& u : kUnits) {
    if (magnitude % u.micros == 0) {
      out = write_uint(magnitude / u.micros, out);
      std::memcpy(out, u.name.data(), u.name.size());
      return out + u.name.size();
    }
  }
  out = write_uint(magnitude / 1000, out);
  *out++ = '.';
  const auto rest = static_cast<unsigned>(magnitude % 1000);
  out[0] = static_cast<char>('0' + rest / 100);
  out[1] = static_cast<char>('0' + rest / 10 % 10);
  out[2] = static_cast<char>('0' + rest % 10);
  std::memcpy(out + 3, "ms", 2);
  return out + 5;
}

}  // namespace flow::runtime
