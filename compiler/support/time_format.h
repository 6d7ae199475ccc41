// Timestamps and durations in Flow's textual forms: RFC 3339 timestamps
// (`2026-01-31T12:00:00Z`) and duration literals (`250ms`, `15m`). Shared by
// the compiler (literals), the runtime (JSON fields) and the journal tools.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flow {

/// Microseconds since 1970-01-01T00:00:00Z for an RFC 3339 timestamp, or
/// nothing when the text is not one (or is out of range).
std::optional<int64_t> parse_timestamp(std::string_view text);
/// RFC 3339 in UTC with microseconds only when non-zero.
std::string format_timestamp(int64_t micros);

/// Microseconds for `<digits>(ms|s|m|h|d)` (digits may contain `_`).
std::optional<int64_t> parse_duration(std::string_view text);
/// The literal form with the largest exact unit (90000000 -> "90s"); values
/// that are no whole number of milliseconds print as fractional "ms".
std::string format_duration(int64_t micros);

/// Days since the epoch for a proleptic Gregorian date.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
struct CivilDate {
  int64_t year;
  unsigned month, day;
};
CivilDate civil_from_days(int64_t days);

}  // namespace flow
