// RFC 3339 timestamps and duration literals (time_format.h).
#include "base/time_format.h"

#include <cstdio>

namespace flow {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

namespace {

constexpr int64_t kSecond = 1000000;

/// Two digits at p (the caller checked the length); -1 when not digits.
int two_digits(const char* p) {
  const unsigned a = static_cast<unsigned char>(p[0]) - '0', b = static_cast<unsigned char>(p[1]) - '0';
  return a < 10 && b < 10 ? static_cast<int>(a * 10 + b) : -1;
}

char* write_2(unsigned value, char* out) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

}  // namespace

std::optional<int64_t> parse_timestamp(std::string_view s) {
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
  if (!valid_date_time(year, month, day, hour, minute, second)) return std::nullopt;
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
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + (second == 60 ? 59 : second) - offset_seconds;
  return seconds * kSecond + micros;
}

char* write_timestamp(int64_t micros, char* out) {
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
  const CivilDate date = civil_from_days(days);
  if (date.year < 0 || date.year > 9999) {
    const int n =
        std::snprintf(out, kMaxTimestampText, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                      static_cast<long long>(date.year), date.month, date.day, static_cast<long long>(rem / 3600),
                      static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
    out += n;
  } else {
    const auto year = static_cast<unsigned>(date.year);
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
  }
  if (fraction != 0) {
    *out++ = '.';
    const auto f = static_cast<unsigned>(fraction);
    out = write_2(f / 10000, out);
    out = write_2(f / 100 % 100, out);
    out = write_2(f % 100, out);
  }
  *out++ = 'Z';
  return out;
}

std::string format_timestamp(int64_t micros) {
  char buffer[kMaxTimestampText];
  return std::string(buffer, write_timestamp(micros, buffer));
}

std::optional<int64_t> parse_duration(std::string_view s) {
  size_t pos = 0;
  int64_t value = 0;
  bool any = false;
  while (pos < s.size() && ((s[pos] >= '0' && s[pos] <= '9') || (s[pos] == '_' && any))) {
    if (s[pos] != '_') {
      if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, s[pos] - '0', &value)) {
        return std::nullopt;
      }
      any = true;
    }
    ++pos;
  }
  if (!any) return std::nullopt;
  std::string_view unit = s.substr(pos);
  int64_t scale;
  if (unit == "ms")
    scale = 1000;
  else if (unit == "s")
    scale = 1000000;
  else if (unit == "m")
    scale = 60LL * 1000000;
  else if (unit == "h")
    scale = 3600LL * 1000000;
  else if (unit == "d")
    scale = 86400LL * 1000000;
  else
    return std::nullopt;
  int64_t result;
  if (__builtin_mul_overflow(value, scale, &result)) return std::nullopt;
  return result;
}

std::string format_duration(int64_t micros) {
  struct Unit {
    const char* name;
    int64_t scale;
  };
  static const Unit kUnits[] = {
      {"d", 86400LL * 1000000}, {"h", 3600LL * 1000000}, {"m", 60LL * 1000000}, {"s", 1000000}, {"ms", 1000}};
  for (const auto& unit : kUnits) {
    if (micros != 0 && micros % unit.scale == 0) return std::to_string(micros / unit.scale) + unit.name;
  }
  if (micros == 0) return "0s";
  // Not expressible as a literal: print milliseconds with a fraction.
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.3fms", static_cast<double>(micros) / 1000.0);
  return buffer;
}

}  // namespace flow
