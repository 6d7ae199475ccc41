// Durations as JSON text, on the ingress/egress hot path. Flow's literal
// forms are flow::parse_duration / flow::format_duration
// (base/time_format.h); JSON also carries what a literal cannot say, so
// here are:
//  - durations with a sign and the fractional-millisecond form that
//    flow::format_duration prints ("-15m", "1.500ms"), so every duration an
//    event can hold survives encode -> decode exactly;
//  - formatting straight into an output buffer, without snprintf or a
//    temporary std::string.
// Timestamps in JSON are RFC 3339 text: flow::parse_timestamp and
// flow::write_timestamp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace flow::runtime {

/// A duration in JSON: Flow's literal form (`250ms`, `15m`, `1_000s`,
/// units ms s m h d), optionally with a leading `-`, or milliseconds with up
/// to three decimals (`1.500ms`). Nothing when malformed or out of range.
std::optional<int64_t> parse_duration_text(std::string_view text);

/// Longest text format_duration_text writes.
constexpr size_t kMaxDurationText = 40;

/// Writes the duration in the largest unit that is exact (`90s`, `-2h`,
/// `0s`), else as milliseconds with three decimals; returns the end.
char* format_duration_text(int64_t micros, char* out);

}  // namespace flow::runtime
