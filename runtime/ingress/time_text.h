// Timestamps and durations as JSON text, on the ingress/egress hot path.
// Parsing timestamps reuses flow::parse_timestamp (support/time_format.h);
// what is here is a faster equivalent of it for the hot path, and what that
// shared code does not cover for JSON:
//  - durations with a sign and the fractional-millisecond form that
//    flow::format_duration prints ("-15m", "1.500ms"), so every duration an
//    event can hold survives encode -> decode exactly;
//  - formatting straight into an output buffer, without snprintf or a
//    temporary std::string.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace flow::runtime {

/// An RFC 3339 timestamp, exactly as flow::parse_timestamp reads it (same
/// results for every input), but without its per-digit bounds checks: the
/// decoder parses one or two timestamps per event.
std::optional<int64_t> parse_timestamp_text(std::string_view text);

/// A duration in JSON: Flow's literal form (`250ms`, `15m`, `1_000s`,
/// units ms s m h d), optionally with a leading `-`, or milliseconds with up
/// to three decimals (`1.500ms`). Nothing when malformed or out of range.
std::optional<int64_t> parse_duration_text(std::string_view text);

/// Longest text the formatters below write.
constexpr size_t kMaxTimeText = 40;

/// Writes the duration in the largest unit that is exact (`90s`, `-2h`,
/// `0s`), else as milliseconds with three decimals; returns the end.
char* format_duration_text(int64_t micros, char* out);

/// Writes an RFC 3339 UTC timestamp (`2026-01-31T12:00:00Z`, with
/// `.ffffff` only when the microseconds are not zero); returns the end.
/// Years outside 0000-9999 have no RFC 3339 form: they are written as
/// flow::format_timestamp does, which the decoder then refuses.
char* format_timestamp_text(int64_t micros, char* out);

}  // namespace flow::runtime
