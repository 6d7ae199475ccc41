// Bounded, printable quotes of service output (see text_snippet.h).
#include "services/text_snippet.h"

#include <simdjson.h>

namespace flow::runtime {

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the sequence
  // that the cut would split.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string_view drop_incomplete_utf8_tail(std::string_view text) {
  // Find the lead byte of the last sequence (at most 3 continuation bytes
  // back) and see whether all the bytes it announces are there.
  std::size_t lead = text.size();
  for (int back = 0; back < 4 && lead > 0; ++back) {
    const auto byte = static_cast<unsigned char>(text[lead - 1]);
    --lead;
    if ((byte & 0xC0) != 0x80) {
      const std::size_t need = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
      return text.size() - lead < need ? text.substr(0, lead) : text;
    }
  }
  return text;  // not UTF-8 at its end anyway; leave it to the reader
}

std::string printable_snippet(std::string_view text, std::size_t max_bytes) {
  const std::string_view head = utf8_prefix(text, max_bytes);
  const bool valid_utf8 = simdjson::validate_utf8(head.data(), head.size());
  std::string out;
  out.reserve(head.size() + 3);
  for (const char c : head) {
    const auto byte = static_cast<unsigned char>(c);
    out += (byte < 0x20 || byte == 0x7F || (byte >= 0x80 && !valid_utf8)) ? '?' : c;
  }
  if (head.size() < text.size()) out += "...";
  return out;
}

}  // namespace flow::runtime
