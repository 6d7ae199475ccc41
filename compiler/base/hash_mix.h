// The splitmix64 finaliser: spreads the bits of a 64-bit value so that every
// input bit affects every output bit. For hashes that must be stable across
// runs and machines (journal query tables, decimal values), where std::hash
// (the identity for integers in libstdc++) is not enough.
#pragma once

#include <cstdint>

namespace flow {

inline uint64_t mix64(uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

}  // namespace flow
