// Decoding journal record payloads to views; see record_views.h. The field
// order and the checks mirror journal_records.cpp's Reader.
#include "records/record_views.h"

#include "records/name_list.h"
#include "records/record_fields.h"
#include "records/varint.h"

#include <bit>
#include <cstring>

namespace flow::runtime {

namespace {

constexpr uint8_t kFixedEncoding = 1;  // journal_records.cpp's versions
constexpr uint8_t kVarintEncoding = 2;
constexpr uint8_t kNamedEncoding = 3;

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
  explicit ViewReader(std::string_view in, const NameList* names = nullptr) : in_(in), names_(names) {
    const auto version = in_.empty() ? 0 : static_cast<uint8_t>(in_[0]);
    ok_ = version == kFixedEncoding || version == kVarintEncoding || version == kNamedEncoding;
    if (ok_) {
      compact_ = version != kFixedEncoding;
      named_ = version == kNamedEncoding;
      in_.remove_prefix(1);
    }
  }
  /// Continues reading `in` (a part of a payload) in the given encoding.
  ViewReader(std::string_view in, bool compact, bool named = false, const NameList* names = nullptr)
      : in_(in), names_(names), compact_(compact), named_(named) {}
  ViewReader& i64(int64_t& v) {
    if (compact_) {
      uint64_t u = 0;
      if (!ok_ || !varint::take(in_, u)) return fail();
      v = varint::unzigzag(u);
      return *this;
    }
    if (!ok_ || in_.size() < 8) return fail();
    v = static_cast<int64_t>(load_le<uint64_t>(in_.data()));
    in_.remove_prefix(8);
    return *this;
  }
  ViewReader& u32(uint32_t& v) {
    if (compact_) {
      uint64_t u = 0;
      if (!ok_ || !varint::take(in_, u) || u > UINT32_MAX) return fail();
      v = static_cast<uint32_t>(u);
      return *this;
    }
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
  /// A name field (name_list.h): the view is into the list when the
  /// field refers to it.
  ViewReader& name(std::string_view& s) {
    if (!named_) return str(s);
    if (!ok_ || !take_name(in_, names_, s)) return fail();
    return *this;
  }
  std::string_view rest() const { return in_; }
  bool ok() const { return ok_; }
  bool compact() const { return compact_; }
  bool named() const { return named_; }
  /// True when every read succeeded and the payload was consumed exactly.
  bool done() const { return ok_ && in_.empty(); }

 private:
  ViewReader& fail() {
    ok_ = false;
    return *this;
  }

  std::string_view in_;
  const NameList* names_ = nullptr;
  bool compact_ = false;
  bool named_ = false;
  bool ok_ = true;
};

}  // namespace

bool decode_view(std::string_view payload, EventView& r, const NameList* names) {
  ViewReader in(payload, names);
  record_fields::event(in, r);
  record_fields::restore_source(r);
  return in.done();
}

bool decode_view(std::string_view payload, DecisionView& r) {
  ViewReader in(payload);
  record_fields::decision_head(in, r).u32(r.rule_count);
  if (!in.ok()) return false;
  r.rules = in.rest();
  r.compact = in.compact();
  // Walks the list once so that a view is only handed out for a payload
  // decode() accepts; decode_rules can then trust the lengths.
  std::string_view name, value;
  for (uint32_t i = 0; i < r.rule_count; ++i) {
    if (!in.str(name).str(value).ok()) return false;
  }
  return in.done();
}

bool decode_decision_views(uint8_t kind, std::string_view payload, std::vector<DecisionView>& out,
                           const NameList* names) {
  const size_t before = out.size();
  if (kind == static_cast<uint8_t>(RecordKind::Decision)) {
    if (!decode_view(payload, out.emplace_back())) {
      out.resize(before);
      return false;
    }
    return true;
  }
  if (kind != static_cast<uint8_t>(RecordKind::Decisions)) return false;
  auto refuse = [&] {
    out.resize(before);
    return false;
  };
  ViewReader in(payload, names);
  struct {
    std::string_view event;
  } head;
  uint32_t flow_count = 0, value_count = 0, count = 0;
  if (!record_fields::decision_set_head(in, head).u32(flow_count).ok() || flow_count > payload.size()) return false;
  const std::string_view flows = in.rest();
  std::string_view text, name;
  for (uint32_t i = 0; i < flow_count; ++i) {
    if (!in.name(text).ok()) return false;
  }
  if (!in.u32(value_count).ok() || value_count > payload.size()) return false;
  const std::string_view values = in.rest();
  for (uint32_t i = 0; i < value_count; ++i) {
    if (!in.name(name).name(text).ok()) return false;
  }
  if (!in.u32(count).ok() || count > payload.size()) return false;
  for (uint32_t i = 0; i < count; ++i) {
    DecisionView& d = out.emplace_back();
    struct {
      uint32_t flow = 0;
      int64_t subscription = 0, result = 0;
      std::string_view error;
    } entry;
    if (!record_fields::subscription_decision(in, entry).u32(d.rule_count).ok() || entry.flow >= flow_count) {
      return refuse();
    }
    d.event = head.event;
    // The flow's name: the entry.flow-th string of the flow list.
    ViewReader flow_list(flows, in.compact(), in.named(), names);
    for (uint32_t f = 0; f <= entry.flow; ++f) flow_list.name(d.flow);
    d.subscription = entry.subscription;
    d.result = entry.result;
    d.error = entry.error;
    d.compact = in.compact();
    d.named = in.named();
    d.names = names;
    d.indexed = true;
    d.values = values;
    d.value_count = value_count;
    d.rules = in.rest();
    uint32_t index = 0;
    for (uint32_t r = 0; r < d.rule_count; ++r) {
      if (!in.u32(index).ok() || index >= value_count) return refuse();
    }
    d.rules = d.rules.substr(0, d.rules.size() - in.rest().size());
  }
  if (!in.done()) return refuse();
  return true;
}

void decode_rules(const DecisionView& decision, std::vector<RuleValue>& out) {
  out.clear();
  out.reserve(decision.rule_count);
  // decode_view walked these lists already: every read succeeds.
  ViewReader in(decision.rules, decision.compact);
  std::string_view name, value;
  if (!decision.indexed) {
    for (uint32_t i = 0; i < decision.rule_count; ++i) {
      in.str(name).str(value);
      out.push_back({std::string(name), std::string(value)});
    }
    return;
  }
  std::vector<RuleValue> table;
  table.reserve(decision.value_count);
  ViewReader values(decision.values, decision.compact, decision.named, decision.names);
  for (uint32_t i = 0; i < decision.value_count; ++i) {
    values.name(name).name(value);
    table.push_back({std::string(name), std::string(value)});
  }
  uint32_t index = 0;
  for (uint32_t i = 0; i < decision.rule_count; ++i) {
    in.u32(index);
    out.push_back(table[index]);
  }
}

}  // namespace flow::runtime
