// The express tier of the decoder (express_decoder.h): one pass over the
// line's bytes, directed by the event type. Every null position hands the
// line to the DOM path, which accepts it or hands it on in turn.
//
// Bounds: the cursor may look at up to a few dozen bytes past the end of the
// line (the caller guarantees CloudEventDecoder::kPadding readable bytes),
// but every token it accepts must end within the line, and the root must be
// followed by nothing but whitespace up to the end exactly.
#include "ingress/express_decoder.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include <simdjson.h>

#include "base/short_copy.h"
#include "base/time_format.h"
#include "ingress/attributes.h"
#include "ingress/duration_text.h"
#include "ingress/express_scan.h"
#include "ingress/float_text.h"
#include "ingress/map_entries.h"
#include "layout/event_builder.h"
#include "rt_abi/decimal_bits.h"

namespace flow::runtime {

using layout::store;

using namespace express_scan;

/// flow::parse_timestamp, faster for the commonest form of timestamp,
/// "YYYY-MM-DDTHH:MM:SSZ" (UTC, whole seconds): the digits and separators
/// checked a word at a time, then the same range checks (valid_date_time)
/// and arithmetic. Every other text, and every one that fails here, is
/// flow::parse_timestamp's.
std::optional<int64_t> ExpressDecoder::timestamp_of(std::string_view text) {
  timestamp_canonical_ = false;
  if (text.size() != 20) return parse_timestamp(text);
  const char* p = text.data();
  // Bytes 0-7 "YYYY-MM-", 8-15 "DDTHH:MM", 12-19 "H:MM:SSZ".
  const uint64_t a = load8(p), b = load8(p + 8), c = load8(p + 12);
  constexpr uint64_t kSeparatorsA = byte_at(4, 0xFF) | byte_at(7, 0xFF);
  constexpr uint64_t kSeparatorsB = byte_at(2, 0xFF) | byte_at(5, 0xFF);
  constexpr uint64_t kSeparatorsC = byte_at(4, 0xFF) | byte_at(7, 0xFF);
  constexpr uint64_t kSecondsC = byte_at(5, 0xFF) | byte_at(6, 0xFF);
  const bool shape = (a & kSeparatorsA) == (byte_at(4, '-') | byte_at(7, '-')) &&
                     (b & kSeparatorsB) == (byte_at(2, 'T') | byte_at(5, ':')) &&
                     (c & kSeparatorsC) == (byte_at(4, ':') | byte_at(7, 'Z')) &&
                     eight_digits(only_digits(a, ~kSeparatorsA)) && eight_digits(only_digits(b, ~kSeparatorsB)) &&
                     eight_digits(only_digits(c, kSecondsC));
  if (!shape) return parse_timestamp(text);
  const auto two = [p](int i) { return (p[i] - '0') * 10 + (p[i + 1] - '0'); };
  const int year = two(0) * 100 + two(2), month = two(5), day = two(8);
  const int hour = two(11), minute = two(14), second = two(17);
  if (!valid_date_time(year, month, day, hour, minute, second)) return parse_timestamp(text);
  // Timestamps of one stream mostly fall in one month: the days to its first
  // are kept (days_from_civil is linear in the day of the month).
  const int month_key = year * 16 + month;
  if (month_key != month_key_) {
    month_key_ = month_key;
    month_days_ = days_from_civil(year, static_cast<unsigned>(month), 1);
  }
  const int64_t days = month_days_ + day - 1;
  // The encoder writes whole seconds in exactly this form (a leap second
  // is read as :59, so not written as it came).
  timestamp_canonical_ = second != 60;
  return (days * 86400 + hour * 3600 + minute * 60 + (second == 60 ? 59 : second)) * 1000000;
}

namespace {

// ---- Patterns ---------------------------------------------------------------

/// The pattern of `text`; one longer than kMaxPattern never matches.
ExpressDecoder::Pattern pattern_of(const char* text, size_t size) {
  ExpressDecoder::Pattern k;
  k.size = size;
  if (size > ExpressDecoder::kMaxPattern) {
    k.head = 1;  // & 0 is never 1
    return k;
  }
  char head[8] = {};
  std::memcpy(head, text, size < 8 ? size : 8);
  k.head = load8(head);
  k.head_mask = size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
  // Up to eight bytes the tail is the head again; then the last eight bytes.
  k.tail_at = size > 8 ? size - 8 : 0;
  k.tail = size > 8 ? load8(text + k.tail_at) : k.head;
  k.tail_mask = size > 8 ? ~uint64_t{0} : k.head_mask;
  return k;
}

/// The position after `literal` (of N - 1 bytes) when the line has it at
/// `p`, else null. Constant-size compares compile to loads and compares with
/// immediates.
template <size_t N>
inline const char* after_literal(const char* p, const char* end, const char (&literal)[N]) {
  return end - p >= static_cast<ptrdiff_t>(N - 1) && std::memcmp(p, literal, N - 1) == 0 ? p + N - 1 : nullptr;
}

/// Enums with more members are looked up by name instead.
constexpr size_t kMaxMemberPatterns = 8;

}  // namespace

inline bool ExpressDecoder::Pattern::matches(const char* p, const char* end) const {
  // Both words are within the padding (p <= end); the length check decides
  // whether all of the bytes are within the line.
  return (((load8(p) & head_mask) ^ head) | ((load8(p + tail_at) & tail_mask) ^ tail)) == 0 &&
         end - p >= static_cast<ptrdiff_t>(size);
}

const std::vector<ExpressDecoder::Pattern>* ExpressDecoder::member_patterns(const TypeCodec& codec) {
  if (codec.kind != TypeKind::Enum || codec.enumeration->json_names.size() > kMaxMemberPatterns) return nullptr;
  std::vector<Pattern>& patterns = members_[codec.enumeration];
  if (patterns.empty()) {
    for (const std::string& name : codec.enumeration->json_names)
      patterns.push_back(pattern_of(name.data(), name.size()));
  }
  return &patterns;
}

void ExpressDecoder::plan_fields(const StructCodec& type, TypePlan& plan) {
  plan.usable = type.fields.size() <= 64;
  if (!plan.usable) return;
  for (const FieldCodec& f : type.fields) {
    FieldPlan field;
    field.key = pattern_of(f.json_key.data(), f.json_key.size());
    const std::string next_key = "," + f.json_key;
    field.next_key = pattern_of(next_key.data(), next_key.size());
    field.codec = f.value;
    field.members = member_patterns(*f.value);
    field.offset = f.offset;
    field.kind = f.value->kind;
    field.optional = f.optional;
    field.verbatim = verbatim_of(*f.value);
    plan.fields.push_back(field);
    if (f.absent != Absent::None) plan.must_fill |= uint64_t{1} << f.index;
    if (f.value->kind == TypeKind::List) plan.list_room = kListRoom;
  }
  // Two fields past the last whose keys never match: decode_members tries
  // the next two keys without checking where the fields end.
  FieldPlan none;
  none.key = none.next_key = pattern_of("", kMaxPattern + 1);
  plan.fields.push_back(none);
  plan.fields.push_back(none);
}

/// Plans every record `codec` holds, at any depth.
void ExpressDecoder::plan_records(const TypeCodec& codec) {
  if (codec.element) plan_records(*codec.element);
  if (!codec.record) return;
  auto& plan = record_plans_[static_cast<size_t>(codec.record->record_index)];
  if (plan) return;
  plan = std::make_unique<TypePlan>();
  plan_fields(*codec.record, *plan);
  for (const FieldCodec& f : codec.record->fields) plan_records(*f.value);
}

ExpressDecoder::ExpressDecoder(const EventCatalog& catalog, bool strict) : catalog_(catalog), strict_(strict) {
  plans_.resize(catalog.types().size());
  record_plans_.resize(catalog.record_count());
  for (const auto& type : catalog.types()) {
    plan_fields(*type, plans_[static_cast<size_t>(type->index)]);
    for (const FieldCodec& f : type->fields) plan_records(*f.value);
    verbatim_.resize(std::max(verbatim_.size(), type->fields.size()));
  }
}

ExpressDecoder::Verbatim ExpressDecoder::verbatim_of(const TypeCodec& codec) {
  switch (codec.kind) {
    case TypeKind::String:
    case TypeKind::Enum:
    case TypeKind::Bool: return Verbatim::Always;
    case TypeKind::Int: return Verbatim::Int;
    case TypeKind::Float: return Verbatim::Float;
    case TypeKind::Timestamp: return Verbatim::Timestamp;
    case TypeKind::Decimal: return Verbatim::Decimal;
    case TypeKind::List:
    case TypeKind::Map:
    case TypeKind::Record: return Verbatim::Nested;
    default: return Verbatim::Never;
  }
}

// ---- Tokens -----------------------------------------------------------------

void ExpressDecoder::begin(const char* json, size_t size) {
  json_ = json;
  end_ = json + size;
  non_ascii_ = false;
  line_copy_ = nullptr;
  text_.tracking = false;
  text_.rewritten.clear();
  text_.fields.clear();
}

/// Only whitespace may follow the root; non-ASCII string bytes must be UTF-8
/// (the DOM parser validates the whole line; outside strings the scanner
/// accepts ASCII only).
bool ExpressDecoder::finish(const char* p) const {
  if (!p || past_whitespace(p) != end_) return false;
  return !non_ascii_ || simdjson::validate_utf8(json_, static_cast<size_t>(end_ - json_));
}

inline const char* ExpressDecoder::past_whitespace(const char* p) const {
  if (static_cast<unsigned char>(*p) > ' ') return p;  // compact JSON (past the end: the caller's check fails)
  while (p < end_ && is_whitespace(*p)) ++p;
  return p;
}

/// past_whitespace, cutting it from a nested field's text (the encoder
/// writes none).
inline const char* ExpressDecoder::skip_whitespace(const char* p) {
  const char* const after = past_whitespace(p);
  if (after != p && text_.tracking) rewrite(p, after, {});
  return after;
}

/// The plain string whose opening quote is at `p`: sets `text` and returns
/// the position after the closing quote; null when the string has an escape
/// or a control byte or is not closed within the line.
inline const char* ExpressDecoder::scan_string(const char* p, std::string_view& text) {
  const char* const start = p + 1;
  for (const char* q = start; q < end_;) {
    const auto stops = string_stops_at(q);  // may read into the padding; never accepted from there
    if (stops == 0) {
      q += kStopsWidth;
      continue;
    }
    q += std::countr_zero(stops) / kStopsBits;
    if (*q == '"') {
      if (q >= end_) return nullptr;
      text = std::string_view(start, static_cast<size_t>(q - start));
      return q + 1;
    }
    if (static_cast<unsigned char>(*q) < 0x80) return nullptr;  // an escape or a control byte
    non_ascii_ = true;
    ++q;
  }
  return nullptr;
}

/// `true`, `false` or `null` at `p`.
inline const char* ExpressDecoder::scan_literal(const char* p, std::string_view word) const {
  if (end_ - p < static_cast<ptrdiff_t>(word.size()) || std::memcmp(p, word.data(), word.size()) != 0) return nullptr;
  return p + word.size();
}

/// The value of a key the decoder ignores: a string, number, true, false or
/// null (what the DOM parser accepts; objects and arrays are left to it).
const char* ExpressDecoder::skip_scalar(const char* p) {
  std::string_view text;
  switch (peek(p)) {
    case '"': return scan_string(p, text);
    case 't': return scan_literal(p, "true");
    case 'f': return scan_literal(p, "false");
    case 'n': return scan_literal(p, "null");
    default: break;
  }
  // A number the DOM parser reads without trouble: one of the express path.
  Number n;
  int64_t i;
  double d;
  if (peek(p) != '-' && !is_digit(peek(p))) return nullptr;
  p = scan_number(p, n);
  return p && (to_int(n, i) || to_double(n, d)) ? p : nullptr;
}

/// After a member's (or element's) value: a comma and the start of the next
/// one, or the closing bracket (then `done`).
inline const char* ExpressDecoder::next_member(const char* p, char close, bool& done) {
  p = skip_whitespace(p);
  const char c = peek(p);
  done = c == close;
  if (done) return p + 1;
  return c == ',' ? skip_whitespace(p + 1) : nullptr;
}

// ---- Values -----------------------------------------------------------------

/// A string of the line as kept: in the copy of the line that decode_object
/// makes next to the instance (one allocation and one copy per line instead
/// of one per string).
inline FlowStr ExpressDecoder::kept(std::string_view text) const {
  return FlowStr{kept_at(text.data()), text.size()};
}

/// A value read from a JSON string (string, timestamp, duration, enum), its
/// opening quote at `p`.
inline const char* ExpressDecoder::decode_string(const char* p, const TypeCodec& codec, uint8_t* slot) {
  std::string_view text;
  if (!(p = scan_string(p, text))) return nullptr;
  switch (codec.kind) {
    case TypeKind::String: store(slot, kept(text)); return p;
    case TypeKind::Timestamp: {
      const std::optional<int64_t> micros = timestamp_of(text);
      if (!micros) return nullptr;
      store(slot, *micros);
      if (text_.tracking && !timestamp_canonical_) rewrite_quoted(text.data() - 1, p, *micros, write_timestamp);
      return p;
    }
    case TypeKind::Duration: {
      const std::optional<int64_t> micros = parse_duration_text(text);
      if (!micros) return nullptr;
      store(slot, *micros);
      if (text_.tracking) rewrite_quoted(text.data() - 1, p, *micros, format_duration_text);
      return p;
    }
    case TypeKind::Enum: {
      const int member = codec.enumeration->members.find(text);
      if (member < 0) return nullptr;
      store(slot, static_cast<int32_t>(member));
      return p;
    }
    default: return nullptr;
  }
}

/// A number at `p` (starting with `c`) into an int or float slot.
[[gnu::always_inline]] inline const char* ExpressDecoder::decode_number(const char* p, char c, TypeKind kind,
                                                                        uint8_t* slot) {
  if (c != '-' && !is_digit(c)) return nullptr;
  Number n;
  const char* const start = p;
  if (!(p = scan_number(p, n))) return nullptr;
  if (kind == TypeKind::Int) {
    int64_t value;
    if (!to_int(n, value)) return nullptr;
    store(slot, value);
    if (text_.tracking && n.negative && value == 0) rewrite(start, p, "0");  // `-0`
  } else {
    double value;
    if (!to_double(n, value)) return nullptr;
    store(slot, value);
    float_canonical_ = is_short_float_text(n);
    if (text_.tracking && !float_canonical_) rewrite_float(start, p, value);
  }
  return p;
}

inline const char* ExpressDecoder::decode_bool(const char* p, uint8_t* slot) const {
  const char c = peek(p);
  layout::store_bool(slot, c == 't');
  return c == 't' ? scan_literal(p, "true") : c == 'f' ? scan_literal(p, "false") : nullptr;
}

/// An enum member at `p` compared with each member's `"Name"` as a whole:
/// no scan, no lookup. (A member spelt with escapes is the DOM path's.)
inline const char* ExpressDecoder::decode_member(const char* p, const std::vector<Pattern>& members,
                                                 uint8_t* slot) const {
  for (size_t i = 0; i < members.size(); ++i) {
    if (members[i].matches(p, end_)) {
      store(slot, static_cast<int32_t>(i));
      return p + members[i].size;
    }
  }
  return nullptr;
}

inline const char* ExpressDecoder::decode_value(const char* p, const TypeCodec& codec, uint8_t* slot, Arena& arena,
                                                size_t depth) {
  const char c = peek(p);
  switch (codec.kind) {
    case TypeKind::Bool: return decode_bool(p, slot);
    case TypeKind::Int: return decode_number(p, c, TypeKind::Int, slot);
    case TypeKind::Float: return decode_number(p, c, TypeKind::Float, slot);
    case TypeKind::Decimal: return decode_decimal(p, c, slot);
    case TypeKind::List: return c == '[' ? decode_list(p, codec, slot, arena, depth) : nullptr;
    case TypeKind::Map: return c == '{' ? decode_map(p, codec, slot, arena, depth) : nullptr;
    case TypeKind::Record: return c == '{' ? decode_record(p, codec, slot, arena, depth) : nullptr;
    default: return c == '"' ? decode_string(p, codec, slot) : nullptr;
  }
}

/// A decimal at `p` (starting with `c`) from the number's own text, or a
/// string's without escapes, never through a double.
inline const char* ExpressDecoder::decode_decimal(const char* p, char c, uint8_t* slot) {
  if (c != '"') {
    // Most amounts have few digits and no long exponent: their digits are
    // the coefficient and their exponent (minus the fraction's digits) the
    // exponent, packed as flow_rt_decimal_parse packs them. Longer ones,
    // and exponents out of range, are the library's.
    namespace decimal = rt_abi::decimal;
    Number n;
    const char* after = scan_number(p, n);
    if (after && n.exponent >= decimal::kExponentMin && n.exponent <= decimal::kExponentMax) {
      store(slot, decimal::pack(n.negative, n.digits, n.exponent));
      // Without an exponent, only the text of a small fraction (0.0000001,
      // 1E-7 to Python's str()) may not be the encoder's.
      if (text_.tracking && (n.scientific || (p[n.negative] == '0' && !is_decimal_text_as_written(p, after)))) {
        const FlowDecimal d = layout::load<FlowDecimal>(slot);
        rewrite_decimal(p, after, d);
      }
      return after;
    }
  }
  return parse_decimal(p, c, slot);
}

/// decode_decimal through the library's parser.
const char* ExpressDecoder::parse_decimal(const char* p, char c, uint8_t* slot) {
  std::string_view text;
  const char* after;
  if (c == '"') {
    if (!(after = scan_string(p, text))) return nullptr;
  } else {
    if (!(after = scan_number_text(p, end_))) return nullptr;
    text = std::string_view(p, static_cast<size_t>(after - p));
  }
  FlowDecimal d{};
  if (flow_rt_decimal_parse(text.data(), text.size(), &d) != FLOW_DECIMAL_PARSE_OK) return nullptr;
  store(slot, d);
  if (text_.tracking && !is_decimal_text_as_written(p, after)) rewrite_decimal(p, after, d);
  return after;
}

/// The element at `p`, as decode_list reads it: one that fills its whole
/// slot, or a boxed optional one (presence byte, padding) cleared first.
inline const char* ExpressDecoder::decode_element(const char* p, const TypeCodec& container, uint8_t* element,
                                                  Arena& arena, size_t depth) {
  if (peek(p) == 'n') {
    if (!container.element_optional) return nullptr;
    std::memset(element, 0, container.element_size);
    return scan_literal(p, "null");
  }
  if (container.element_optional) {
    std::memset(element, 0, container.element_size);
    element[0] = 1;
    element += container.element_value_offset;
  }
  return decode_value(p, *container.element, element, arena, depth + 1);
}

namespace {

/// The next slot of `size` bytes in a scratch buffer of which `used` are.
inline uint8_t* scratch_slot(std::vector<uint8_t>& buffer, size_t& used, size_t size) {
  if (used + size > buffer.size()) buffer.resize(2 * (used + size) + 256);
  uint8_t* slot = buffer.data() + used;
  used += size;
  return slot;
}

}  // namespace

/// The map at `p` (its `{`): entries in the order they come, then sorted
/// (map_entries.h); a key with an escape is the DOM path's.
const char* ExpressDecoder::decode_map(const char* p, const TypeCodec& codec, uint8_t* slot, Arena& arena,
                                       size_t depth) {
  if (depth >= kMaxListDepth) return nullptr;
  p = skip_whitespace(p + 1);
  std::vector<uint8_t>& buffer = scratch_[depth];
  const size_t size = codec.entry_size;
  size_t used = 0;
  uint64_t count = 0;
  bool done = peek(p) == '}';
  if (done) ++p;
  std::string_view last_key;
  while (!done) {
    std::string_view key;
    if (peek(p) != '"' || !(p = scan_string(p, key))) return nullptr;
    // The encoder writes the keys in the map's (sorted) order.
    if (text_.tracking && count > 0 && !key_before(last_key, key)) text_.ok = false;
    last_key = key;
    p = skip_whitespace(p);
    if (peek(p) != ':') return nullptr;
    p = skip_whitespace(p + 1);
    uint8_t* entry = scratch_slot(buffer, used, size);
    ++count;
    std::memset(entry, 0, size);  // the padding after the value too
    store(entry, kept(key));
    if (!(p = decode_element(p, codec, entry + codec.entry_value_offset, arena, depth)) ||
        !(p = next_member(p, '}', done))) {
      return nullptr;
    }
  }
  FlowMap map{};
  std::string_view duplicate;
  if (!sort_map_entries(buffer.data(), count, codec.entry_size, order_, arena, map, duplicate)) return nullptr;
  store(slot, map);
  return p;
}

/// The record at `p` (its `{`) into its inline bytes at `slot`.
const char* ExpressDecoder::decode_record(const char* p, const TypeCodec& codec, uint8_t* slot, Arena& arena,
                                          size_t depth) {
  const TypePlan* plan = record_plans_[static_cast<size_t>(codec.record->record_index)].get();
  if (!plan || !plan->usable) return nullptr;
  std::memset(slot, 0, codec.record->layout->size);
  return decode_members<false>(p, *codec.record, *plan, slot, arena, depth, nullptr);
}

/// The list at `p` (its `[`), laid out as FastDecoder::decode_value lays it
/// out: one slot per element, an optional element boxed with a presence
/// byte that stays zero for null.
const char* ExpressDecoder::decode_list(const char* p, const TypeCodec& codec, uint8_t* slot, Arena& arena,
                                        size_t depth) {
  if (depth >= kMaxListDepth) return nullptr;
  p = skip_whitespace(p + 1);
  std::vector<uint8_t>& buffer = scratch_[depth];
  const size_t size = codec.element_size;
  size_t used = 0;
  uint64_t count = 0;
  bool done = peek(p) == ']';
  if (done) ++p;
  while (!done) {
    uint8_t* element = scratch_slot(buffer, used, size);
    ++count;
    if (codec.element->kind == TypeKind::String && !codec.element_optional) {  // the commonest list, inline
      std::string_view text;
      if (peek(p) != '"' || !(p = scan_string(p, text))) return nullptr;
      store(element, kept(text));
    } else if (codec.element->kind == TypeKind::Record && !codec.element_optional) {  // and the next
      p = peek(p) == '{' ? decode_record(p, *codec.element, element, arena, depth + 1) : nullptr;
    } else {
      p = decode_element(p, codec, element, arena, depth);
    }
    if (!p || !(p = next_member(p, ']', done))) return nullptr;
  }
  void* data = list_storage(used, arena);
  short_copy(data, buffer.data(), used);
  store(slot, FlowList{data, count});
  return p;
}

/// Where the elements of a list go: the room next to the instance while it
/// lasts (kept 8-aligned), else the arena.
inline void* ExpressDecoder::list_storage(size_t size, Arena& arena) {
  const size_t rounded = (size + 7) & ~size_t{7};
  if (rounded > list_room_left_) {
    list_overflow_ += rounded;
    return arena.allocate(size, 8);
  }
  void* at = list_room_;
  list_room_ += rounded;
  list_room_left_ -= rounded;
  return at;
}

// ---- Objects ----------------------------------------------------------------

/// The key at `p` when it is not the expected one and its colon: sets
/// `index` to the field it names, or -1 for an unknown key.
const char* ExpressDecoder::field_key(const char* p, const StructCodec& type, int& index) {
  std::string_view key;
  if (peek(p) != '"' || !(p = scan_string(p, key))) return nullptr;
  if (const char* colon = past_whitespace(p); colon != p) {
    // Not cut (a member left out may have to be written before this key),
    // so not the encoder's text.
    text_.ok = false;
    p = colon;
  }
  if (peek(p) != ':') return nullptr;
  index = type.field_names.find(key);
  return p + 1;
}

/// The value of a field at `p` (starting with `c`, not null): the common
/// kinds inline.
[[gnu::always_inline]] inline const char* ExpressDecoder::decode_field(const char* p, char c, const FieldPlan& field,
                                                                       uint8_t* slot, Arena& arena, size_t depth) {
  std::string_view text;
  switch (field.kind) {
    case TypeKind::String:
      if (c != '"' || !(p = scan_string(p, text))) return nullptr;
      store(slot, kept(text));
      return p;
    case TypeKind::Timestamp: {
      if (c != '"' || !(p = scan_string(p, text))) return nullptr;
      const std::optional<int64_t> micros = timestamp_of(text);
      if (!micros) return nullptr;
      store(slot, *micros);
      if (text_.tracking && !timestamp_canonical_) rewrite_quoted(text.data() - 1, p, *micros, write_timestamp);
      return p;
    }
    case TypeKind::Int: return decode_number(p, c, TypeKind::Int, slot);  // (the kind a constant when inlined)
    case TypeKind::Float: return decode_number(p, c, TypeKind::Float, slot);
    case TypeKind::Decimal: return decode_decimal(p, c, slot);
    case TypeKind::List: return c == '[' ? decode_list(p, *field.codec, slot, arena, depth) : nullptr;
    case TypeKind::Enum:
      if (field.members) return decode_member(p, *field.members, slot);
      return c == '"' ? decode_string(p, *field.codec, slot) : nullptr;
    default: return decode_value(p, *field.codec, slot, arena, depth);
  }
}

/// Gives the fields not in `seen` their absent values (fill_absent_fields);
/// called when any of them needs more than the zeroed slot and clear
/// presence bit they have already.
bool ExpressDecoder::fill_absent(const StructCodec& type, uint64_t seen, uint8_t* instance, Arena& arena) {
  seen_.reset(type.fields.size());
  for (uint64_t bits = seen; bits; bits &= bits - 1) seen_.mark(static_cast<size_t>(std::countr_zero(bits)));
  return fill_absent_fields(type, seen_, instance, arena);
}

/// Whether the value text [value, end) of `field`, just decoded into `slot`,
/// is what the encoder writes for it (Verbatim).
inline bool ExpressDecoder::is_verbatim(const FieldPlan& field, const char* value, const char* end,
                                        const uint8_t* slot) const {
  switch (field.verbatim) {
    case Verbatim::Never: return false;
    case Verbatim::Always: return true;
    case Verbatim::Int: return *value != '-' || layout::load<int64_t>(slot) != 0;  // `-0` is written `0`
    case Verbatim::Float: return float_canonical_;
    case Verbatim::Timestamp: return timestamp_canonical_;
    case Verbatim::Decimal: return is_decimal_text_as_written(value, end);
    case Verbatim::Nested: return false;  // (FieldText)
  }
  return false;
}

template <bool kEvent>
const char* ExpressDecoder::decode_members(const char* p, const StructCodec& type, const TypePlan& plan, uint8_t* out,
                                           Arena& arena, size_t depth, std::string_view* verbatim) {
  p = skip_whitespace(p + 1);
  const FieldPlan* const fields = plan.fields.data();
  uint64_t seen = 0, present = 0;
  size_t expected = 0;
  bool done = peek(p) == '}';
  if (done) ++p;
  if (!kEvent && !done && fields[0].key.matches(p, end_)) {
    // A record's fields mostly come in declaration order, each there, as
    // the encoder writes them: those are read without the bookkeeping
    // below, which takes over at the first field that is not next.
    p += fields[0].key.size;
    size_t i = 0;
    for (;;) {
      p = skip_whitespace(p);
      const FieldPlan& field = fields[i];
      const char c = peek(p);
      if (c == 'n') {
        if (!field.optional || !(p = scan_literal(p, "null"))) return nullptr;  // none
      } else {
        if (!(p = decode_field(p, c, field, out + field.offset, arena, depth))) return nullptr;
        present |= uint64_t{1} << i;
      }
      ++i;
      if (!fields[i].next_key.matches(p, end_)) break;  // (never past the last field)
      p += fields[i].next_key.size;
    }
    expected = i;
    seen = i == 64 ? ~uint64_t{0} : (uint64_t{1} << i) - 1;
    if (!(p = next_member(p, '}', done))) return nullptr;
  }
  bool next_key = false;  // `p` is past the key of fields[expected] and the comma before it
  while (!done) {
    const char* const member = p;
    // Producers usually write the fields in declaration order, compactly:
    // then the next field's `"name":` matches as one or two words.
    int index;
    if (next_key) {
      index = static_cast<int>(expected);
    } else if (fields[expected].key.matches(p, end_)) {
      index = static_cast<int>(expected);
      p += fields[expected].key.size;
    } else if (fields[expected + 1].key.matches(p, end_)) {
      index = static_cast<int>(expected + 1);  // an optional field left out
      p += fields[expected + 1].key.size;
    } else if (!(p = field_key(p, type, index))) {
      return nullptr;
    }
    // In a nested field's text: every field, in order (checked before the
    // whitespace after the key is cut, which moves past `member`).
    if (!kEvent && index != static_cast<int>(expected) && text_.tracking) {
      if (index < 0) {
        text_.ok = false;  // the encoder writes declared fields only
      } else {
        absent_members(type, expected, static_cast<size_t>(index), member, seen == 0, false);
      }
    }
    p = skip_whitespace(p);
    if (index < 0) {
      if (strict_ || !(p = skip_scalar(p))) return nullptr;
    } else {
      const uint64_t bit = uint64_t{1} << index;
      if (seen & bit) return nullptr;  // duplicate
      seen |= bit;
      expected = static_cast<size_t>(index) + 1;
      const FieldPlan& field = fields[index];
      const char c = peek(p);
      if (c == 'n') {
        if (!field.optional || !(p = scan_literal(p, "null"))) return nullptr;  // none
      } else if constexpr (kEvent) {
        const char* value = p;
        const bool nested = field.verbatim == Verbatim::Nested;
        if (nested) begin_text(value);
        if (!(p = decode_field(p, c, field, out + field.offset, arena, depth))) return nullptr;
        present |= bit;
        if (nested) {
          end_text(static_cast<size_t>(index), value, p, verbatim);
        } else if (is_verbatim(field, value, p, out + field.offset)) {
          verbatim[static_cast<size_t>(index)] = std::string_view(kept_at(value), static_cast<size_t>(p - value));
        }
      } else {
        if (!(p = decode_field(p, c, field, out + field.offset, arena, depth))) return nullptr;
        present |= bit;
      }
    }
    // The next field's comma and key as a whole, else the comma or the end.
    next_key = fields[expected].next_key.matches(p, end_);
    if (next_key) {
      p += fields[expected].next_key.size;
    } else if (!(p = next_member(p, '}', done))) {
      return nullptr;
    }
  }
  if (!kEvent && expected < type.fields.size() && text_.tracking)
    absent_members(type, expected, type.fields.size(), p - 1, seen == 0, true);
  // The presence bitmap: bit i of byte i / 8 is field i.
  const layout::StructLayout& layout = *type.layout;
  for (uint32_t i = 0; i < layout.bitmap_bytes; ++i)
    out[layout.bitmap_offset + i] = static_cast<uint8_t>(present >> (8 * i));
  if ((plan.must_fill & ~seen) != 0 && !fill_absent(type, seen, out, arena)) return nullptr;
  return p;
}

/// The `data` object at `p`, into a new instance of `type`, filled as
/// FastDecoder::decode_data fills it.
const char* ExpressDecoder::decode_object(const char* p, const EventType& type, Arena& arena, uint8_t*& instance) {
  TypePlan& plan = plans_[static_cast<size_t>(type.index)];
  if (!plan.usable || peek(p) != '{') return nullptr;
  const layout::EventLayout& layout = *type.layout;
  // One allocation: the instance, room for the elements of short lists, and
  // the copy of the line its strings point into.
  const auto line_size = static_cast<size_t>(end_ - json_);
  auto* out = static_cast<uint8_t*>(arena.allocate(layout.size + plan.list_room + line_size, layout.align));
  std::memset(out, 0, layout.size);
  list_room_ = out + layout.size;  // layout.size is a multiple of 8, the largest element alignment
  list_room_left_ = plan.list_room;
  list_overflow_ = 0;
  line_copy_ = reinterpret_cast<char*>(out + layout.size + plan.list_room);
  std::memcpy(line_copy_, json_, line_size);
  std::fill_n(verbatim_.begin(), type.fields.size(), std::string_view());
  if (!(p = decode_members<true>(p, type, plan, out, arena, 0, verbatim_.data()))) return nullptr;
  for (const auto& [field, offset, size] : text_.fields) verbatim_[field] = {text_.rewritten.data() + offset, size};
  // Lines of a type are alike: room for as many list bytes next time.
  if (list_overflow_ > 0) plan.list_room = std::min(kMaxListRoom, plan.list_room + list_overflow_);
  instance = out;
  return p;
}

// ---- The encoder's text of nested fields -------------------------------------

inline void ExpressDecoder::begin_text(const char* value) {
  text_.tracking = true;
  text_.ok = true;
  text_.rewriting = false;
  text_.copied_to = value;
}

/// Ends the nested field `field` whose value is the line's [value, end):
/// its text is the line's own, or the rewritten one, or none.
inline void ExpressDecoder::end_text(size_t field, const char* value, const char* end, std::string_view* verbatim) {
  text_.tracking = false;
  if (!text_.ok) return;
  if (!text_.rewriting) {
    verbatim[field] = std::string_view(kept_at(value), static_cast<size_t>(end - value));
    return;
  }
  text_.rewritten.append(text_.copied_to, static_cast<size_t>(end - text_.copied_to));
  text_.fields.push_back({field, text_.start, text_.rewritten.size() - text_.start});
}

void ExpressDecoder::rewrite(const char* from, const char* to, std::string_view text) {
  if (!text_.ok) return;
  if (!text_.rewriting) {
    text_.rewriting = true;
    text_.start = text_.rewritten.size();
  }
  text_.rewritten.append(text_.copied_to, static_cast<size_t>(from - text_.copied_to));
  text_.rewritten.append(text);
  text_.copied_to = to;
}

/// rewrite, unless the line has `written` there already (a value whose
/// text may not be the encoder's: compared with it).
void ExpressDecoder::rewrite_unless_same(const char* from, const char* to, std::string_view written) {
  if (written != std::string_view(from, static_cast<size_t>(to - from))) rewrite(from, to, written);
}

void ExpressDecoder::rewrite_float(const char* from, const char* to, double value) {
  char text[kMaxFloatText];
  rewrite_unless_same(from, to, std::string_view(text, static_cast<size_t>(write_float_text(value, text) - text)));
}

void ExpressDecoder::rewrite_quoted(const char* from, const char* to, int64_t micros,
                                    char* (*write)(int64_t micros, char* out)) {
  char text[std::max(kMaxTimestampText, kMaxDurationText) + 2];
  text[0] = '"';
  char* end = write(micros, text + 1);
  *end++ = '"';
  rewrite_unless_same(from, to, std::string_view(text, static_cast<size_t>(end - text)));
}

void ExpressDecoder::rewrite_decimal(const char* from, const char* to, const FlowDecimal& value) {
  char text[FLOW_DECIMAL_TEXT_CAPACITY];
  rewrite_unless_same(from, to, std::string_view(text, flow_rt_decimal_format(&value, text)));
}

void ExpressDecoder::absent_members(const StructCodec& type, size_t from, size_t to, const char* at, bool first,
                                    bool closing) {
  if (from > to) text_.ok = false;  // out of order
  for (size_t i = from; i < to && text_.ok; ++i) {
    const FieldCodec& f = type.fields[i];
    if (f.absent != Absent::None) {  // a default, written as its value
      text_.ok = false;
      return;
    }
    // `"zip":null,` before a member, `,"zip":null` before the `}`.
    if (closing && !first) rewrite(at, at, ",");
    rewrite(at, at, f.json_key);
    rewrite(at, at, "null");
    if (!closing) rewrite(at, at, ",");
    first = false;
  }
}

// ---- The envelope -----------------------------------------------------------

/// The key at `p` with its colon and the whitespace after: which attribute.
inline const char* ExpressDecoder::attribute_key(const char* p, Attribute& attribute) {
  // By the name's first letter (p <= end_: p[1] is readable), the whole key
  // with its quotes and colon at once.
  const char* after = nullptr;
  switch (p[1]) {
    case 'd':
      if ((after = after_literal(p, end_, "\"data\":")))
        attribute = Attribute::Data;
      else if ((after = after_literal(p, end_, "\"data_base64\":")))
        attribute = Attribute::DataBase64;
      break;
    case 'i':
      if ((after = after_literal(p, end_, "\"id\":"))) attribute = Attribute::Id;
      break;
    case 's':  // (specversion usually came first, taken whole by decode)
      if ((after = after_literal(p, end_, "\"source\":")))
        attribute = Attribute::Source;
      else if ((after = after_literal(p, end_, "\"subject\":")))
        attribute = Attribute::Subject;
      else if ((after = after_literal(p, end_, "\"specversion\":")))
        attribute = Attribute::SpecVersion;
      break;
    case 't':
      if ((after = after_literal(p, end_, "\"type\":")))
        attribute = Attribute::Type;
      else if ((after = after_literal(p, end_, "\"time\":")))
        attribute = Attribute::Time;
      break;
    default: break;
  }
  return after ? skip_whitespace(after) : other_key(p, attribute);
}

/// A key attribute_key did not recognise as it stands (an extension
/// attribute, or whitespace before the colon).
const char* ExpressDecoder::other_key(const char* p, Attribute& attribute) {
  std::string_view key;
  if (peek(p) != '"' || !(p = scan_string(p, key))) return nullptr;
  p = skip_whitespace(p);
  if (peek(p) != ':') return nullptr;
  attribute = classify_attribute(key);
  return skip_whitespace(p + 1);
}

/// The `type` attribute's value at `p`.
const char* ExpressDecoder::decode_type(const char* p, DecodedEvent& out) {
  // Lines of one type come in runs: `"Name"` of the last type as a whole
  // first, without a scan or a lookup.
  const size_t size = last_type_text_.size();
  if (last_type_ && (size <= kMaxPattern ? last_type_key_.matches(p, end_)
                                         : end_ - p >= static_cast<ptrdiff_t>(size) &&
                                               std::memcmp(p, last_type_text_.data(), size) == 0)) {
    out.type = last_type_;
    return p + size;
  }
  std::string_view name;
  if (peek(p) != '"' || !(p = scan_string(p, name)) || !(out.type = catalog_.find(name))) return nullptr;
  last_type_ = out.type;
  last_type_text_.assign(name.data() - 1, name.size() + 2);  // with its quotes
  last_type_key_ = pattern_of(last_type_text_.data(), last_type_text_.size());
  return p;
}

/// The value of one attribute at `p`, handled as FastDecoder::decode does.
inline const char* ExpressDecoder::decode_attribute(const char* p, Attribute a, Arena& arena, DecodedEvent& out) {
  if (a == Attribute::Data)
    return out.type ? decode_object(p, *out.type, arena, out.instance) : nullptr;  // before type
  if (a == Attribute::Type) return decode_type(p, out);
  if (a == Attribute::Other) return skip_scalar(p);
  std::string_view text;
  if (a == Attribute::DataBase64 || peek(p) != '"' || !(p = scan_string(p, text))) return nullptr;
  switch (a) {
    case Attribute::SpecVersion: return text == "1.0" ? p : nullptr;
    case Attribute::Id:
    case Attribute::Source:
    case Attribute::Subject:
      // Still in the line: moved to its copy at the end (keep_attributes).
      if (text.empty() && a != Attribute::Subject) return nullptr;
      (a == Attribute::Id ? out.id : a == Attribute::Source ? out.source : out.subject) = text;
      return p;
    case Attribute::Time: return (out.time = timestamp_of(text)) ? p : nullptr;
    default: return nullptr;
  }
}

bool ExpressDecoder::decode(const char* json, size_t size, Arena& arena, DecodedEvent& out) {
  begin(json, size);
  out.verbatim = verbatim_.data();
  const char* p = skip_whitespace(json);
  if (peek(p) != '{') return false;
  p = skip_whitespace(p + 1);
  unsigned seen = 0;
  // The commonest first member, with its comma, as a whole.
  if (const char* after = after_literal(p, end_, "\"specversion\":\"1.0\",")) {
    seen = attribute_bit(Attribute::SpecVersion);
    p = skip_whitespace(after);
  }
  for (bool done = false; !done;) {
    Attribute attribute;
    if (!(p = attribute_key(p, attribute))) return false;
    if (attribute != Attribute::Other) {
      const unsigned bit = attribute_bit(attribute);
      if (seen & bit) return false;  // duplicate attribute
      seen |= bit;
    }
    if (!(p = decode_attribute(p, attribute, arena, out)) || !(p = next_member(p, '}', done))) return false;
  }
  const unsigned required = attribute_bit(Attribute::Type) | attribute_bit(Attribute::Data);
  if ((seen & required) != required || !finish(p)) return false;
  keep_attributes(out);
  return true;
}

/// Points the attributes read from the line into its copy in the arena
/// (there is one: `data` is required).
void ExpressDecoder::keep_attributes(DecodedEvent& out) const {
  const auto keep = [this](std::optional<std::string_view>& attribute) {
    if (attribute) attribute = std::string_view(line_copy_ + (attribute->data() - json_), attribute->size());
  };
  keep(out.id);
  keep(out.source);
  keep(out.subject);
}

bool ExpressDecoder::decode_data_object(const char* json, size_t size, const EventType& type, Arena& arena,
                                        DecodedEvent& out) {
  begin(json, size);
  out.type = &type;
  out.verbatim = verbatim_.data();
  return finish(decode_object(skip_whitespace(json), type, arena, out.instance));
}

}  // namespace flow::runtime
