#include "queries/dump/journal_dump.h"

#include <map>
#include <nlohmann/json.hpp>

#include "base/time_format.h"
#include "journal/journal_reader.h"
#include "journal/journal_verify.h"
#include "queries/common/number_text.h"
#include "records/journal_records.h"
#include "records/name_list.h"

namespace flow::runtime {

namespace {

using nlohmann::json;

using queries::parse_keeping_numbers;
using queries::restore_numbers;

std::string_view as_text(const journal::Record& record) {
  return {reinterpret_cast<const char*>(record.payload.data()), record.payload.size()};
}

/// Decodes one record into JSON; false when the payload is not valid.
bool to_json(const journal::Record& record, const NameList* names, const DumpOptions& options, json& out) {
  std::string_view payload = as_text(record);
  auto kind = static_cast<RecordKind>(record.type);
  out = {{"seq", record.position.sequence}, {"kind", to_string(kind)}};
  switch (kind) {
    case RecordKind::Definition: {
      DefinitionRecord r;
      if (!decode(payload, r)) return false;
      out["hash"] = r.hash;
      out["activated"] = format_timestamp(r.activated_us);
      out["source"] = r.source;
      out["artifact_bytes"] = r.artifact.size();
      if (options.include_artifacts) out["artifact"] = r.artifact;
      return true;
    }
    case RecordKind::Event: {
      EventRecord r;
      if (!decode(payload, r, names)) return false;
      out.update({{"id", r.id},
                  {"type", r.type},
                  {"instance", r.instance},
                  {"key", r.key},
                  {"causation", r.causation},
                  {"delivery", r.delivery},
                  {"service", r.service},
                  {"source", r.source},
                  {"subject", r.subject},
                  {"time", format_timestamp(r.time_us)},
                  {"dispatched", format_timestamp(r.dispatched_us)},
                  {"input_line", r.input_line},
                  {"definition", r.definition}});
      json data;
      out["data"] = parse_keeping_numbers(r.data_json, data) ? data : json(r.data_json);
      return true;
    }
    case RecordKind::Decision:
    case RecordKind::Decisions: {
      std::vector<DecisionRecord> decisions;
      if (!decode_decisions(record.type, payload, decisions, names)) return false;
      auto decision_json = [](const DecisionRecord& r, json& d) {
        json rules = json::array();
        for (const auto& v : r.rules) rules.push_back({{"name", v.name}, {"value", v.value}});
        d.update({{"flow", r.flow},
                  {"subscription", r.subscription},
                  {"result", r.result == 1   ? "fired"
                             : r.result == 0 ? "not fired"
                                             : "error"},
                  {"rules", rules}});
        if (!r.error.empty()) d["error"] = r.error;
      };
      if (kind == RecordKind::Decision) {
        out["event"] = decisions[0].event;
        decision_json(decisions[0], out);
        return true;
      }
      // All of an event's conditional subscriptions, in route order.
      out["event"] = decisions.empty() ? std::string() : decisions[0].event;
      json list = json::array();
      for (const auto& r : decisions) {
        json d = json::object();
        decision_json(r, d);
        list.push_back(std::move(d));
      }
      out["decisions"] = std::move(list);
      return true;
    }
    case RecordKind::Attempt: {
      AttemptRecord r;
      if (!decode(payload, r, names)) return false;
      out.update({{"delivery", r.delivery},
                  {"event", r.event},
                  {"instance", r.instance},
                  {"flow", r.flow},
                  {"service", r.service},
                  {"attempt", r.attempt},
                  {"started", format_timestamp(r.started_us)},
                  {"ended", format_timestamp(r.ended_us)},
                  {"outcome", to_string(r.outcome)},
                  {"emitted", r.emitted}});
      if (!r.error.empty()) out["error"] = r.error;
      return true;
    }
    case RecordKind::DeadLetter: {
      DeadLetterRecord r;
      if (!decode(payload, r)) return false;
      out.update({{"delivery", r.delivery},
                  {"event", r.event},
                  {"instance", r.instance},
                  {"flow", r.flow},
                  {"service", r.service},
                  {"attempts", r.attempts},
                  {"error", r.error},
                  {"reason", to_string(r.reason)},
                  {"time", format_timestamp(r.time_us)}});
      return true;
    }
    case RecordKind::Rejected: {
      RejectedRecord r;
      if (!decode(payload, r)) return false;
      out.update({{"line", r.line}, {"reason", r.reason}, {"raw", r.raw}, {"time", format_timestamp(r.time_us)}});
      return true;
    }
    case RecordKind::Instance: {
      InstanceRecord r;
      if (!decode(payload, r, names)) return false;
      out.update({{"instance", r.instance},
                  {"key", r.key},
                  {"flow", r.flow},
                  {"status", to_string(r.status)},
                  {"event", r.event},
                  {"time", format_timestamp(r.time_us)}});
      return true;
    }
    case RecordKind::Names: {
      // The list this segment's records refer to (records/name_list.h).
      NameList list;
      if (!list.assign(payload)) return false;
      json listed = json::array();
      for (size_t i = 0; i < list.size(); ++i) listed.push_back(*list.at(i));
      out["names"] = std::move(listed);
      return true;
    }
  }
  return false;
}

std::string human_line(const json& j) {
  std::string kind = j["kind"];
  std::string line = "#" + std::to_string(j["seq"].get<uint64_t>()) + " " + kind;
  auto add = [&](const char* label, const json& value) {
    if (value.is_null() || (value.is_string() && value.get<std::string>().empty())) return;
    line += std::string("  ") + label + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
  };
  for (const auto& [name, value] : j.items()) {
    if (name == "seq" || name == "kind") continue;
    add(name.c_str(), value);
  }
  return line;
}

}  // namespace

size_t dump_journal(const std::filesystem::path& dir, const DumpOptions& options, std::ostream& out,
                    std::ostream& errors) {
  journal::ReaderOptions reader_options;
  reader_options.on_corruption = journal::CorruptionPolicy::SkipSegment;
  journal::JournalReader reader(dir, reader_options);
  journal::Record record;
  SegmentNames segment_names;
  size_t problems = 0;
  while (reader.next(record)) {
    json j;
    if (!to_json(record, segment_names.observe(record.position.segment, record.type, as_text(record)), options, j)) {
      errors << "record #" << record.position.sequence << " (segment " << record.position.segment << ", offset "
             << record.position.offset << "): payload of type " << static_cast<int>(record.type)
             << " does not decode\n";
      ++problems;
      continue;
    }
    if (options.json)
      out << restore_numbers(j.dump(-1, ' ', false, json::error_handler_t::replace)) << "\n";
    else
      out << restore_numbers(human_line(j)) << "\n";
  }
  for (const auto& p : reader.problems()) {
    errors << journal::describe(p) << "\n";
    ++problems;
  }
  return problems;
}

bool verify_journal(const std::filesystem::path& dir, std::ostream& out) {
  journal::VerifyReport report = journal::verify(dir);
  out << journal::format_report(report);
  // Storage is intact; now every payload must decode as its kind says.
  journal::ReaderOptions reader_options;
  reader_options.on_corruption = journal::CorruptionPolicy::SkipSegment;
  journal::JournalReader reader(dir, reader_options);
  journal::Record record;
  size_t undecodable = 0;
  std::map<std::string, uint64_t> by_kind;
  DumpOptions options;
  SegmentNames segment_names;
  while (reader.next(record)) {
    json j;
    if (!to_json(record, segment_names.observe(record.position.segment, record.type, as_text(record)), options, j)) {
      if (++undecodable <= 10) {
        out << "problem: record #" << record.position.sequence << " has a payload that does not decode as type "
            << static_cast<int>(record.type) << "\n";
      }
      continue;
    }
    ++by_kind[j["kind"].get<std::string>()];
  }
  for (const auto& [kind, count] : by_kind) out << "records of kind " << kind << ": " << count << "\n";
  bool ok = report.ok() && undecodable == 0;
  out << (ok ? "journal ok\n" : "journal has problems\n");
  return ok;
}

}  // namespace flow::runtime
