#include "parse/token_offsets.h"

namespace flow::parse_detail {

DecodedText decode_utf8(const std::string& text) {
  DecodedText out;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  bool ascii = true;
  for (size_t i = 0; i < n; ++i) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  out.code_points.reserve(n);
  if (ascii) {
    for (size_t i = 0; i < n; ++i) out.code_points.push_back(bytes[i]);
    return out;
  }
  out.byte_offsets.reserve(n + 1);
  size_t i = 0;
  while (i < n) {
    unsigned char b = bytes[i];
    char32_t cp = 0;
    size_t len = 0;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if ((b & 0xE0) == 0xC0) {
      cp = b & 0x1F;
      len = 2;
    } else if ((b & 0xF0) == 0xE0) {
      cp = b & 0x0F;
      len = 3;
    } else if ((b & 0xF8) == 0xF0) {
      cp = b & 0x07;
      len = 4;
    }
    bool valid = len > 0 && i + len <= n;
    for (size_t k = 1; valid && k < len; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) valid = false;
      else cp = (cp << 6) | (bytes[i + k] & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if (valid && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                  (len == 4 && cp < 0x10000) || (cp >= 0xD800 && cp <= 0xDFFF) ||
                  cp > 0x10FFFF)) {
      valid = false;
    }
    out.byte_offsets.push_back(static_cast<uint32_t>(i));
    if (valid) {
      out.code_points.push_back(cp);
      i += len;
    } else {
      if (out.first_invalid_byte == UINT32_MAX) out.first_invalid_byte = static_cast<uint32_t>(i);
      ++out.invalid_count;
      out.code_points.push_back(0xFFFD);
      i += 1;
    }
  }
  out.byte_offsets.push_back(static_cast<uint32_t>(n));
  return out;
}

}  // namespace flow::parse_detail
