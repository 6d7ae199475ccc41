// Worker request parsing and reply encoding (see worker_wire.h). The
// request is checked whole by nlohmann (strict JSON), then simdjson
// On-Demand takes the event's text as it was sent, so no number is
// re-spelled on its way to the program.
#include "cluster/worker_wire.h"

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "base/json_string.h"

namespace flow::cluster {

namespace od = simdjson::ondemand;

std::optional<WorkerRequest> parse_worker_request(std::string_view payload, std::string& problem,
                                                  std::optional<std::string>& id_seen) {
  if (!nlohmann::json::accept(payload)) {
    problem = "not valid JSON";
    return std::nullopt;
  }
  simdjson::padded_string padded(payload);
  od::parser parser;
  od::document doc;
  od::object object;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) {
    problem = "not a JSON object";
    return std::nullopt;
  }
  WorkerRequest request;
  bool has_id = false, has_event = false;
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) || field.unescaped_key().get(key)) {
      problem = "not valid JSON";
      return std::nullopt;
    }
    if (key == "id") {
      std::string_view id;
      if (field.value().get_string().get(id)) {
        problem = "\"id\" is not a string";
        return std::nullopt;
      }
      request.id = std::string(id);
      id_seen = request.id;
      has_id = true;
    } else if (key == "event") {
      od::object event;
      std::string_view text;
      if (field.value().get_object().get(event) || event.raw_json().get(text)) {
        problem = "\"event\" is not an object";
        return std::nullopt;
      }
      request.event_json = std::string(text);
      has_event = true;
    }
  }
  if (!has_id || request.id.empty()) {
    problem = "no \"id\"";
    return std::nullopt;
  }
  if (!has_event) {
    problem = "no \"event\"";
    return std::nullopt;
  }
  return request;
}

std::string encode_worker_answer(std::string_view id, const runtime::AttemptOutcome& outcome) {
  if (outcome.status != runtime::AttemptStatus::Ok) {
    if (outcome.status == runtime::AttemptStatus::ServiceError) {
      return encode_worker_error(std::string(id), outcome.error);
    }
    return encode_worker_error(std::string(id),
                               "flowrt worker: " + std::string(to_string(outcome.status)) + ": " + outcome.error);
  }
  std::string out = "{\"id\":";
  append_json_string(out, id, JsonEscape::kKeepBytes);
  out += ",\"emit\":[";
  for (std::size_t i = 0; i < outcome.emits.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"type\":";
    append_json_string(out, outcome.emits[i].type);
    out += ",\"data\":";
    out += outcome.emits[i].data_json;
    out += '}';
  }
  out += "]}";
  return out;
}

std::string encode_worker_error(const std::optional<std::string>& id, std::string_view message) {
  std::string out = "{";
  if (id) {
    out += "\"id\":";
    append_json_string(out, *id, JsonEscape::kKeepBytes);
    out += ',';
  }
  out += "\"error\":";
  append_json_string(out, message);
  out += '}';
  return out;
}

}  // namespace flow::cluster
