// CRC32C implementations and the run-time choice between them. See crc32c.h.
#include "journal/crc32c.h"

#include <boost/crc.hpp>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define FLOW_JOURNAL_HAVE_SSE42_PATH 1
#else
#define FLOW_JOURNAL_HAVE_SSE42_PATH 0
#endif

namespace flow::journal {
namespace {

using BoostCrc32c = boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true>;

constexpr std::uint32_t reflect32(std::uint32_t value) {
  std::uint32_t out = 0;
  for (int bit = 0; bit < 32; ++bit) {
    out = (out << 1) | (value & 1u);
    value >>= 1;
  }
  return out;
}

#if FLOW_JOURNAL_HAVE_SSE42_PATH
// Compiled for SSE4.2 by attribute rather than by -msse4.2 on the whole file,
// so the library still runs on CPUs without it (the caller checks first).
__attribute__((target("sse4.2"))) std::uint32_t extend_sse42(std::uint32_t crc, const void* data, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint32_t state = ~crc;
  // Byte steps up to an 8-byte boundary keep the wide loads aligned, which
  // matters on older cores when a load would straddle a cache line.
  while (size > 0 && (reinterpret_cast<std::uintptr_t>(p) & 7u) != 0) {
    state = _mm_crc32_u8(state, *p++);
    --size;
  }
#if defined(__x86_64__)
  std::uint64_t wide = state;
  while (size >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    wide = _mm_crc32_u64(wide, word);
    p += 8;
    size -= 8;
  }
  state = static_cast<std::uint32_t>(wide);
#endif
  while (size >= 4) {
    std::uint32_t word;
    std::memcpy(&word, p, sizeof word);
    state = _mm_crc32_u32(state, word);
    p += 4;
    size -= 4;
  }
  while (size > 0) {
    state = _mm_crc32_u8(state, *p++);
    --size;
  }
  return ~state;
}

bool cpu_has_sse42() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}
#endif

using ExtendFn = std::uint32_t (*)(std::uint32_t, const void*, std::size_t);

ExtendFn pick_implementation() {
#if FLOW_JOURNAL_HAVE_SSE42_PATH
  if (cpu_has_sse42()) return &extend_sse42;
#endif
  return &crc32c_extend_portable;
}

// Chosen once; a function pointer call costs less than re-testing the CPU.
const ExtendFn g_extend = pick_implementation();

}  // namespace

std::uint32_t crc32c_extend_portable(std::uint32_t crc, const void* data, std::size_t size) {
  // Boost keeps its remainder bit-reflected for a reflected CRC, so the
  // finished value is turned back into Boost's "initial remainder" form.
  BoostCrc32c engine(reflect32(~crc));
  engine.process_bytes(data, size);
  return engine.checksum();
}

std::uint32_t crc32c_extend_hardware(std::uint32_t crc, const void* data, std::size_t size) {
#if FLOW_JOURNAL_HAVE_SSE42_PATH
  if (cpu_has_sse42()) return extend_sse42(crc, data, size);
#endif
  return crc32c_extend_portable(crc, data, size);
}

bool crc32c_hardware_available() {
  return g_extend != &crc32c_extend_portable;
}

std::uint32_t crc32c_extend(std::uint32_t crc, const void* data, std::size_t size) {
  // A static initialiser in another translation unit may checksum before
  // g_extend is set; fall back to choosing on the spot then.
  const ExtendFn extend = g_extend != nullptr ? g_extend : pick_implementation();
  return extend(crc, data, size);
}

std::uint32_t crc32c(const void* data, std::size_t size) {
  return crc32c_extend(0, data, size);
}

}  // namespace flow::journal
