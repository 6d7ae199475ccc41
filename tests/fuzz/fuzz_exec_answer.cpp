// Fuzz target: the exec service protocol (runtime/services/exec_protocol.h)
// on one line a service printed: AnswerParser decides emit / error /
// malformed. The same bytes also go through the request side: as a
// delivery id in a request line and as a JSON string, which must read back
// as the bytes given whenever they are UTF-8. Invariants: no crash or
// sanitizer report; a well-formed answer has an id; every emitted event has
// a non-empty type and a JSON object as data; a malformed answer says why;
// an error answer carrying the input as its id reads it back exactly.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/json_string.h"
#include "fuzz_check.h"
#include "services/exec_protocol.h"

namespace flow::fuzz {

namespace {

using runtime::ParsedAnswer;

void check_answer(const ParsedAnswer& answer) {
  switch (answer.kind) {
    case ParsedAnswer::Kind::Emit:
      FLOW_FUZZ_CHECK(answer.id.has_value(), "an emit answer without an id");
      for (const runtime::RawEmit& emit : answer.emits) {
        FLOW_FUZZ_CHECK(!emit.type.empty(), "an emitted event without a type");
        const auto data = nlohmann::json::parse(emit.data_json, nullptr, false);
        FLOW_FUZZ_CHECK(!data.is_discarded() && data.is_object(), "an emitted event whose data is not an object");
      }
      break;
    case ParsedAnswer::Kind::Error:
      FLOW_FUZZ_CHECK(answer.id.has_value(), "an error answer without an id");
      FLOW_FUZZ_CHECK(answer.emits.empty(), "an error answer with emits");
      break;
    case ParsedAnswer::Kind::Malformed:
      FLOW_FUZZ_CHECK(!answer.message.empty(), "a malformed answer without a reason");
      FLOW_FUZZ_CHECK(answer.emits.empty(), "a malformed answer with emits");
      break;
  }
}

/// The request side with the input as a delivery id: the line is one JSON
/// object whose id reads back as the input, when the input is UTF-8.
void check_request(std::string_view text) {
  const std::string quoted = json_quote(text, JsonEscape::kKeepBytes);
  const auto parsed = nlohmann::json::parse(quoted, nullptr, false);
  if (parsed.is_discarded()) return;  // not UTF-8: nlohmann refuses it, and so would a service
  FLOW_FUZZ_CHECK(parsed.is_string() && parsed.get<std::string>() == text, "json_quote does not read back");
  const std::string line = runtime::encode_request(text, R"({"type":"A","data":{}})");
  FLOW_FUZZ_CHECK(!line.empty() && line.back() == '\n' && line.find('\n') == line.size() - 1,
                  "a request of more than one line");
  const auto request = nlohmann::json::parse(std::string_view(line).substr(0, line.size() - 1), nullptr, false);
  FLOW_FUZZ_CHECK(!request.is_discarded() && request["id"] == text, "a request whose id does not read back");
}

}  // namespace

void exec_answer_one_input(std::string_view line) {
  static runtime::AnswerParser* parser = new runtime::AnswerParser();
  check_answer(parser->parse(line));
  check_request(line);
  // An error answer carrying the input as its id must be read as exactly that.
  const std::string answer = R"({"id":)" + json_quote(line, JsonEscape::kKeepBytes) + R"(,"error":"e"})";
  const ParsedAnswer parsed = parser->parse(answer);
  check_answer(parsed);
  if (nlohmann::json::accept(answer)) {
    FLOW_FUZZ_CHECK(parsed.kind == ParsedAnswer::Kind::Error && parsed.id == std::string(line),
                    "an error answer with this id is not read back");
  }
}

}  // namespace flow::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  flow::fuzz::exec_answer_one_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
