// Internal to the ingress library (includes simdjson): checking that JSON
// text is well-formed where the decoder does not otherwise look (values of
// fields and attributes it ignores, and whole lines it rejects, so that
// malformed JSON is always reported as "not JSON" rather than as whatever
// validation problem came first), and one-line texts for simdjson errors.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

namespace flow::runtime::json {

namespace od = simdjson::ondemand;

/// Objects and arrays nested deeper than this are refused. simdjson's
/// On-Demand front end does not limit depth by itself, and the checker below
/// recurses.
constexpr int kMaxDepth = 256;

/// Reads all of `value` (recursively) and reports the first syntax problem.
/// `depth` is the nesting depth of `value` itself.
simdjson::error_code check_value(od::value& value, int depth);

/// Parses and reads the whole document; returns an empty string when it is
/// well-formed JSON, else why not (with the byte offset when known).
std::string check_document(od::parser& parser, simdjson::padded_string_view json);

/// A short description of a simdjson error ("unclosed string").
std::string_view describe(simdjson::error_code error);

/// "object", "array", "number", "string", "bool", "null".
std::string_view type_name(od::json_type type);

/// `value`'s type and a short excerpt, for "found ..." in messages:
/// `string "abc"`, `number 1.5`, `bool true`, `null`, `array`, `object`.
std::string describe_found(od::value& value, od::json_type type);

/// A value's raw token with trailing whitespace removed.
std::string_view token(od::value& value);

// ---- Fast paths for strings without escapes ---------------------------------
// simdjson's stage 1 has already checked the whole input for UTF-8, closed
// strings and control characters, so a string with no backslash is exactly
// its raw bytes: it can be used in place, without unescaping it into the
// parser's string buffer first (most keys and values in real events).

/// When the string whose raw text starts at `raw` (after the opening quote)
/// has no escape, sets `text` to it and returns true.
inline bool plain_string(const char* raw, std::string_view& text) {
  const char* p = raw;
  while (*p != '"' && *p != '\\') ++p;  // the closing quote exists (stage 1)
  if (*p == '\\') return false;
  text = std::string_view(raw, static_cast<size_t>(p - raw));
  return true;
}

/// The key of an object member, unescaped only when it has escapes.
inline simdjson::error_code key_of(simdjson::simdjson_result<od::field>& member, std::string_view& key) {
  od::raw_json_string raw;
  if (simdjson::error_code e = member.key().get(raw)) return e;
  if (plain_string(raw.raw(), key)) return simdjson::SUCCESS;
  return member.unescaped_key().get(key);
}

/// A string value's text (valid until the next parse); INCORRECT_TYPE when
/// the value is not a string.
inline simdjson::error_code string_of(od::value& value, std::string_view& text) {
  std::string_view t = value.raw_json_token();
  if (!t.empty() && t[0] == '"' && plain_string(t.data() + 1, text)) return simdjson::SUCCESS;
  return value.get_string().get(text);
}

}  // namespace flow::runtime::json
