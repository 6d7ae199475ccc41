// Ingress of events as JSON: one input line of `flowrt run` (a CloudEvents
// 1.0 JSON object, runtime.md §2) or one event a service emitted
// (`{"type":...,"data":{...}}`, runtime.md §3) becomes an event type, an
// instance in the type's compiled layout in the caller's arena, and the
// CloudEvents attributes the runtime journals. Every rejection has a
// one-line reason naming the problem and the field path
// ("field 'items[2].qty': expected int, found string \"x\"").
//
// It is the `flowrt run` hot path, in two parts: a fast path that decodes
// every valid line — first an express scanner for the common shape of a
// line (express_decoder.h), then simdjson's DOM (fast_decoder.h) — and a
// reference path (simdjson On-Demand, data_decoder.h) that decides and
// explains every line the fast path does not accept. All write the
// instance's slots directly.
// One decoder per thread (it owns the parsers and scratch buffers); the
// catalog is shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ingress/event_catalog.h"
#include "rt_abi/arena.h"

namespace flow::runtime {

/// One decoded event. Strings point into the arena given to decode(), so
/// everything lives exactly as long as the instance.
struct DecodedEvent {
  const EventType* type = nullptr;
  uint8_t* instance = nullptr;  // in type->layout
  /// CloudEvents attributes; nothing when absent (the runtime generates id,
  /// source and time then).
  std::optional<std::string_view> id;
  std::optional<std::string_view> source;
  std::optional<std::string_view> subject;
  std::optional<int64_t> time;  // µs since the epoch
  /// Per field (by index), when the express tier decoded the event: the
  /// text the encoder writes for the decoded value (append_data_json) when
  /// the tier has it — the value's text in the line, or for a record, list
  /// or map the line's text with the spans the encoder writes otherwise
  /// rewritten — else empty. Null otherwise. Valid until the next decode.
  const std::string_view* verbatim = nullptr;
};

/// Why a line was rejected, for statistics; error() has the text.
enum class RejectKind : uint8_t {
  NotJson,        // not well-formed JSON ("not JSON: unclosed string (at byte 17)")
  NotCloudEvent,  // JSON, but not a usable envelope ("missing 'type'", "'data' must be an object")
  UnknownType,    // "unknown event type 'OrderPlcaed' (did you mean 'OrderPlaced'?)"
  InvalidData,    // `data` does not fit the type ("missing field 'customer'")
};

class CloudEventDecoder {
 public:
  struct Options {
    /// Reject data fields the event type does not declare (`flowrt run
    /// --strict`); otherwise they are ignored (but must be valid JSON).
    bool strict = false;
    /// Try the DOM fast path first (see fast_decoder.h). Tests and the
    /// benchmark turn it off to exercise the reference path alone; the
    /// results are the same either way.
    bool fast_path = true;
    /// Try the express tier (express_decoder.h) before the DOM parse of the
    /// fast path (only when fast_path is on). Tests turn it off to compare
    /// the tiers; the results are the same either way.
    bool express_path = true;
  };

  /// simdjson reads up to this many bytes past the end of its input.
  static constexpr size_t kPadding = 64;

  /// `catalog` must outlive the decoder.
  explicit CloudEventDecoder(const EventCatalog& catalog);
  CloudEventDecoder(const EventCatalog& catalog, Options options);
  ~CloudEventDecoder();
  CloudEventDecoder(const CloudEventDecoder&) = delete;
  CloudEventDecoder& operator=(const CloudEventDecoder&) = delete;

  /// Decodes one input line (without its newline; a trailing `\r` or other
  /// whitespace is fine). Copies it into an internal padded buffer. Returns
  /// true and fills `out`, or false with error() and error_kind() set. The
  /// arena may have grown either way.
  bool decode(std::string_view line, Arena& arena, DecodedEvent& out);

  /// The same without the copy when the caller's buffer has at least
  /// `readable_after` bytes of readable memory after `line` (their content
  /// does not matter; e.g. the following lines of a large read buffer). With
  /// fewer than kPadding it falls back to copying.
  bool decode_in_place(std::string_view line, size_t readable_after, Arena& arena, DecodedEvent& out);

  /// An event a service emitted, as one JSON object: the same shape and
  /// validation (only `type` and `data` are required; `id`, `time`... are
  /// reported when present). Whether the service may publish that type is
  /// the caller's check.
  bool decode_emitted(std::string_view json, Arena& arena, DecodedEvent& out) { return decode(json, arena, out); }

  /// The `data` object alone, of an event whose type is already known (an
  /// exec service's emit as runtime/services hands it over: the type name,
  /// looked up with EventCatalog::find, and RawEmit::data_json). Same
  /// validation and messages as the `data` of a line; `out` gets no attributes.
  bool decode_data(const EventType& type, std::string_view data_json, Arena& arena, DecodedEvent& out);

  /// Why the last decode failed (one line, no newline).
  const std::string& error() const { return error_; }
  RejectKind error_kind() const { return error_kind_; }

  /// How many lines (and data objects) the express tier and the DOM parse of
  /// the fast path accepted since construction; the rest of the accepted
  /// ones went through the reference path. For tests and statistics.
  size_t express_accepted() const;
  size_t dom_accepted() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string error_;
  RejectKind error_kind_ = RejectKind::NotJson;
};

}  // namespace flow::runtime
