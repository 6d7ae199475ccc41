// JSON building blocks of the query commands; see query_json.h.
#include "queries/common/query_json.h"

#include "base/time_format.h"
#include "queries/common/number_text.h"

namespace flow::runtime::queries {

const char* origin_of(const EventRecord& r) {
  if (!r.delivery.empty()) return "emitted";
  return r.input_line > 0 ? "input" : "runtime";
}

ojson data_value(const std::string& data_json) {
  ojson data;
  return parse_keeping_numbers(data_json, data) ? data : ojson(data_json);
}

ojson text_or_null(const std::string& text) {
  return text.empty() ? ojson(nullptr) : ojson(text);
}

ojson event_json(const EventRecord& r, uint64_t seq, int version, bool with_data) {
  ojson j;
  j["seq"] = seq;
  j["id"] = r.id;
  j["type"] = r.type;
  j["instance"] = r.instance;
  j["key"] = text_or_null(r.key);
  j["origin"] = origin_of(r);
  j["time"] = format_timestamp(r.time_us);
  j["dispatched"] = format_timestamp(r.dispatched_us);
  j["input_line"] = r.input_line > 0 ? ojson(r.input_line) : ojson(nullptr);
  j["source"] = text_or_null(r.source);
  j["subject"] = text_or_null(r.subject);
  j["causation"] = text_or_null(r.causation);
  j["delivery"] = text_or_null(r.delivery);
  j["service"] = text_or_null(r.service);
  j["definition"] = {{"version", version > 0 ? ojson(version) : ojson(nullptr)}, {"hash", r.definition}};
  if (with_data) j["data"] = data_value(r.data_json);
  return j;
}

ojson definition_json(const DefinitionSummary* def, const std::string& hash) {
  if (!def) return {{"version", nullptr}, {"hash", hash}, {"activated", nullptr}, {"source", nullptr}};
  return {{"version", def->version},
          {"hash", def->hash},
          {"activated", format_timestamp(def->activated_us)},
          {"source", def->source}};
}

const char* result_text(int64_t result) {
  return result == 1 ? "fired" : result == 0 ? "not fired" : "error";
}

std::string dump(const ojson& j) {
  return restore_numbers(j.dump(2, ' ', false, ojson::error_handler_t::replace)) + "\n";
}

}  // namespace flow::runtime::queries
