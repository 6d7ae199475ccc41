// Names by number; see name_list.h.
#include "records/name_list.h"

#include "records/varint.h"

namespace flow::runtime {

namespace {
// A `names` payload: encoding version 2 (journal_records.h), the count,
// then each name as a varint length and its bytes.
constexpr char kNamesEncoding = 2;
}  // namespace

std::string encode_names(std::span<const std::string_view> names) {
  std::string out(1, kNamesEncoding);
  varint::append(out, names.size());
  for (std::string_view name : names) {
    varint::append(out, name.size());
    out.append(name);
  }
  return out;
}

bool NameList::assign(std::string_view payload) {
  names_.clear();
  payload_.assign(payload);
  std::string_view in = payload_;
  uint64_t count = 0;
  if (in.empty() || in[0] != kNamesEncoding) return false;
  in.remove_prefix(1);
  if (!varint::take(in, count) || count > in.size()) return false;  // each name takes a byte at least
  names_.reserve(static_cast<size_t>(count));
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t size = 0;
    if (!varint::take(in, size) || size > in.size()) {
      names_.clear();
      return false;
    }
    names_.push_back(in.substr(0, static_cast<size_t>(size)));
    in.remove_prefix(static_cast<size_t>(size));
  }
  if (!in.empty()) {
    names_.clear();
    return false;
  }
  return true;
}

NameRefs::NameRefs(size_t count) {
  size_t capacity = 16;
  while (capacity < count * 4) capacity *= 2;
  slots_.resize(capacity);
  mask_ = capacity - 1;
}

void NameRefs::add(std::string_view text, uint32_t index) {
  size_t i = slot_of(text.data());
  while (slots_[i].text != nullptr) {
    if (slots_[i].text == text.data() && slots_[i].size == text.size()) return;  // listed already
    i = (i + 1) & mask_;
  }
  slots_[i] = Slot{text.data(), text.size(), index};
}

bool take_name(std::string_view& in, const NameList* names, std::string_view& out) {
  uint64_t tag = 0;
  if (!varint::take(in, tag)) return false;
  if (tag & 1) {
    const auto text = names ? names->at(tag >> 1) : std::nullopt;
    if (!text) return false;
    out = *text;
    return true;
  }
  const uint64_t size = tag >> 1;
  if (in.size() < size) return false;
  out = in.substr(0, static_cast<size_t>(size));
  in.remove_prefix(static_cast<size_t>(size));
  return true;
}

const NameList* SegmentNames::observe(uint32_t segment, uint8_t kind, std::string_view payload) {
  if (segment != segment_) {
    segment_ = segment;
    have_ = false;
  }
  if (kind == kNamesRecordKind) have_ = table_.assign(payload);
  return have_ ? &table_ : nullptr;
}

}  // namespace flow::runtime
