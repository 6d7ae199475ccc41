// ANTLR indexes characters by code point; Flow ranges are byte offsets.
// This maps one to the other (identity for pure ASCII files).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace flow::parse_detail {

struct DecodedText {
  std::u32string code_points;
  std::vector<uint32_t> byte_offsets;  // empty when identity; else size = code points + 1
  uint32_t first_invalid_byte = UINT32_MAX;  // offset of the first invalid UTF-8 byte
  uint32_t invalid_count = 0;

  uint32_t byte_offset(size_t code_point_index) const {
    return byte_offsets.empty() ? static_cast<uint32_t>(code_point_index)
                                : byte_offsets[code_point_index];
  }
};

/// Decodes UTF-8; every invalid byte becomes U+FFFD so lexing goes on.
DecodedText decode_utf8(const std::string& text);

}  // namespace flow::parse_detail
