// Names by number: a segment's `names` record (kind 9) lists the names the
// runtime writes over and over — event types, flows, services, rules, the
// definition hash, `true` and `false` — and encoding version 3 of the
// event, decisions, attempt and instance records refers to them by their
// place in that list instead of spelling them out (a third of the
// journal's bytes were such names).
//
// The runtime writes the list as the first record of every segment it
// appends to (journal_writer.h, segment preamble), so a record's names are
// always found in its own segment: sequential readers take the list when
// they pass it, random access reads the segment's first record. A damaged
// list makes only its segment's version-3 records undecodable, which the
// readers report like any record that does not decode.
//
// In a version-3 payload a name field is a varint t: an even t is followed
// by t/2 bytes of text (a name not in the list), an odd t names entry
// (t-1)/2 of the list. Every other field is encoded as in version 2.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flow::runtime {

/// RecordKind::Names (journal_records.h), for the readers here.
inline constexpr uint8_t kNamesRecordKind = 9;

/// The payload of a `names` record listing `names` in order.
std::string encode_names(std::span<const std::string_view> names);

/// A segment's list of names, for decoding (owns its text).
class NameList {
 public:
  /// Replaces the list with the one in a `names` payload; false (and an
  /// empty list) when the payload does not decode.
  bool assign(std::string_view payload);
  std::optional<std::string_view> at(uint64_t index) const {
    if (index >= names_.size()) return std::nullopt;
    return names_[index];
  }
  size_t size() const { return names_.size(); }
  /// The payload it was read from, byte for byte.
  const std::string& payload() const { return payload_; }

 private:
  std::string payload_;
  std::vector<std::string_view> names_;  // into payload_
};

/// The encoder's side: which strings are in the list. Lookups are by
/// address (and size): the engine passes the very strings it listed, and
/// any other text is simply written out. An open-addressed table of a few
/// dozen addresses: a lookup per name field had to cost next to nothing.
class NameRefs {
 public:
  /// Room for `count` strings.
  explicit NameRefs(size_t count);
  /// `text` (this very string) is entry `index` of the list.
  void add(std::string_view text, uint32_t index);
  /// The index of `text` when it is one of the listed strings.
  std::optional<uint32_t> find(std::string_view text) const {
    if (slots_.empty()) return std::nullopt;
    for (size_t i = slot_of(text.data());; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.text == nullptr) return std::nullopt;
      if (slot.text == text.data() && slot.size == text.size()) return slot.index;
    }
  }

 private:
  struct Slot {
    const char* text = nullptr;
    size_t size = 0;
    uint32_t index = 0;
  };
  size_t slot_of(const char* text) const {
    return static_cast<size_t>((reinterpret_cast<uintptr_t>(text) * 0x9E3779B97F4A7C15ull) >> 40) & mask_;
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

/// Reads one version-3 name field from the front of `in`: the listed name
/// (a view into `names`) or the text that follows the tag (a view into
/// `in`). False when it is cut short, or refers past the list or to no list.
bool take_name(std::string_view& in, const NameList* names, std::string_view& out);

/// For readers that go through a journal in order: the list of the segment
/// being read. Call observe() for every record, before decoding it.
class SegmentNames {
 public:
  /// `kind` and `payload` of the record at `segment`; returns the list that
  /// applies to it (nullptr when its segment has none).
  const NameList* observe(uint32_t segment, uint8_t kind, std::string_view payload);

 private:
  uint32_t segment_ = 0;
  bool have_ = false;
  NameList table_;
};

}  // namespace flow::runtime
