// UsedKeys: which key values have named a process instance before, in fixed
// memory. A start event whose key belongs to a finished instance begins a
// new instance of that key (runtime.md §4), and that instance needs an id of
// its own; but finished instances are dropped from memory (instances.h), so
// the engine cannot look the key up there. Remembering every key exactly
// would make memory grow with the history; this Bloom filter answers "maybe
// used" or "never used" in 8 MiB whatever the history's size. Each key sets
// four bits of one 64-bit word, so a look-up costs one hash and one memory
// access (it runs for every start event).
//
// Limits: "maybe" is sometimes wrong — about 1 key in 75,000 once a million
// keys are remembered, 1 in 200 at five million. The engine then gives a
// first instance a suffixed id as if its key had been used, which is
// harmless: the id is still unique and `--key` still finds it. "Never used"
// is always right.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace flow::runtime {

class UsedKeys {
 public:
  /// Adds `key`; whether it was maybe used before.
  bool insert(std::string_view key);
  void add(std::string_view key) { (void)insert(key); }
  bool maybe_used(std::string_view key) const;

 private:
  static constexpr size_t kWords = size_t{1} << 20;  // 8 MiB
  static uint64_t hash(std::string_view key);
  /// The word of `hash` (its bits 40 to 59) and, in it, the four bits to
  /// set or test (bits 0 to 23, six per bit).
  static size_t word_of(uint64_t hash) { return static_cast<size_t>(hash >> 40) & (kWords - 1); }
  static uint64_t mask_of(uint64_t hash) {
    return uint64_t{1} << (hash & 63) | uint64_t{1} << (hash >> 6 & 63) | uint64_t{1} << (hash >> 12 & 63) |
           uint64_t{1} << (hash >> 18 & 63);
  }
  /// Mapped when the first key is added (anonymous memory: zero pages the
  /// kernel provides as they are first touched, so neither a run whose
  /// events have no keys nor one with few keys pays for all 8 MiB).
  struct Unmap {
    void operator()(uint64_t* words) const;
  };
  std::unique_ptr<uint64_t[], Unmap> words_;
};

}  // namespace flow::runtime
