#include "engine/used_keys.h"

#include <functional>

namespace flow::runtime {

uint64_t UsedKeys::hash(std::string_view key) {
  // std::hash of a string is a good 64-bit mix (murmur in libstdc++); the
  // bits below are spread by a multiply so that block and bit choices do
  // not share hash bits.
  return std::hash<std::string_view>{}(key);
}

void UsedKeys::bits_of(uint64_t hash, uint64_t (&mask)[8]) {
  for (auto& word : mask) word = 0;
  uint64_t h = hash * 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 4; ++i) {
    const unsigned bit = static_cast<unsigned>(h >> 55);  // 0..511 within the block
    mask[bit >> 6] |= uint64_t{1} << (bit & 63);
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
}

bool UsedKeys::insert(std::string_view key) {
  if (!blocks_) blocks_ = std::make_unique<Block[]>(kBlocks);
  const uint64_t h = hash(key);
  uint64_t mask[8];
  bits_of(h, mask);
  Block& block = blocks_[block_of(h)];
  bool all_set = true;
  for (int i = 0; i < 8; ++i) {
    all_set = all_set && (block.words[i] & mask[i]) == mask[i];
    block.words[i] |= mask[i];
  }
  return all_set;
}

bool UsedKeys::maybe_used(std::string_view key) const {
  if (!blocks_) return false;
  const uint64_t h = hash(key);
  uint64_t mask[8];
  bits_of(h, mask);
  const Block& block = blocks_[block_of(h)];
  for (int i = 0; i < 8; ++i) {
    if ((block.words[i] & mask[i]) != mask[i]) return false;
  }
  return true;
}

}  // namespace flow::runtime
