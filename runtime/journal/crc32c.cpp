// CRC32C implementations and the run-time choice between them. See crc32c.h.
#include "journal/crc32c.h"

#include <algorithm>
#include <array>
#include <boost/crc.hpp>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#include <wmmintrin.h>
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
// ---- Shifting a CRC state past zero bytes -----------------------------------
//
// The crc32 instruction has a latency of three cycles but issues one per
// cycle, so a single dependency chain uses a third of it. The interleaved
// path checksums three equal lanes of a buffer independently (lanes two and
// three from state 0) and joins them: by linearity, the state after A|B|C is
// shift(a, |B|+|C|) ^ shift(b, |C|) ^ c, where shift(s, n) is the state after
// n zero bytes. shift is one carry-less multiply by x^(8n-33) mod P and a
// crc32 of the 64-bit product (which multiplies by x^32 mod P and reduces;
// the reflected product adds one more x). The constants are computed at
// compile time for every lane length in 8-byte steps up to kMaxLaneWords.

// Bit-reflected polynomial arithmetic: bit 31 is x^0, bit 0 is x^31.
constexpr std::uint32_t kReflectedPoly = 0x82F63B78u;

constexpr std::uint32_t multiply_mod_p(std::uint32_t a, std::uint32_t b) {
  std::uint32_t product = 0;
  for (std::uint32_t bit = 0x80000000u; bit != 0; bit >>= 1) {  // a's coefficients from x^0 up
    if (a & bit) product ^= b;
    b = (b & 1u) ? (b >> 1) ^ kReflectedPoly : b >> 1;  // b *= x
  }
  return product;
}

constexpr std::uint32_t x_power_mod_p(std::uint64_t exponent) {
  std::uint32_t result = 0x80000000u;  // x^0
  std::uint32_t square = 0x40000000u;  // x^1, then x^2, x^4, ...
  for (; exponent != 0; exponent >>= 1) {
    if (exponent & 1u) result = multiply_mod_p(result, square);
    square = multiply_mod_p(square, square);
  }
  return result;
}

// Lanes of up to 64 words (512 bytes); longer buffers take several rounds.
constexpr std::size_t kMaxLaneWords = 64;

struct ShiftTable {
  // shift[k]: the multiplier that moves a state past 8k zero bytes, for
  // k = 1 .. 2 * kMaxLaneWords (lane A moves past two lanes).
  std::array<std::uint32_t, 2 * kMaxLaneWords + 1> shift{};
  constexpr ShiftTable() {
    for (std::size_t k = 1; k < shift.size(); ++k) shift[k] = x_power_mod_p(64 * k - 33);
  }
};

constexpr ShiftTable kShifts;

// Below this many bytes the join costs more than the lanes save.
constexpr std::size_t kMinInterleaved = 96;

#if defined(__x86_64__)
__attribute__((target("sse4.2,pclmul"))) inline std::uint32_t shift_state(std::uint32_t state,
                                                                          std::uint32_t multiplier) {
  const __m128i product = _mm_clmulepi64_si128(_mm_cvtsi32_si128(static_cast<int>(state)),
                                               _mm_cvtsi32_si128(static_cast<int>(multiplier)), 0);
  return static_cast<std::uint32_t>(_mm_crc32_u64(0, static_cast<std::uint64_t>(_mm_cvtsi128_si64(product))));
}

__attribute__((target("sse4.2"))) inline std::uint64_t load_u64(const unsigned char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}
#endif

// Compiled for SSE4.2 by attribute rather than by -msse4.2 on the whole file,
// so the library still runs on CPUs without it (the caller checks first).
__attribute__((target("sse4.2"))) std::uint32_t tail_sse42(std::uint32_t state, const unsigned char* p,
                                                           std::size_t size) {
#if defined(__x86_64__)
  std::uint64_t wide = state;
  for (; size >= 8; p += 8, size -= 8) wide = _mm_crc32_u64(wide, load_u64(p));
  state = static_cast<std::uint32_t>(wide);
#endif
  for (; size >= 4; p += 4, size -= 4) {
    std::uint32_t word;
    std::memcpy(&word, p, sizeof word);
    state = _mm_crc32_u32(state, word);
  }
  for (; size > 0; ++p, --size) state = _mm_crc32_u8(state, *p);
  return state;
}

__attribute__((target("sse4.2"))) std::uint32_t extend_sse42(std::uint32_t crc, const void* data, std::size_t size) {
  // Unaligned 8-byte loads cost nothing extra on the cores this runs on.
  return ~tail_sse42(~crc, static_cast<const unsigned char*>(data), size);
}

#if defined(__x86_64__)
__attribute__((target("sse4.2,pclmul"))) std::uint32_t extend_interleaved(std::uint32_t crc, const void* data,
                                                                          std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint32_t state = ~crc;
  while (size >= kMinInterleaved) {
    const std::size_t words = std::min(size / 24, kMaxLaneWords);
    const std::size_t lane = words * 8;
    std::uint64_t a = state, b = 0, c = 0;
    for (std::size_t i = 0; i < lane; i += 8) {
      a = _mm_crc32_u64(a, load_u64(p + i));
      b = _mm_crc32_u64(b, load_u64(p + lane + i));
      c = _mm_crc32_u64(c, load_u64(p + 2 * lane + i));
    }
    state = shift_state(static_cast<std::uint32_t>(a), kShifts.shift[2 * words]) ^
            shift_state(static_cast<std::uint32_t>(b), kShifts.shift[words]) ^ static_cast<std::uint32_t>(c);
    p += 3 * lane;
    size -= 3 * lane;
  }
  return ~tail_sse42(state, p, size);
}

bool cpu_has_pclmul() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("pclmul");
}
#endif

bool cpu_has_sse42() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}
#endif

using ExtendFn = std::uint32_t (*)(std::uint32_t, const void*, std::size_t);

ExtendFn pick_implementation() {
#if FLOW_JOURNAL_HAVE_SSE42_PATH
#if defined(__x86_64__)
  if (cpu_has_sse42() && cpu_has_pclmul()) return &extend_interleaved;
#endif
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
#if defined(__x86_64__)
  if (cpu_has_sse42() && cpu_has_pclmul()) return extend_interleaved(crc, data, size);
#endif
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
