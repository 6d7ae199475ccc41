// JSON string literals (compiler/base/json_string.h) in both styles:
// what each escape is, bytes that are not UTF-8, and every special byte
// found at every offset of the word-at-a-time scan.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "base/json_string.h"

using flow::json_quote;
using flow::JsonEscape;

namespace {

/// kKeepBytes one byte at a time, the plain way: the scan must agree.
std::string keep_bytes_oracle(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += c < 0x20 ? std::string("\\u00") + kHex[c >> 4] + kHex[c & 15] : std::string(1, static_cast<char>(c));
    }
  }
  return out + "\"";
}

}  // namespace

TEST_CASE("the two styles differ only in \\b, \\f and bytes that are not UTF-8", "[base][json]") {
  struct Case {
    std::string text, repaired, kept;
  };
  const std::vector<Case> cases = {
      {"plain", R"("plain")", R"("plain")"},
      {"a\"b\\c/d", R"("a\"b\\c/d")", R"("a\"b\\c/d")"},
      {"\n\r\t", R"("\n\r\t")", R"("\n\r\t")"},
      {"\b\f", R"("\b\f")", R"("\u0008\u000c")"},
      {std::string("\0\x1f\x7f", 3), "\"\\u0000\\u001f\x7f\"", "\"\\u0000\\u001f\x7f\""},
      {"h\xC3\xA9 \xF0\x9F\x98\x80", "\"h\xC3\xA9 \xF0\x9F\x98\x80\"", "\"h\xC3\xA9 \xF0\x9F\x98\x80\""},
      {"a\xff", "\"a\xEF\xBF\xBD\"", "\"a\xff\""},
      {"\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"", "\"\xED\xA0\x80\""},  // a surrogate
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(json_quote(c.text) == c.repaired);
    CHECK(json_quote(c.text, JsonEscape::kRepairUtf8) == c.repaired);
    CHECK(json_quote(c.text, JsonEscape::kKeepBytes) == c.kept);
  }
}

TEST_CASE("append and write produce the quoted text at the end of what is there", "[base][json]") {
  std::string out = "x=";
  flow::append_json_string(out, "\"", JsonEscape::kKeepBytes);
  CHECK(out == "x=\"\\\"\"");
  char buffer[flow::max_json_string_size(2)];
  char* end = flow::write_json_string("\x01\x02", buffer);
  CHECK(std::string(buffer, end) == "\"\\u0001\\u0002\"");
  CHECK(end - buffer == static_cast<long>(flow::max_json_string_size(2)));
}

TEST_CASE("every special byte is found at every offset of a long string", "[base][json]") {
  const std::string specials = std::string("\"\\\n\x01\x1f\b\xff", 7) + std::string(1, '\0');
  for (char special : specials) {
    for (size_t at = 0; at < 40; ++at) {
      std::string text(40, 'a');
      text[at] = special;
      INFO(static_cast<int>(static_cast<unsigned char>(special)) << " at " << at);
      CHECK(json_quote(text, JsonEscape::kKeepBytes) == keep_bytes_oracle(text));
      const std::string repaired = json_quote(text);
      CHECK(repaired.size() > text.size() + 2);
      CHECK(repaired.substr(0, at + 1) == "\"" + text.substr(0, at));
    }
  }
}

TEST_CASE("kKeepBytes agrees with the byte-at-a-time rule on random text", "[base][json]") {
  std::mt19937 rng(3);
  for (int i = 0; i < 20000; ++i) {
    std::string text(rng() % 40, ' ');
    for (char& c : text) c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : 'a' + rng() % 26);
    CHECK(json_quote(text, JsonEscape::kKeepBytes) == keep_bytes_oracle(text));
  }
}
