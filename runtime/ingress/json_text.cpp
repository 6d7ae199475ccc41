// JSON string escaping, number grammar and message excerpts (json_text.h).
#include "ingress/json_text.h"

#include <cstdint>
#include <cstring>

#include "support/short_copy.h"

namespace flow::runtime {

namespace {

// 0: copy as is; 1: needs a look (control character, quote, backslash, or a
// non-ASCII byte that must be checked for UTF-8 validity).
struct EscapeTable {
  uint8_t special[256];
  constexpr EscapeTable() : special() {
    for (int c = 0; c < 256; ++c) special[c] = (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) ? 1 : 0;
  }
};
constexpr EscapeTable kEscape;

/// Length of the valid UTF-8 sequence at `p` (1-4), or 0 when invalid.
size_t utf8_sequence(const uint8_t* p, const uint8_t* end) {
  const uint8_t c = p[0];
  size_t n;
  uint32_t min;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (static_cast<size_t>(end - p) < n) return 0;
  uint32_t cp = c & (0x7F >> n);
  for (size_t i = 1; i < n; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

/// True when one of the 8 bytes needs a look: below 0x20, a quote, a
/// backslash, or non-ASCII (the table's test, a word at a time).
bool word_has_special(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHigh;
  return ((word & kHigh) | below_space | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) != 0;
}

/// The first byte of [p, end) that needs a look, or end.
const uint8_t* find_special(const uint8_t* p, const uint8_t* end) {
  // Plain words are skipped eight bytes at a time; the word holding a
  // special byte is searched byte by byte.
  while (end - p >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    if (word_has_special(word)) break;
    p += 8;
  }
  while (p < end && !kEscape.special[*p]) ++p;
  return p;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

char* write_json_string(std::string_view text, char* out) {
  static const char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* end = p + text.size();
  *out++ = '"';
  while (p < end) {
    // Runs of plain ASCII are the common case: copy them in one go.
    const uint8_t* run = p;
    p = find_special(p, end);
    if (p > run) {
      short_copy(out, run, static_cast<size_t>(p - run));
      out += p - run;
    }
    if (p == end) break;
    const uint8_t c = *p;
    if (c >= 0x80) {
      size_t n = utf8_sequence(p, end);
      if (n == 0) {
        std::memcpy(out, "\xEF\xBF\xBD", 3);  // U+FFFD for one bad byte
        out += 3;
        ++p;
      } else {
        std::memcpy(out, p, n);
        out += n;
        p += n;
      }
      continue;
    }
    *out++ = '\\';
    switch (c) {
      case '"': *out++ = '"'; break;
      case '\\': *out++ = '\\'; break;
      case '\n': *out++ = 'n'; break;
      case '\r': *out++ = 'r'; break;
      case '\t': *out++ = 't'; break;
      case '\b': *out++ = 'b'; break;
      case '\f': *out++ = 'f'; break;
      default:
        std::memcpy(out, "u00", 3);
        out += 3;
        *out++ = kHex[c >> 4];
        *out++ = kHex[c & 15];
    }
    ++p;
  }
  *out++ = '"';
  return out;
}

void append_json_string(std::string& out, std::string_view text) {
  const size_t start = out.size();
  out.resize(start + max_json_string_size(text.size()));
  char* end = write_json_string(text, out.data() + start);
  out.resize(static_cast<size_t>(end - out.data()));
}

bool is_json_number(std::string_view t) {
  size_t i = 0;
  if (i < t.size() && t[i] == '-') ++i;
  if (i >= t.size()) return false;
  if (t[i] == '0') {
    ++i;
  } else if (is_digit(t[i])) {
    while (i < t.size() && is_digit(t[i])) ++i;
  } else {
    return false;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    size_t start = i;
    while (i < t.size() && is_digit(t[i])) ++i;
    if (i == start) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    size_t start = i;
    while (i < t.size() && is_digit(t[i])) ++i;
    if (i == start) return false;
  }
  return i == t.size();
}

bool is_integer_literal(std::string_view token) {
  return token.find_first_of(".eE") == std::string_view::npos;
}

std::string excerpt(std::string_view raw, size_t max) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r'))
    raw.remove_suffix(1);
  bool cut_off = false;
  if (raw.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<uint8_t>(raw[cut]) & 0xC0) == 0x80) --cut;  // not inside a code point
    raw = raw.substr(0, cut);
    cut_off = true;
  }
  std::string out(raw);
  for (char& c : out) {
    if (static_cast<uint8_t>(c) < 0x20) c = ' ';  // keep the message on one line
  }
  if (cut_off) out += "...";
  return out;
}

}  // namespace flow::runtime
