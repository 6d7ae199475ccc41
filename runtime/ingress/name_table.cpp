// NameTable: open addressing with linear probing; see name_table.h.
#include "ingress/name_table.h"

#include <cstring>

namespace flow::runtime {

namespace {

uint64_t load_bytes(const char* p, size_t n) {  // n <= 8, little or big endian alike
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}

}  // namespace

uint64_t NameTable::hash(std::string_view name) {
  // Names are short identifiers; the first and last eight bytes plus the
  // length tell them apart well, and loading them is branch-light.
  const size_t n = name.size();
  uint64_t a, b;
  if (n >= 8) {
    a = load_bytes(name.data(), 8);
    b = load_bytes(name.data() + n - 8, 8);
  } else if (n >= 4) {
    a = load_bytes(name.data(), 4);
    b = load_bytes(name.data() + n - 4, 4);
  } else {
    a = n ? (static_cast<uint64_t>(static_cast<uint8_t>(name[0])) << 16 |
             static_cast<uint64_t>(static_cast<uint8_t>(name[n / 2])) << 8 | static_cast<uint8_t>(name[n - 1]))
          : 0;
    b = 0;
  }
  uint64_t h = (a ^ 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
  h ^= (b + n) * 0x94D049BB133111EBull;
  h ^= h >> 31;
  h *= 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 29);
}

void NameTable::grow() {
  std::vector<Entry> old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, Entry{});
  const size_t mask = slots_.size() - 1;
  for (const Entry& e : old) {
    if (e.value < 0) continue;
    size_t i = e.hash & mask;
    while (slots_[i].value >= 0) i = (i + 1) & mask;
    slots_[i] = e;
  }
}

void NameTable::insert(std::string_view name, int value) {
  if (value < 0) return;  // -1 means "not found"; callers only store indexes
  if (find(name) >= 0) return;
  if ((count_ + 1) * 2 > slots_.size()) grow();
  Entry e;
  e.hash = hash(name);
  e.offset = static_cast<uint32_t>(chars_.size());
  e.length = static_cast<uint32_t>(name.size());
  e.value = value;
  chars_.append(name);
  const size_t mask = slots_.size() - 1;
  size_t i = e.hash & mask;
  while (slots_[i].value >= 0) i = (i + 1) & mask;
  slots_[i] = e;
  ++count_;
}

int NameTable::find(std::string_view name) const {
  if (slots_.empty()) return -1;
  const uint64_t h = hash(name);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Entry& e = slots_[i];
    if (e.value < 0) return -1;
    if (e.hash == h && e.length == name.size() &&
        (name.empty() || std::memcmp(chars_.data() + e.offset, name.data(), name.size()) == 0))
      return e.value;
  }
}

}  // namespace flow::runtime
