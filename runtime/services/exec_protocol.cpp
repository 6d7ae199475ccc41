// Request encoding and answer decoding for exec services (see exec_protocol.h).
//
// Answers are checked twice on purpose: nlohmann's accept() validates the
// whole line strictly (every number, every escape, UTF-8, nothing after the
// object), and simdjson On-Demand then extracts the members, giving each
// emitted `data` object as its verbatim text so that no number is rounded
// on the way to the validator and the journal.
#include "services/exec_protocol.h"

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "base/json_string.h"
#include "services/text_snippet.h"

namespace flow::runtime {

namespace od = simdjson::ondemand;

namespace {

// A service's error text is for humans and ends up in the journal; a whole
// megabyte of it helps no one.
constexpr std::size_t kMaxErrorMessage = 8192;

std::string capped(std::string_view text) {
  if (text.size() <= kMaxErrorMessage) return std::string(text);
  return std::string(utf8_prefix(text, kMaxErrorMessage)) + "... (cut)";
}

/// Collects what one pass over the answer found; `problem` keeps the first
/// thing wrong with it.
struct Extraction {
  explicit Extraction(ParsedAnswer& a) : answer(a) {}

  ParsedAnswer& answer;
  const char* items = "emit";  ///< what the emitted events are called in messages
  bool id_required = true;
  std::string problem;
  bool seen_emit = false;
  bool seen_error = false;
  bool fatal = false;  ///< simdjson could not go on; the rest is unknown

  void note(std::string what) {
    if (problem.empty()) problem = std::move(what);
  }
};

/// The JSON text of any value (for a non-string `error`).
std::string raw_text(od::value& value) {
  od::json_type type;
  if (value.type().get(type)) return "?";
  std::string_view text;
  if (type == od::json_type::object) {
    od::object object;
    if (value.get_object().get(object) || object.raw_json().get(text)) return "?";
  } else if (type == od::json_type::array) {
    od::array array;
    if (value.get_array().get(array) || array.raw_json().get(text)) return "?";
  } else {
    text = value.raw_json_token();
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

void extract_emit_item(od::value& item, std::size_t index, Extraction& ex) {
  const std::string where = std::string(ex.items) + "[" + std::to_string(index) + "]";
  od::object object;
  if (item.get_object().get(object)) {
    ex.note(where + " is not an object");
    return;
  }
  RawEmit emit;
  bool seen_type = false, seen_data = false;
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) || field.unescaped_key().get(key)) {
      ex.fatal = true;
      return;
    }
    if (key == "type") {
      std::string_view type;
      if (seen_type) ex.note(where + " has \"type\" twice");
      seen_type = true;
      if (field.value().get_string().get(type) || type.empty())
        ex.note(where + ".type is not a non-empty string");
      else
        emit.type = std::string(type);
    } else if (key == "data") {
      od::object data;
      std::string_view text;
      if (seen_data) ex.note(where + " has \"data\" twice");
      seen_data = true;
      if (field.value().get_object().get(data)) {
        ex.note(where + ".data is not an object");
      } else if (data.raw_json().get(text)) {
        ex.fatal = true;
        return;
      } else {
        emit.data_json = std::string(text);
      }
    }
  }
  if (!seen_type) ex.note(where + " has no \"type\"");
  if (!seen_data) ex.note(where + " has no \"data\"");
  ex.answer.emits.push_back(std::move(emit));
}

void extract_items(od::array& array, Extraction& ex) {
  std::size_t index = 0;
  for (auto element : array) {
    od::value item;
    if (element.get(item)) {
      ex.fatal = true;
      return;
    }
    extract_emit_item(item, index++, ex);
    if (ex.fatal) return;
  }
}

void extract_emit(od::value& value, Extraction& ex) {
  od::array array;
  if (value.get_array().get(array)) {
    ex.note("\"emit\" is not an array");
    return;
  }
  extract_items(array, ex);
}

void extract(od::parser& parser, simdjson::padded_string_view json, Extraction& ex) {
  od::document doc;
  od::object object;
  if (parser.iterate(json).get(doc) || doc.get_object().get(object)) {
    ex.note("not a JSON object");
    ex.fatal = true;
    return;
  }
  bool seen_id = false;
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) || field.unescaped_key().get(key)) {
      ex.fatal = true;
      return;
    }
    if (key == "id") {
      std::string_view id;
      if (seen_id) ex.note("\"id\" given twice");
      seen_id = true;
      if (field.value().get_string().get(id))
        ex.note("\"id\" is not a string");
      else if (!ex.answer.id)
        ex.answer.id = std::string(id);
    } else if (key == "emit") {
      if (ex.seen_emit) ex.note("\"emit\" given twice");
      ex.seen_emit = true;
      extract_emit(field.value(), ex);
    } else if (key == "error") {
      if (ex.seen_error) ex.note("\"error\" given twice");
      ex.seen_error = true;
      std::string_view text;
      if (field.value().get_string().get(text) == simdjson::SUCCESS)
        ex.answer.message = capped(text);
      else
        ex.answer.message = capped(raw_text(field.value()));
    }
    if (ex.fatal) return;
  }
  if (!seen_id && ex.id_required) ex.note("no \"id\"");
}

/// A batch of structured CloudEvents: their types and data, as emits.
void extract_batch(od::parser& parser, simdjson::padded_string_view json, Extraction& ex) {
  od::document doc;
  od::array array;
  if (parser.iterate(json).get(doc) || doc.get_array().get(array)) {
    ex.note("not a JSON array");
    ex.fatal = true;
    return;
  }
  extract_items(array, ex);
  ex.seen_emit = true;
}

}  // namespace

std::string encode_request(std::string_view delivery_id, std::string_view event_json) {
  std::string line;
  line.reserve(delivery_id.size() + event_json.size() + 24);
  line += "{\"id\":";
  append_json_string(line, delivery_id, JsonEscape::kKeepBytes);
  line += ",\"event\":";
  for (const char c : event_json) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += "}\n";
  return line;
}

struct AnswerParser::Impl {
  od::parser parser;
  std::string scratch;  ///< the line plus simdjson's padding
};

AnswerParser::AnswerParser() : impl_(std::make_unique<Impl>()) {}
AnswerParser::~AnswerParser() = default;

namespace {

/// Decodes `text` into ex.answer: a line or body (`batch`: an array of events).
void decode(od::parser& parser, std::string& scratch, std::string_view text, Extraction& ex, bool batch) {
  ParsedAnswer& answer = ex.answer;
  // reserve() before assign(): the padding must be real, readable bytes.
  scratch.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  scratch.assign(text.data(), text.size());
  const simdjson::padded_string_view json(scratch.data(), scratch.size(), scratch.capacity());
  // Extraction runs even on invalid JSON: an id it can still read lets the
  // failure be pinned on the right delivery.
  if (batch) {
    extract_batch(parser, json, ex);
  } else {
    extract(parser, json, ex);
  }
  answer.kind = ParsedAnswer::Kind::Malformed;
  if (!nlohmann::json::accept(text)) {
    answer.message = "not valid JSON";
  } else if (ex.fatal || !ex.problem.empty()) {
    answer.message = ex.problem.empty() ? "not valid JSON" : ex.problem;
  } else if (ex.seen_emit && ex.seen_error) {
    answer.message = "both \"emit\" and \"error\"";
  } else if (!ex.seen_emit && !ex.seen_error) {
    answer.message = "neither \"emit\" nor \"error\"";
  } else {
    answer.kind = ex.seen_emit ? ParsedAnswer::Kind::Emit : ParsedAnswer::Kind::Error;
  }
  if (answer.kind != ParsedAnswer::Kind::Emit) answer.emits.clear();
}

}  // namespace

ParsedAnswer AnswerParser::parse(std::string_view line) {
  ParsedAnswer answer;
  Extraction ex(answer);
  decode(impl_->parser, impl_->scratch, line, ex, false);
  return answer;
}

ParsedAnswer AnswerParser::parse_body(std::string_view body, AnswerBody shape) {
  ParsedAnswer answer;
  Extraction ex(answer);
  ex.id_required = false;
  if (shape == AnswerBody::ExecAnswer) {
    decode(impl_->parser, impl_->scratch, body, ex, false);
    return answer;
  }
  ex.items = "event";
  if (shape == AnswerBody::CloudEventBatch) {
    decode(impl_->parser, impl_->scratch, body, ex, true);
  } else {
    // One event is read as a batch of one.
    decode(impl_->parser, impl_->scratch, "[" + std::string(body) + "]", ex, true);
  }
  return answer;
}

}  // namespace flow::runtime
