// See ordered_string_set.h.
#include "queries/replay/ordered_string_set.h"

#include <functional>

namespace flow::runtime::queries {

uint64_t OrderedStringSet::hash(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}

void OrderedStringSet::insert_hashed(std::string_view text, uint64_t h) {
  // At most half full, so probes stay short and an empty slot always exists.
  if ((items_.size() + 1) * 2 > slots_.size()) grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const uint32_t slot = slots_[i];
    if (slot == 0) {
      items_.emplace_back(std::string(text), h);
      slots_[i] = static_cast<uint32_t>(items_.size());
      return;
    }
    const auto& [existing, existing_hash] = items_[slot - 1];
    if (existing_hash == h && existing == text) return;
  }
}

void OrderedStringSet::grow() {
  std::vector<uint32_t> slots(slots_.empty() ? 64 : slots_.size() * 2, 0);
  const size_t mask = slots.size() - 1;
  for (size_t k = 0; k < items_.size(); ++k) {
    size_t i = items_[k].second & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = static_cast<uint32_t>(k + 1);
  }
  slots_ = std::move(slots);
}

void OrderedStringSet::merge(OrderedStringSet&& other) {
  if (items_.empty()) {
    *this = std::move(other);
    return;
  }
  for (const auto& [text, h] : other.items_) insert_hashed(text, h);
}

}  // namespace flow::runtime::queries
