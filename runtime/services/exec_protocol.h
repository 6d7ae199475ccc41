// The exec-service wire format (runtime.md §3): encoding a delivery as one
// request line, and decoding one answer line into emit / error / malformed.
// The bodies http services answer with (serve.md §1) are decoded here too:
// the exec answer without its id, or structured CloudEvents.
// Pure functions over strings; no I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/attempt_outcome.h"

namespace flow::runtime {

/// `{"id":<id as a JSON string>,"event":<event_json>}` plus '\n'. The id is
/// quoted with JsonEscape::kKeepBytes (base/json_string.h).
/// `event_json` must be one valid JSON value; line breaks in it (which valid
/// JSON can only have as whitespace) become spaces so the request stays on
/// one line.
std::string encode_request(std::string_view delivery_id, std::string_view event_json);

struct ParsedAnswer {
  enum class Kind { Emit, Error, Malformed };
  Kind kind = Kind::Malformed;
  /// The answer's "id" when one could be read as a string — also for a
  /// malformed line, so the failure can be attributed to its delivery.
  std::optional<std::string> id;
  std::vector<RawEmit> emits;  ///< Kind::Emit
  /// Kind::Error: the service's message (a non-string `error` value is kept
  /// as its JSON text). Kind::Malformed: what is wrong with the line.
  std::string message;
};

/// What the body of an http service's successful answer holds.
enum class AnswerBody : std::uint8_t {
  ExecAnswer,       ///< an exec answer whose "id" may be left out: {"emit":[...]} or {"error":...}
  CloudEvent,       ///< one structured CloudEvent (application/cloudevents+json)
  CloudEventBatch,  ///< a JSON array of them (application/cloudevents-batch+json)
};

/// Decodes answer lines. A line is well-formed when it is one valid JSON
/// object with a string "id" and exactly one of "emit" (an array of objects,
/// each with a non-empty string "type" and an object "data") or "error".
/// Other members are ignored. Keeps parser buffers between calls.
class AnswerParser {
 public:
  AnswerParser();
  ~AnswerParser();
  AnswerParser(const AnswerParser&) = delete;
  AnswerParser& operator=(const AnswerParser&) = delete;

  ParsedAnswer parse(std::string_view line);
  /// An http answer's body of the given shape. A CloudEvent is read like an
  /// item of "emit" (its "type" and its "data" object; other attributes
  /// are ignored), a batch like "emit" itself (an empty one emits nothing).
  /// The result is Emit, Error (only for ExecAnswer) or Malformed; `id` is
  /// whatever an ExecAnswer gave.
  ParsedAnswer parse_body(std::string_view body, AnswerBody shape);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flow::runtime
