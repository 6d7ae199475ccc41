// LEB128 varints, the integers of record encoding version 2 (docs/journal.md):
// seven bits per byte, low bits first, the high bit set on every byte but
// the last. Signed values are zigzag-mapped first so that small negative
// numbers stay short. Shared by every record codec.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace flow::runtime::varint {

inline uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t unzigzag(uint64_t u) {
  return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

inline void append(std::string& out, uint64_t v) {
  char bytes[10];
  size_t n = 0;
  while (v >= 0x80) {
    bytes[n++] = static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  bytes[n++] = static_cast<char>(v);
  out.append(bytes, n);
}

/// Takes one varint off the front of `in`. Refuses a truncated value, one
/// longer than ten bytes or past 64 bits, and an overlong form (a needless
/// zero byte at the end), so that every value has exactly one encoding.
inline bool take(std::string_view& in, uint64_t& v) {
  if (!in.empty() && static_cast<uint8_t>(in[0]) < 0x80) {  // the usual case: one byte
    v = static_cast<uint8_t>(in[0]);
    in.remove_prefix(1);
    return true;
  }
  v = 0;
  for (size_t i = 0; i < 10 && i < in.size(); ++i) {
    const auto b = static_cast<uint8_t>(in[i]);
    if (i == 9 && b > 1) return false;
    v |= static_cast<uint64_t>(b & 0x7F) << (7 * i);
    if (!(b & 0x80)) {
      if (b == 0) return false;
      in.remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

}  // namespace flow::runtime::varint
