// Duration parsing and timestamp/duration formatting for JSON (time_text.h).
#include "ingress/time_text.h"

#include <cstring>
#include <string>

#include "support/time_format.h"

namespace flow::runtime {

namespace {

constexpr int64_t kMs = 1000;
constexpr int64_t kSecond = 1000 * kMs;

struct Unit {
  std::string_view name;
  uint64_t micros;
};
// Largest first: the formatter picks the first exact one.
constexpr Unit kUnits[] = {{"d", 86400 * kSecond}, {"h", 3600 * kSecond}, {"m", 60 * kSecond},
                           {"s", kSecond},         {"ms", kMs}};

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

char* write_2(unsigned value, char* out) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

/// Two digits at p (the caller checked the length); -1 when not digits.
int two_digits(const char* p) {
  const unsigned a = static_cast<unsigned char>(p[0]) - '0', b = static_cast<unsigned char>(p[1]) - '0';
  return a < 10 && b < 10 ? static_cast<int>(a * 10 + b) : -1;
}

bool is_leap(int year) {
  return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);  // mostly one AND
}

}  // namespace

std::optional<int64_t> parse_timestamp_text(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.f+](Z|+HH:MM|-HH:MM); the shortest is 20 bytes.
  if (s.size() < 20) return std::nullopt;
  const char* p = s.data();
  const int y1 = two_digits(p), y2 = two_digits(p + 2), month = two_digits(p + 5), day = two_digits(p + 8);
  const int hour = two_digits(p + 11), minute = two_digits(p + 14), second = two_digits(p + 17);
  if ((y1 | y2 | month | day | hour | minute | second) < 0 || p[4] != '-' || p[7] != '-' ||
      (p[10] != 'T' && p[10] != 't') || p[13] != ':' || p[16] != ':') {
    return std::nullopt;
  }
  const int year = y1 * 100 + y2;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  const int max_day = kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  if (day > max_day || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  size_t pos = 19;
  int64_t micros = 0;
  if (s[pos] == '.') {
    ++pos;
    const size_t start = pos;
    int64_t scale = 100000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      micros += (s[pos] - '0') * scale;  // digits past microseconds count for nothing (scale 0)
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    if (s.size() - pos < 6 || s[pos + 3] != ':') return std::nullopt;
    const int oh = two_digits(p + pos + 1), om = two_digits(p + pos + 4);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
    offset_seconds = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + (second == 60 ? 59 : second) - offset_seconds;
  return seconds * kSecond + micros;
}

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
  unsigned rest = static_cast<unsigned>(magnitude % 1000);
  *out++ = static_cast<char>('0' + rest / 100);
  out = write_2(rest % 100, out);
  std::memcpy(out, "ms", 2);
  return out + 2;
}

char* format_timestamp_text(int64_t micros, char* out) {
  // Floor division: the second and the day that contain `micros`.
  int64_t seconds = micros / kSecond;
  int64_t fraction = micros % kSecond;
  if (fraction < 0) {
    fraction += kSecond;
    seconds -= 1;
  }
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  CivilDate date = civil_from_days(days);
  if (date.year < 0 || date.year > 9999) {
    std::string text = format_timestamp(micros);
    std::memcpy(out, text.data(), text.size());
    return out + text.size();
  }
  unsigned year = static_cast<unsigned>(date.year);
  out = write_2(year / 100, out);
  out = write_2(year % 100, out);
  *out++ = '-';
  out = write_2(date.month, out);
  *out++ = '-';
  out = write_2(date.day, out);
  *out++ = 'T';
  out = write_2(static_cast<unsigned>(rem / 3600), out);
  *out++ = ':';
  out = write_2(static_cast<unsigned>(rem / 60 % 60), out);
  *out++ = ':';
  out = write_2(static_cast<unsigned>(rem % 60), out);
  if (fraction != 0) {
    *out++ = '.';
    unsigned f = static_cast<unsigned>(fraction);
    out = write_2(f / 10000, out);
    out = write_2(f / 100 % 100, out);
    out = write_2(f % 100, out);
  }
  *out++ = 'Z';
  return out;
}

}  // namespace flow::runtime
