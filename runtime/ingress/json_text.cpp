// JSON number grammar and message excerpts (json_text.h).
#include "ingress/json_text.h"

#include <cstdint>

namespace flow::runtime {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

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
