// JSON string literals: the one escaper that everything writing JSON text
// uses (event encoding, exec-service requests, journal exports). Plain runs
// are found a word at a time and copied in one go, so text without special
// bytes costs little more than a copy; the event encoder writes every string
// of every emitted event through here.
//
// Two styles, so that each caller's output stays what it has always been:
// kRepairUtf8 for text that may hold anything and must come out as valid
// JSON, kKeepBytes for text that is passed on exactly as stored (the
// journal's texts, which can hold a rejected input line as it came).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace flow {

enum class JsonEscape {
  /// `"` `\` `\n` `\r` `\t` `\b` `\f` in their short forms, other control
  /// characters as `\u00xx`; bytes that are not UTF-8 become U+FFFD, so the
  /// output is always valid JSON whatever the input.
  kRepairUtf8,
  /// `"` `\` `\n` `\r` `\t` in their short forms, every other control
  /// character as `\u00xx`; every byte from 0x20 up is copied as it is.
  kKeepBytes,
};

/// The longest text write_json_string can produce for `size` input bytes.
constexpr size_t max_json_string_size(size_t size) {
  return 6 * size + 2;
}

/// Writes `text` as a JSON string literal (with quotes) to `out`, which has
/// room for max_json_string_size(text.size()) bytes; returns the end.
char* write_json_string(std::string_view text, char* out, JsonEscape style = JsonEscape::kRepairUtf8);

/// Appends `text` as a JSON string literal (with quotes).
void append_json_string(std::string& out, std::string_view text, JsonEscape style = JsonEscape::kRepairUtf8);

/// `text` as a JSON string literal (with quotes).
std::string json_quote(std::string_view text, JsonEscape style = JsonEscape::kRepairUtf8);

}  // namespace flow
