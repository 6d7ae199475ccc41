// Small pieces of JSON text handling shared by the decoder and the encoder:
// string escaping, the number grammar of RFC 8259, and short excerpts of
// input for rejection messages.
#pragma once

#include <string>
#include <string_view>

namespace flow::runtime {

/// Appends `text` as a JSON string literal (with quotes). Escapes `"`, `\`
/// and control characters; bytes that are not valid UTF-8 become U+FFFD, so
/// the output is always valid JSON whatever the input.
void append_json_string(std::string& out, std::string_view text);
/// The longest text append_json_string can produce for `size` input bytes.
constexpr size_t max_json_string_size(size_t size) {
  return 6 * size + 2;
}
/// Writes the escaped string (with quotes) to `out`, which has room for
/// max_json_string_size(text.size()) bytes; returns the end.
char* write_json_string(std::string_view text, char* out);

/// True when `token` is exactly one JSON number (`-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?`).
bool is_json_number(std::string_view token);
/// True when a JSON number token has no fraction and no exponent.
bool is_integer_literal(std::string_view token);

/// A one-line excerpt of raw JSON for messages: trailing whitespace removed,
/// cut to at most `max` bytes on a UTF-8 boundary, with "..." when cut.
std::string excerpt(std::string_view raw, size_t max = 40);

}  // namespace flow::runtime
