// JSON string literals (json_string.h).
#include "base/json_string.h"

#include <cstdint>
#include <cstring>

#include "base/short_copy.h"

namespace flow {

namespace {

// 1 where a byte needs a look: a control character, a quote, a backslash
// and, when UTF-8 is checked, a non-ASCII byte; 0 where it is copied as is.
struct EscapeTable {
  uint8_t special[256];
  constexpr explicit EscapeTable(bool check_utf8) : special() {
    for (int c = 0; c < 256; ++c) special[c] = (c < 0x20 || c == '"' || c == '\\' || (check_utf8 && c >= 0x80)) ? 1 : 0;
  }
};
constexpr EscapeTable kRepairTable(true);
constexpr EscapeTable kKeepTable(false);

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

/// True when one of the 8 bytes needs a look (the table's test, a word at
/// a time).
template <bool kCheckUtf8>
bool word_has_special(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const uint64_t below_space = (word - kOnes * 0x20) & ~word & kHigh;
  const uint64_t high = kCheckUtf8 ? word & kHigh : 0;
  return (high | below_space | has_zero(word ^ (kOnes * '"')) | has_zero(word ^ (kOnes * '\\'))) != 0;
}

/// The first byte of [p, end) that needs a look, or end.
template <bool kCheckUtf8>
const uint8_t* find_special(const uint8_t* p, const uint8_t* end) {
  // Plain words are skipped eight bytes at a time; the word holding a
  // special byte is searched byte by byte.
  while (end - p >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    if (word_has_special<kCheckUtf8>(word)) break;
    p += 8;
  }
  const EscapeTable& table = kCheckUtf8 ? kRepairTable : kKeepTable;
  while (p < end && !table.special[*p]) ++p;
  return p;
}

template <bool kRepair>
char* write_string(std::string_view text, char* out) {
  static const char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* end = p + text.size();
  *out++ = '"';
  while (p < end) {
    // Runs of plain bytes are the common case: copy them in one go.
    const uint8_t* run = p;
    p = find_special<kRepair>(p, end);
    if (p > run) {
      short_copy(out, run, static_cast<size_t>(p - run));
      out += p - run;
    }
    if (p == end) break;
    const uint8_t c = *p;
    if (kRepair && c >= 0x80) {
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
    char short_form = 0;
    switch (c) {
      case '"': short_form = '"'; break;
      case '\\': short_form = '\\'; break;
      case '\n': short_form = 'n'; break;
      case '\r': short_form = 'r'; break;
      case '\t': short_form = 't'; break;
      case '\b': short_form = kRepair ? 'b' : 0; break;
      case '\f': short_form = kRepair ? 'f' : 0; break;
      default: break;
    }
    *out++ = '\\';
    if (short_form != 0) {
      *out++ = short_form;
    } else {
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

}  // namespace

char* write_json_string(std::string_view text, char* out, JsonEscape style) {
  return style == JsonEscape::kRepairUtf8 ? write_string<true>(text, out) : write_string<false>(text, out);
}

void append_json_string(std::string& out, std::string_view text, JsonEscape style) {
  const size_t start = out.size();
  out.resize(start + max_json_string_size(text.size()));
  char* end = write_json_string(text, out.data() + start, style);
  out.resize(static_cast<size_t>(end - out.data()));
}

std::string json_quote(std::string_view text, JsonEscape style) {
  std::string out;
  append_json_string(out, text, style);
  return out;
}

}  // namespace flow
