#include "engine/used_keys.h"

#include <sys/mman.h>

#include <functional>
#include <new>

namespace flow::runtime {

uint64_t UsedKeys::hash(std::string_view key) {
  // std::hash of a string is murmur in libstdc++: every bit depends on
  // every byte, so the word and bit choices below are independent enough.
  return std::hash<std::string_view>{}(key);
}

void UsedKeys::Unmap::operator()(uint64_t* words) const {
  ::munmap(words, kWords * sizeof(uint64_t));
}

bool UsedKeys::insert(std::string_view key) {
  if (!words_) {
    void* memory =
        ::mmap(nullptr, kWords * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    words_.reset(static_cast<uint64_t*>(memory));
  }
  const uint64_t h = hash(key);
  const uint64_t mask = mask_of(h);
  uint64_t& word = words_[word_of(h)];
  const bool seen = (word & mask) == mask;
  word |= mask;
  return seen;
}

bool UsedKeys::maybe_used(std::string_view key) const {
  if (!words_) return false;
  const uint64_t h = hash(key);
  const uint64_t mask = mask_of(h);
  return (words_[word_of(h)] & mask) == mask;
}

}  // namespace flow::runtime
