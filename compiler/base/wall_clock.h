// The wall clock as the journal and CloudEvents record it: microseconds
// since 1970-01-01T00:00:00Z.
#pragma once

#include <chrono>
#include <cstdint>

namespace flow {

inline int64_t wall_clock_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace flow
