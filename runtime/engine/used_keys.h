// UsedKeys: which key values have named a process instance before, in fixed
// memory. A start event whose key belongs to a finished instance begins a
// new instance of that key (runtime.md §4), and that instance needs an id of
// its own; but finished instances are dropped from memory (instances.h), so
// the engine cannot look the key up there. Remembering every key exactly
// would make memory grow with the history; this blocked Bloom filter
// answers "maybe used" or "never used" in 8 MiB whatever the history's size,
// with one cache line touched per key.
//
// Limits: "maybe" is sometimes wrong (about 1 in 300 keys once 5 million
// are remembered; far rarer below). The engine then gives a first instance
// a suffixed id as if its key had been used, which is harmless: the id is
// still unique and `--key` still finds it. "Never used" is always right.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace flow::runtime {

class UsedKeys {
 public:
  void add(std::string_view key) { (void)insert(key); }
  bool maybe_used(std::string_view key) const;
  /// Adds `key`; whether it was maybe used before (one hash, one cache
  /// line: this runs for every start event).
  bool insert(std::string_view key);

 private:
  static constexpr size_t kBlocks = size_t{1} << 17;  // of 64 bytes: 8 MiB
  struct alignas(64) Block {
    uint64_t words[8];
  };
  /// The block of `hash` and, in it, the four bits to set or test.
  static size_t block_of(uint64_t hash) { return static_cast<size_t>(hash >> 47) & (kBlocks - 1); }
  static void bits_of(uint64_t hash, uint64_t (&mask)[8]);
  static uint64_t hash(std::string_view key);
  /// Allocated (zeroed) when the first key is added: a run whose events
  /// have no keys pays nothing.
  std::unique_ptr<Block[]> blocks_;
};

}  // namespace flow::runtime
