// Writing floats as JSON text (float_text.h).
#include "ingress/float_text.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace flow::runtime {

namespace {

/// Amounts and measures usually have one to three decimals: such a value
/// is printed as its integer of hundredths (say) with the point put in,
/// when that decimal reads back as exactly `d`. Then it is also what
/// std::to_chars prints: the fewest digits that read back (no fewer
/// decimals did), in fixed notation (never longer than scientific here).
/// Returns nullptr when the value is not such a decimal.
char* write_short_decimal(char* p, double d) {
  static constexpr double kScale[] = {1.0, 10.0, 100.0, 1000.0};
  const double magnitude = std::fabs(d);
  if (!(magnitude < 1e9) || magnitude == 0.0) return nullptr;
  for (int decimals = 1; decimals <= 3; ++decimals) {
    const double scaled = std::nearbyint(magnitude * kScale[decimals]);
    // Both operands are exact (below 2^53, a power of ten), so the division
    // rounds the decimal correctly, as reading it back would.
    if (scaled / kScale[decimals] != magnitude) continue;
    auto digits = static_cast<uint64_t>(scaled);
    if (digits % 10 == 0) return nullptr;  // an integral value: to_chars, then ".0"
    char buffer[24];
    char* end = buffer + sizeof buffer;
    char* q = end;
    for (int i = 0; i < decimals; ++i) {
      *--q = static_cast<char>('0' + digits % 10);
      digits /= 10;
    }
    *--q = '.';
    do {
      *--q = static_cast<char>('0' + digits % 10);
      digits /= 10;
    } while (digits != 0);
    if (d < 0) *--q = '-';
    const auto size = static_cast<size_t>(end - q);
    std::memcpy(p, q, size);
    return p + size;
  }
  return nullptr;
}

}  // namespace

char* write_float_text(double d, char* p) {
  if (!std::isfinite(d)) {
    std::memcpy(p, "null", 4);
    return p + 4;
  }
  if (char* end = write_short_decimal(p, d)) return end;
  char* end = std::to_chars(p, p + kMaxFloatText, d).ptr;
  // Integral values print as "120": add ".0" unless there is a fraction or
  // exponent already.
  bool integral = true;
  for (char* q = p; q < end; ++q) {
    if (*q == '.' || *q == 'e' || *q == 'E') integral = false;
  }
  if (integral) {
    std::memcpy(end, ".0", 2);
    end += 2;
  }
  return end;
}

}  // namespace flow::runtime
