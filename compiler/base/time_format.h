// Timestamps and durations in Flow's textual forms: RFC 3339 timestamps
// (`2026-01-31T12:00:00Z`) and duration literals (`250ms`, `15m`). Shared by
// the compiler (literals), the runtime (JSON fields) and the journal tools:
// this is the one RFC 3339 parser and formatter. Both run on the runtime's
// hot path (one or two timestamps per event decoded or encoded), so the
// parser reads two digits at a time and the formatter writes into a buffer.
//
// Durations in JSON also take a sign and fractional milliseconds; those
// forms are the ingress's (runtime/ingress/duration_text.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flow {

/// Microseconds since 1970-01-01T00:00:00Z for an RFC 3339 timestamp, or
/// nothing when the text is not one (or is out of range). `T`, `Z` may be
/// lower case; fraction digits past the microsecond are dropped; a leap
/// second (:60) reads as :59.
std::optional<int64_t> parse_timestamp(std::string_view text);
/// RFC 3339 in UTC with microseconds only when non-zero.
std::string format_timestamp(int64_t micros);
/// Longest text write_timestamp writes.
constexpr size_t kMaxTimestampText = 40;
/// Writes format_timestamp's text to `out` (room for kMaxTimestampText
/// bytes); returns the end. Years outside 0000-9999 have no RFC 3339 form:
/// they are written with their sign and digits as they come, and
/// parse_timestamp refuses them.
char* write_timestamp(int64_t micros, char* out);

/// Microseconds for `<digits>(ms|s|m|h|d)` (digits may contain `_`).
std::optional<int64_t> parse_duration(std::string_view text);
/// The literal form with the largest exact unit (90000000 -> "90s"); values
/// that are no whole number of milliseconds print as fractional "ms".
std::string format_duration(int64_t micros);

inline bool is_leap_year(int64_t year) {
  return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);  // mostly one AND
}

/// True when the fields are a date and a time of day that RFC 3339 allows
/// (second 60 is a leap second).
inline bool valid_date_time(int year, int month, int day, int hour, int minute, int second) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const int max_day = kDays[month - 1] + (month == 2 && is_leap_year(year) ? 1 : 0);
  return day <= max_day && hour <= 23 && minute <= 59 && second <= 60;
}

/// Days since the epoch for a proleptic Gregorian date.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
struct CivilDate {
  int64_t year;
  unsigned month, day;
};
CivilDate civil_from_days(int64_t days);

}  // namespace flow
