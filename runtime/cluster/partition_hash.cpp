// The partition hash (see partition_hash.h).
#include "cluster/partition_hash.h"

#include <stdexcept>

#include "base/hash_mix.h"

namespace flow::cluster {

std::uint64_t partition_hash(std::string_view key) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  // FNV-1a leaves the low bits, which the modulo keeps, poorly mixed.
  return mix64(h);
}

std::uint32_t partition_of(std::string_view key, std::uint32_t partitions) {
  if (partitions == 0) throw std::invalid_argument("partition count must be at least 1");
  return static_cast<std::uint32_t>(partition_hash(key) % partitions);
}

}  // namespace flow::cluster
