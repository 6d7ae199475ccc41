// Internal to the ingress library: the express tier of the CloudEvents
// decoder, tried before the DOM fast path (fast_decoder.h). Most input lines
// have one shape: a compact object of string attributes and a `data` object
// of plain strings, small numbers and short lists, its fields in declaration
// order; nested ones add records, lists of records and maps (language.md
// §4.1). Building simdjson's tape for such a line and then walking it costs
// more than twice what reading the line once, guided by the event type's
// fields, does (about 6,500 instructions for a 300-byte line against 2,400,
// docs/performance.md): this decoder scans the bytes in a single pass
// straight into the instance's slots, records inline, at any depth.
//
// Like the DOM path, it only ever accepts: it returns false at the first
// doubt — an escape or a control byte in a string or a map key, a number it
// cannot convert exactly, an object or array where no field is declared,
// `data` before `type`, and every validation problem — and the DOM path,
// then the reference path, decide as they would have. What it accepts it
// decodes exactly as the DOM path does, with one addition: a decimal is read
// from the number's own text, which the DOM does not keep (the DOM path
// hands such lines to the reference path, which reads them as this tier
// does). tests/ingress/express_test.cpp, fuzz_test.cpp and
// nested_tiers_test.cpp compare the tiers.
//
// It also hands the encoder the text of each value that is already what
// the encoder writes for it (DecodedEvent::verbatim), so that the journal's
// copy of an input event is mostly copied, not formatted: scalars when
// their text is the encoder's; records, lists and maps made the encoder's
// text while they are read, spans the encoder writes otherwise (whitespace,
// `1.50` for a float, `"5"` for a decimal, a record's optional left out)
// rewritten on the way (FieldText). Limits: what the encoder orders or
// fills in itself (record fields out of order, defaults, map keys out of
// order) is not rewritten; such a value is formatted by the encoder.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingress/absent_fields.h"
#include "ingress/attributes.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"

namespace flow::runtime {

class ExpressDecoder {
 public:
  /// `catalog` must outlive the decoder.
  ExpressDecoder(const EventCatalog& catalog, bool strict);

  /// `json` must be followed by CloudEventDecoder::kPadding readable bytes
  /// (their content does not matter: nothing past `size` is ever accepted).
  /// True when the line is a valid event, decoded into `out`; false means
  /// "ask the DOM path" (`out` and the arena may hold leftovers).
  bool decode(const char* json, size_t size, Arena& arena, DecodedEvent& out);
  /// The same for a bare `data` object of a known type.
  bool decode_data_object(const char* json, size_t size, const EventType& type, Arena& arena, DecodedEvent& out);

  /// A short run of known text — a key with its quotes and colon
  /// (`"name":`), an enum member with its quotes — compared with the input
  /// as two eight-byte words instead of being scanned. Longer ones never
  /// match (the decoder then scans and looks up instead).
  static constexpr size_t kMaxPattern = 16;
  struct Pattern {
    uint64_t head = 0, head_mask = 0;  // the first eight bytes (masked when shorter)
    uint64_t tail = 0, tail_mask = 0;  // the eight at tail_at (when shorter: the head again)
    size_t tail_at = 0;
    size_t size = 0;
    bool matches(const char* p, const char* end) const;
  };

 private:
  /// Whether a field's text in the line is what the encoder writes for its
  /// decoded value (DecodedEvent::verbatim): always for strings (the tier
  /// takes them only without escapes), enum members and booleans; for ints
  /// but `-0`; for timestamps in the encoder's own form; for floats in their
  /// commonest form (is_short_float_text). Never for durations (formatted).
  /// Records, lists and maps (Nested) are made the encoder's text while
  /// they are read (FieldText).
  enum class Verbatim : uint8_t { Never, Always, Int, Float, Timestamp, Decimal, Nested };
  static Verbatim verbatim_of(const TypeCodec& codec);
  /// What the express tier needs of one field, in one place.
  struct FieldPlan {
    Pattern key;
    Pattern next_key;                  // `,"name":`: the comma before the key, when it follows the previous field
    const TypeCodec* codec = nullptr;  // the field's type without `?`
    const std::vector<Pattern>* members = nullptr;  // of an enum with few members
    uint32_t offset = 0;
    TypeKind kind = TypeKind::Error;
    bool optional = false;
    Verbatim verbatim = Verbatim::Never;
  };
  /// ... and of an event or record type, computed once.
  struct TypePlan {
    std::vector<FieldPlan> fields;  // by index, and two that never match
    uint64_t must_fill = 0;         // fields that get a default or are missing when absent
    size_t list_room = 0;           // kListRoom when the type has list fields, more when its lines need it
    bool usable = false;            // at most 64 fields: `seen` fits a word
  };
  void plan_fields(const StructCodec& type, TypePlan& plan);
  /// Plans the records `codec` holds, with the event plans.
  void plan_records(const TypeCodec& codec);
  /// Bytes for the elements of short lists, allocated with the instance.
  static constexpr size_t kListRoom = 128;
  /// ... up to this much when lines of the type have more (lists of records).
  static constexpr size_t kMaxListRoom = 4096;
  const std::vector<Pattern>* member_patterns(const TypeCodec& codec);

  // Each step takes the position of its token and returns the position after
  // it, or null for "not express", so that the position stays in a register.
  const char* past_whitespace(const char* p) const;
  const char* skip_whitespace(const char* p);
  char peek(const char* p) const { return p < end_ ? *p : '\0'; }
  const char* scan_string(const char* p, std::string_view& text);
  const char* scan_literal(const char* p, std::string_view word) const;
  const char* skip_scalar(const char* p);
  const char* next_member(const char* p, char close, bool& done);

  const char* attribute_key(const char* p, Attribute& attribute);
  const char* other_key(const char* p, Attribute& attribute);
  const char* decode_attribute(const char* p, Attribute attribute, Arena& arena, DecodedEvent& out);
  const char* decode_type(const char* p, DecodedEvent& out);
  const char* decode_object(const char* p, const EventType& type, Arena& arena, uint8_t*& instance);
  /// The members of the object at `p` (its `{`) into the fields of `type`
  /// at `out` (zeroed): an event's (kEvent), noting their verbatim text in
  /// `verbatim`, or a record's (null).
  template <bool kEvent>
  const char* decode_members(const char* p, const StructCodec& type, const TypePlan& plan, uint8_t* out, Arena& arena,
                             size_t depth, std::string_view* verbatim);
  const char* field_key(const char* p, const StructCodec& type, int& index);
  const char* decode_field(const char* p, char c, const FieldPlan& field, uint8_t* slot, Arena& arena, size_t depth);
  bool fill_absent(const StructCodec& type, uint64_t seen, uint8_t* instance, Arena& arena);
  const char* decode_value(const char* p, const TypeCodec& codec, uint8_t* slot, Arena& arena, size_t depth);
  const char* decode_string(const char* p, const TypeCodec& codec, uint8_t* slot);
  const char* decode_number(const char* p, char c, TypeKind kind, uint8_t* slot);
  const char* decode_decimal(const char* p, char c, uint8_t* slot);
  const char* parse_decimal(const char* p, char c, uint8_t* slot);
  const char* decode_bool(const char* p, uint8_t* slot) const;
  const char* decode_member(const char* p, const std::vector<Pattern>& members, uint8_t* slot) const;
  const char* decode_list(const char* p, const TypeCodec& codec, uint8_t* slot, Arena& arena, size_t depth);
  const char* decode_map(const char* p, const TypeCodec& codec, uint8_t* slot, Arena& arena, size_t depth);
  const char* decode_record(const char* p, const TypeCodec& codec, uint8_t* slot, Arena& arena, size_t depth);
  /// An element of a list or a value of a map (`container`'s) at `p`,
  /// null included, into its element slot.
  const char* decode_element(const char* p, const TypeCodec& container, uint8_t* element, Arena& arena, size_t depth);
  void* list_storage(size_t size, Arena& arena);
  FlowStr kept(std::string_view text) const;
  /// Where `p` (in the line) is in the line's copy.
  const char* kept_at(const char* p) const { return line_copy_ + (p - json_); }
  bool is_verbatim(const FieldPlan& field, const char* value, const char* end, const uint8_t* slot) const;
  void keep_attributes(DecodedEvent& out) const;

  std::optional<int64_t> timestamp_of(std::string_view text);

  void begin(const char* json, size_t size);
  bool finish(const char* p) const;

  // The encoder's text of a nested field (FieldText), kept as it is read.
  void begin_text(const char* value);
  void end_text(size_t field, const char* value, const char* end, std::string_view* verbatim);
  /// The line's [from, to) is written as `text` (nothing, for whitespace).
  void rewrite(const char* from, const char* to, std::string_view text);
  void rewrite_unless_same(const char* from, const char* to, std::string_view written);
  void rewrite_float(const char* from, const char* to, double value);
  /// A timestamp or a duration, `write` writing its text unquoted.
  void rewrite_quoted(const char* from, const char* to, int64_t micros, char* (*write)(int64_t micros, char* out));
  void rewrite_decimal(const char* from, const char* to, const FlowDecimal& value);
  /// Record fields [from, to) are not in the line, before `at`: written
  /// null when that is what the encoder writes for them (`first`: no member
  /// precedes `at`, `closing`: `at` is the record's `}`).
  void absent_members(const StructCodec& type, size_t from, size_t to, const char* at, bool first, bool closing);

  const EventCatalog& catalog_;
  bool strict_;
  std::vector<TypePlan> plans_;                          // by EventType::index
  std::vector<std::unique_ptr<TypePlan>> record_plans_;  // by StructCodec::record_index
  std::vector<uint32_t> order_;                          // for sorting map entries
  std::map<const EnumCodec*, std::vector<Pattern>> members_;
  // The last type decoded, and its name as in JSON (`"OrderPlaced"`): lines
  // of one type come in runs.
  const EventType* last_type_ = nullptr;
  std::string last_type_text_;
  Pattern last_type_key_;

  // The first day of the month of the last timestamp read, as year * 16 +
  // month and as days since the epoch.
  int month_key_ = -1;
  int64_t month_days_ = 0;

  // The line being read.
  const char* json_ = nullptr;
  const char* end_ = nullptr;
  bool non_ascii_ = false;        // a string has bytes >= 0x80: check UTF-8 at the end
  char* line_copy_ = nullptr;     // the line in the arena, after the instance
  uint8_t* list_room_ = nullptr;  // the rest of the instance's room for list elements
  size_t list_room_left_ = 0;
  size_t list_overflow_ = 0;  // list bytes of the line that did not fit the room
  SeenFields seen_;           // for fill_absent_fields
  /// Per field of the event decoded last, its value's text in the line's
  /// copy when verbatim (see Verbatim), else empty.
  std::vector<std::string_view> verbatim_;
  bool timestamp_canonical_ = false;  // the last timestamp_of text was in the encoder's form
  bool float_canonical_ = false;      // the last float's text was in the encoder's form

  /// The encoder's text of the nested field being read (Verbatim::Nested),
  /// made while it is read: the line's text, but for the spans the encoder
  /// writes otherwise (whitespace, a float's `1.50`, a decimal's `1e2`, a
  /// record's left-out optional), which the decoding steps replace as they
  /// meet them (rewrite). Nothing the encoder would order or fill in
  /// differently (record fields out of order, a default, map keys out of
  /// order, an unknown key) is rewritten: `ok` is cleared and the encoder
  /// formats the field's value.
  struct FieldText {
    bool tracking = false;            // a nested field's value is being read
    bool ok = false;                  // its text is (or is being made) the encoder's
    bool rewriting = false;           // the text so far is in `rewritten` from `start`
    const char* copied_to = nullptr;  // the line's text is taken up to here
    size_t start = 0;
    std::string rewritten;  // the rewritten texts of the line's fields
    /// (field, offset in `rewritten`, size): made views of at the end, since
    /// `rewritten` may move while the line is read.
    std::vector<std::array<size_t, 3>> fields;
  };
  FieldText text_;
  /// Element slots of the list (entries of the map) being read, per list
  /// and map nesting depth (the count is known only at the `]`).
  static constexpr size_t kMaxListDepth = 8;
  std::array<std::vector<uint8_t>, kMaxListDepth> scratch_;
};

}  // namespace flow::runtime
