// A set of strings that remembers the order they were first inserted in,
// for replay's instance lists (journal order). Open addressing over indexes
// into the ordered list, with each string's hash kept next to it: an insert
// of a string already present allocates nothing, and merging another set
// re-uses its hashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace flow::runtime::queries {

class OrderedStringSet {
 public:
  void insert(std::string_view text) { insert_hashed(text, hash(text)); }

  /// Appends the strings of `other` not already here, in its order.
  void merge(OrderedStringSet&& other);

  size_t size() const { return items_.size(); }

  class iterator {
   public:
    using Inner = std::vector<std::pair<std::string, uint64_t>>::const_iterator;
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string;
    using difference_type = std::ptrdiff_t;
    using pointer = const std::string*;
    using reference = const std::string&;
    iterator() = default;
    explicit iterator(Inner it) : it_(it) {}
    reference operator*() const { return it_->first; }
    pointer operator->() const { return &it_->first; }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++it_;
      return before;
    }
    bool operator==(const iterator&) const = default;

   private:
    Inner it_;
  };
  iterator begin() const { return iterator(items_.begin()); }
  iterator end() const { return iterator(items_.end()); }

 private:
  static uint64_t hash(std::string_view text);
  void insert_hashed(std::string_view text, uint64_t h);
  void grow();

  std::vector<std::pair<std::string, uint64_t>> items_;  // in insertion order, with their hashes
  std::vector<uint32_t> slots_;                          // index into items_ + 1; 0 is empty
};

}  // namespace flow::runtime::queries
