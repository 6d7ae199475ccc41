// CRC32C (Castagnoli) checksums for journal framing, plus LevelDB-style
// masking. The hardware path uses the SSE4.2 crc32 instruction when the CPU
// has it (three interleaved chains joined with a carry-less multiply when it
// also has PCLMULQDQ); the portable path is Boost.CRC. Both compute the same function, so
// a journal written on one machine verifies on any other.
#pragma once

#include <cstddef>
#include <cstdint>

namespace flow::journal {

/// CRC32C of `size` bytes at `data` (reflected, init and final xor
/// 0xFFFFFFFF; CRC32C("123456789") == 0xE3069283). Picks the fastest path
/// this CPU supports.
std::uint32_t crc32c(const void* data, std::size_t size);

/// Continues a finished checksum: crc32c_extend(crc32c(a), b) == crc32c(a + b).
std::uint32_t crc32c_extend(std::uint32_t crc, const void* data, std::size_t size);

/// The portable (Boost.CRC, table-driven) implementation of crc32c_extend.
std::uint32_t crc32c_extend_portable(std::uint32_t crc, const void* data, std::size_t size);

/// The SSE4.2 implementation of crc32c_extend (interleaved when the CPU has
/// PCLMULQDQ). Falls back to the portable
/// path when the CPU (or the build target) lacks the instruction, so it is
/// always safe to call; tests compare it with the portable path.
std::uint32_t crc32c_extend_hardware(std::uint32_t crc, const void* data, std::size_t size);

/// True when crc32c() uses the hardware instruction on this machine.
bool crc32c_hardware_available();

/// Checksums stored next to the data they cover are masked: a CRC computed
/// over bytes that themselves contain CRCs (a journal embedded in a record,
/// a segment copied into a payload) would otherwise be weak. Same rotation
/// and constant as LevelDB's log format.
constexpr std::uint32_t kCrcMaskDelta = 0xa282ead8u;

constexpr std::uint32_t crc32c_mask(std::uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kCrcMaskDelta;
}

constexpr std::uint32_t crc32c_unmask(std::uint32_t masked) {
  const std::uint32_t rotated = masked - kCrcMaskDelta;
  return (rotated >> 17) | (rotated << 15);
}

}  // namespace flow::journal
