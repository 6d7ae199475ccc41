// Decoding journal record payloads to views; see record_views.h. The field
// order and the checks mirror journal_records.cpp's Reader.
#include "records/record_views.h"

#include "records/record_fields.h"

#include <bit>
#include <cstring>

namespace flow::runtime {

namespace {

constexpr uint8_t kEncodingVersion = 1;  // journal_records.cpp's

/// A little-endian integer at `p`: one load on little-endian machines
/// (GCC does not merge the byte-by-byte loop journal_records.cpp uses).
template <typename T>
T load_le(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) {
    T swapped = 0;
    for (size_t i = 0; i < sizeof v; ++i) swapped = static_cast<T>((swapped << 8) | ((v >> (8 * i)) & 0xFF));
    v = swapped;
  }
  return v;
}

class ViewReader {
 public:
  explicit ViewReader(std::string_view in) : in_(in) {
    ok_ = !in_.empty() && static_cast<uint8_t>(in_[0]) == kEncodingVersion;
    if (ok_) in_.remove_prefix(1);
  }
  ViewReader& i64(int64_t& v) {
    if (!ok_ || in_.size() < 8) return fail();
    v = static_cast<int64_t>(load_le<uint64_t>(in_.data()));
    in_.remove_prefix(8);
    return *this;
  }
  ViewReader& u32(uint32_t& v) {
    if (!ok_ || in_.size() < 4) return fail();
    v = load_le<uint32_t>(in_.data());
    in_.remove_prefix(4);
    return *this;
  }
  ViewReader& str(std::string_view& s) {
    uint32_t n = 0;
    if (!u32(n).ok_ || in_.size() < n) return fail();
    s = in_.substr(0, n);
    in_.remove_prefix(n);
    return *this;
  }
  std::string_view rest() const { return in_; }
  bool ok() const { return ok_; }
  /// True when every read succeeded and the payload was consumed exactly.
  bool done() const { return ok_ && in_.empty(); }

 private:
  ViewReader& fail() {
    ok_ = false;
    return *this;
  }

  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

bool decode_view(std::string_view payload, EventView& r) {
  ViewReader in(payload);
  record_fields::event(in, r);
  return in.done();
}

bool decode_view(std::string_view payload, DecisionView& r) {
  ViewReader in(payload);
  record_fields::decision_head(in, r).u32(r.rule_count);
  if (!in.ok()) return false;
  r.rules = in.rest();
  // Walks the list once so that a view is only handed out for a payload
  // decode() accepts; decode_rules can then trust the lengths.
  std::string_view name, value;
  for (uint32_t i = 0; i < r.rule_count; ++i) {
    if (!in.str(name).str(value).ok()) return false;
  }
  return in.done();
}

void decode_rules(const DecisionView& decision, std::vector<RuleValue>& out) {
  out.clear();
  out.reserve(decision.rule_count);
  std::string_view rest = decision.rules;
  auto take = [&rest] {
    const uint32_t n = load_le<uint32_t>(rest.data());
    std::string_view s = rest.substr(4, n);
    rest.remove_prefix(4 + n);
    return s;
  };
  for (uint32_t i = 0; i < decision.rule_count; ++i) {
    std::string_view name = take();
    std::string_view value = take();
    out.push_back({std::string(name), std::string(value)});
  }
}

}  // namespace flow::runtime
