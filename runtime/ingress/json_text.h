// Small pieces of JSON text handling for the decoders: the number grammar
// of RFC 8259 and short excerpts of input for rejection messages. (String
// literals are written by base/json_string.h.)
#pragma once

#include <string>
#include <string_view>

namespace flow::runtime {

/// True when `token` is exactly one JSON number (`-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?`).
bool is_json_number(std::string_view token);
/// True when a JSON number token has no fraction and no exponent.
bool is_integer_literal(std::string_view token);

/// A one-line excerpt of raw JSON for messages: trailing whitespace removed,
/// cut to at most `max` bytes on a UTF-8 boundary, with "..." when cut.
std::string excerpt(std::string_view raw, size_t max = 40);

}  // namespace flow::runtime
