// NameTable: a small, immutable-after-build map from names to ints, for the
// lookups on the ingress hot path (event type names, field names, enum
// members). Open addressing over one flat array with a cheap hash of the
// first and last bytes, so a lookup costs one hash, usually one probe and one
// memcmp; std::unordered_map<std::string, int> would hash every byte and
// chase a node pointer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flow::runtime {

class NameTable {
 public:
  /// Adds `name` (copied); a name added twice keeps its first value.
  void insert(std::string_view name, int value);
  /// The value of `name`, or -1.
  int find(std::string_view name) const;
  size_t size() const { return count_; }

 private:
  struct Entry {
    uint64_t hash = 0;
    uint32_t offset = 0;  // into chars_
    uint32_t length = 0;
    int value = -1;  // -1: empty slot
  };
  static uint64_t hash(std::string_view name);
  void grow();

  std::vector<Entry> slots_;  // size is a power of two, at most half full
  std::string chars_;         // every name, back to back
  size_t count_ = 0;
};

}  // namespace flow::runtime
