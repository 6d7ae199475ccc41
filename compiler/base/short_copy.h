// Copies and comparisons of a few bytes without a call: the journal's encoders and the
// event builders copy ids and names of 5 to 30 bytes by the million, and
// through memcpy each one cost a call and a size dispatch (about 8% of
// flowrt's time on the runtime benchmark).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace flow {

/// Copies `size` bytes from `from` to `to` (not overlapping). Up to 32 bytes
/// are moved with two loads and two stores that may overlap each other, never
/// touching a byte outside either range; longer copies go to memcpy.
inline void short_copy(void* to, const void* from, size_t size) {
  auto* d = static_cast<unsigned char*>(to);
  const auto* s = static_cast<const unsigned char*>(from);
  if (size > 32) {
    std::memcpy(d, s, size);
  } else if (size >= 16) {
    unsigned char head[16], tail[16];
    std::memcpy(head, s, 16);
    std::memcpy(tail, s + size - 16, 16);
    std::memcpy(d, head, 16);
    std::memcpy(d + size - 16, tail, 16);
  } else if (size >= 8) {
    uint64_t head, tail;
    std::memcpy(&head, s, 8);
    std::memcpy(&tail, s + size - 8, 8);
    std::memcpy(d, &head, 8);
    std::memcpy(d + size - 8, &tail, 8);
  } else if (size >= 4) {
    uint32_t head, tail;
    std::memcpy(&head, s, 4);
    std::memcpy(&tail, s + size - 4, 4);
    std::memcpy(d, &head, 4);
    std::memcpy(d + size - 4, &tail, 4);
  } else if (size > 0) {
    d[0] = s[0];
    d[size / 2] = s[size / 2];
    d[size - 1] = s[size - 1];
  }
}

/// `a == b`, comparing up to 16 bytes with two overlapping loads a side
/// instead of a call to memcmp (field names and keys are that short).
inline bool short_equal(const char* a, const char* b, size_t size) {
  if (size > 16) return std::memcmp(a, b, size) == 0;
  if (size >= 8) {
    uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a, 8);
    std::memcpy(&a1, a + size - 8, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&b1, b + size - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (size >= 4) {
    uint32_t a0, a1, b0, b1;
    std::memcpy(&a0, a, 4);
    std::memcpy(&a1, a + size - 4, 4);
    std::memcpy(&b0, b, 4);
    std::memcpy(&b1, b + size - 4, 4);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  for (size_t i = 0; i < size; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace flow
