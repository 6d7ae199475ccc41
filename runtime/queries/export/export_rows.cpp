// The export schema and the journal-to-rows pass; see export_rows.h.
#include "queries/export/export_rows.h"

#include <algorithm>
#include <deque>
#include <map>
#include <ostream>
#include <unordered_map>

#include "base/json_string.h"
#include "base/time_format.h"
#include "queries/common/query_json.h"
#include "queries/common/record_access.h"
#include "queries/index/journal_index.h"
#include "records/delivery_id.h"

namespace flow::runtime::queries {

namespace {

enum TableId : size_t {
  kDefinitions,
  kEvents,
  kDecisions,
  kDecisionRules,
  kAttempts,
  kDeliveries,
  kDeadLetters,
  kInstanceChanges,
  kInstances,
  kRejected,
};

constexpr auto I = ColumnType::Integer;
constexpr auto T = ColumnType::Text;
constexpr auto J = ColumnType::Json;

}  // namespace

const std::vector<Table>& export_tables() {
  static const std::vector<Table> tables = {
      {"definitions",
       {{"version", I},
        {"hash", T},
        {"activated", T},
        {"activated_us", I},
        {"source", T},
        {"artifact_bytes", I},
        {"seq", I}},
       {},
       {"seq"}},
      {"events",
       {{"seq", I},
        {"id", T},
        {"type", T},
        {"instance", T},
        {"key", T},
        {"origin", T},
        {"causation", T},
        {"delivery", T},
        {"service", T},
        {"source", T},
        {"subject", T},
        {"time", T},
        {"time_us", I},
        {"dispatched", T},
        {"dispatched_us", I},
        {"input_line", I},
        {"definition_version", I},
        {"definition", T},
        {"data", J}},
       {{"id"}, {"instance"}},
       {"seq"}},
      {"decisions",
       {{"id", I},
        {"seq", I},
        {"event", T},
        {"event_seq", I},
        {"instance", T},
        {"flow", T},
        {"subscription", I},
        {"result", T},
        {"fired", I},
        {"error", T},
        {"rules", J}},
       {{"event"}},
       {"id"}},
      {"decision_rules",
       {{"decision_id", I}, {"position", I}, {"name", T}, {"value", T}},
       {},
       {"decision_id", "position"}},
      {"attempts",
       {{"seq", I},
        {"delivery", T},
        {"event", T},
        {"instance", T},
        {"flow", T},
        {"service", T},
        {"attempt", I},
        {"started", T},
        {"started_us", I},
        {"ended", T},
        {"ended_us", I},
        {"outcome", T},
        {"error", T},
        {"emitted", J}},
       {{"delivery"}},
       {"seq"}},
      {"deliveries",
       {{"id", T},
        {"event", T},
        {"instance", T},
        {"flow", T},
        {"service", T},
        {"status", T},
        {"attempts", I},
        {"first_started", T},
        {"first_started_us", I},
        {"last_ended", T},
        {"last_ended_us", I},
        {"error", T},
        {"emitted", J},
        {"reason", T}},
       {{"id"}, {"instance"}},
       {}},
      {"dead_letters",
       {{"seq", I},
        {"delivery", T},
        {"event", T},
        {"instance", T},
        {"flow", T},
        {"service", T},
        {"attempts", I},
        {"error", T},
        {"time", T},
        {"time_us", I},
        {"reason", T}},
       {},
       {"seq"}},
      {"instance_changes",
       {{"seq", I}, {"instance", T}, {"key", T}, {"flow", T}, {"status", T}, {"event", T}, {"time", T}, {"time_us", I}},
       {},
       {"seq"}},
      {"instances",
       {{"instance", T},
        {"key", T},
        {"flow", T},
        {"status", T},
        {"entered", T},
        {"entered_us", I},
        {"entered_by", T},
        {"changed", T},
        {"changed_us", I},
        {"changed_by", T}},
       {{"instance"}},
       {}},
      {"rejected", {{"seq", I}, {"line", I}, {"reason", T}, {"raw", T}, {"time", T}, {"time_us", I}}, {}, {"seq"}},
  };
  return tables;
}

namespace {

/// format_timestamp without snprintf (every row has times; this is a
/// measurable share of an export). Same text: RFC 3339 UTC, six fraction
/// digits when the microseconds are not zero.
class TimeText {
 public:
  const std::string& operator()(int64_t micros) {
    int64_t seconds = micros / 1000000, fraction = micros % 1000000;
    if (fraction < 0) {
      fraction += 1000000;
      seconds -= 1;
    }
    int64_t days = seconds / 86400, rem = seconds % 86400;
    if (rem < 0) {
      rem += 86400;
      days -= 1;
    }
    if (days != day_) {
      CivilDate date = civil_from_days(days);
      if (date.year < 0 || date.year > 9999) {
        text_ = format_timestamp(micros);
        day_ = INT64_MIN;
        return text_;
      }
      day_ = days;
      char prefix[16];
      put(prefix, static_cast<int64_t>(date.year), 4);
      prefix[4] = '-';
      put(prefix + 5, date.month, 2);
      prefix[7] = '-';
      put(prefix + 8, date.day, 2);
      prefix[10] = 'T';
      prefix_.assign(prefix, 11);
    }
    char clock[32];
    put(clock, rem / 3600, 2);
    clock[2] = ':';
    put(clock + 3, rem / 60 % 60, 2);
    clock[5] = ':';
    put(clock + 6, rem % 60, 2);
    size_t n = 8;
    if (fraction != 0) {
      clock[8] = '.';
      put(clock + 9, fraction, 6);
      n = 15;
    }
    clock[n++] = 'Z';
    text_ = prefix_;
    text_.append(clock, n);
    return text_;
  }

 private:
  static void put(char* out, int64_t value, int digits) {
    for (int i = digits - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  }
  int64_t day_ = INT64_MIN;
  std::string prefix_;
  std::string text_;
};

struct EventContext {
  uint64_t seq = 0;
  std::string instance, type, definition;
};

struct Delivery {
  std::string event, instance, flow, service;
  int64_t attempts = 0;
  int64_t first_started = 0, last_ended = 0;
  std::string error;
  std::vector<std::string> emitted;
  bool ok = false, dead = false;
  DeadLetterReason reason = DeadLetterReason::Unknown;  // when dead
};

struct InstanceRow {
  std::string key;
  std::string status;
  int64_t entered_us = 0, changed_us = 0;
  std::string entered_by, changed_by;
};

class Exporter {
 public:
  Exporter(const JournalIndex& index, RowSink& sink) : index_(index), sink_(sink) {}

  void record(uint64_t seq, uint8_t type, std::string_view payload, const NameList* names) {
    ++summary_.records;
    switch (static_cast<RecordKind>(type)) {
      case RecordKind::Definition: {
        DefinitionRecord r;
        if (decode(payload, r)) definition(seq, r);
        break;
      }
      case RecordKind::Event:
        if (decode(payload, event_, names)) event(seq, event_);
        break;
      case RecordKind::Decision:
      case RecordKind::Decisions:
        if (decode_decisions(type, payload, decisions_, names)) {
          for (const auto& d : decisions_) decision(seq, d);
        }
        break;
      case RecordKind::Attempt:
        if (decode(payload, attempt_, names)) attempt(seq, attempt_);
        break;
      case RecordKind::DeadLetter: {
        DeadLetterRecord r;
        if (decode(payload, r)) dead_letter(seq, r);
        break;
      }
      case RecordKind::Rejected: {
        RejectedRecord r;
        if (decode(payload, r)) rejected(seq, r);
        break;
      }
      case RecordKind::Instance: {
        InstanceRecord r;
        if (decode(payload, r, names)) instance(seq, r);
        break;
      }
      case RecordKind::Names: break;  // what the segment's records refer to
    }
  }

  ExportSummary finish() {
    // Deliveries that had not settled, then the instances, in a stable order.
    std::vector<std::string> ids;
    for (const auto& [id, d] : open_) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (const auto& id : ids) delivery_row(id, open_[id]);
    open_.clear();
    for (const auto& [key, row] : instances_) {
      std::string entered = t1_(row.entered_us), changed = t2_(row.changed_us);
      Value v[] = {Value::of(key.first),      Value::text_or_null(row.key), Value::of(key.second),
                   Value::of(row.status),     Value::of(entered),           Value::of(row.entered_us),
                   Value::of(row.entered_by), Value::of(changed),           Value::of(row.changed_us),
                   Value::of(row.changed_by)};
      emit(kInstances, v);
    }
    return summary_;
  }

 private:
  void emit(size_t table, const Value* values) {
    sink_.row(table, values);
    ++summary_.rows;
  }

  int version_of(const std::string& hash) const {
    for (const auto& d : index_.definitions()) {
      if (d.hash == hash) return d.version;
    }
    return 0;
  }

  void definition(uint64_t seq, const DefinitionRecord& r) {
    int version = version_of(r.hash);
    std::string activated = t1_(r.activated_us);
    Value v[] = {version > 0 ? Value::of(version) : Value::null(),
                 Value::of(r.hash),
                 Value::of(activated),
                 Value::of(r.activated_us),
                 Value::of(r.source),
                 Value::of(static_cast<int64_t>(r.artifact.size())),
                 Value::of(static_cast<int64_t>(seq))};
    emit(kDefinitions, v);
  }

  void event(uint64_t seq, const EventRecord& r) {
    auto def = definitions_.find(r.definition);
    if (def == definitions_.end()) def = definitions_.emplace(r.definition, index_.definition(r.definition)).first;
    const DefinitionSummary* summary = def->second;
    const std::string& time = t1_(r.time_us);
    const std::string& dispatched = t2_(r.dispatched_us);
    Value v[] = {Value::of(static_cast<int64_t>(seq)),
                 Value::of(r.id),
                 Value::of(r.type),
                 Value::of(r.instance),
                 Value::text_or_null(r.key),
                 Value::of(origin_of(r)),
                 Value::text_or_null(r.causation),
                 Value::text_or_null(r.delivery),
                 Value::text_or_null(r.service),
                 Value::text_or_null(r.source),
                 Value::text_or_null(r.subject),
                 Value::of(time),
                 Value::of(r.time_us),
                 Value::of(dispatched),
                 Value::of(r.dispatched_us),
                 r.input_line > 0 ? Value::of(r.input_line) : Value::null(),
                 summary ? Value::of(summary->version) : Value::null(),
                 Value::of(r.definition),
                 Value::of(r.data_json)};
    emit(kEvents, v);
    // The last event, and a ring of recent ones for decisions that do not
    // follow their event directly (never with this engine; cheap to allow).
    if (!last_id_.empty()) {
      auto& slot = recent_[recent_next_++ % recent_.size()];
      slot.first = last_id_;
      slot.second = last_;
    }
    last_.seq = seq;
    last_.instance = r.instance;
    last_.type = r.type;
    last_.definition = r.definition;
    last_id_ = r.id;
    // Unconditional subscriptions make their deliveries without a decision.
    if (summary && summary->loaded) {
      if (const EventTypeInfo* info = summary->event(r.type)) {
        for (const auto& route : info->routes) {
          if (!route.conditional) open_route(r.id, r.instance, route);
        }
      }
    }
  }

  void open_route(const std::string& event, const std::string& instance, const RouteInfo& route) {
    for (size_t s = 0; s < route.services.size(); ++s) {
      std::string id = delivery_id(event, static_cast<size_t>(route.route), s);
      Delivery& d = open_[id];
      d.event = event;
      d.instance = instance;
      d.flow = route.flow;
      d.service = route.services[s];
    }
  }

  void decision(uint64_t seq, const DecisionRecord& r) {
    const EventContext* context = r.event == last_id_ ? &last_ : nullptr;
    for (size_t i = 0; !context && i < recent_.size(); ++i) {
      if (recent_[i].first == r.event) context = &recent_[i].second;
    }
    rules_json_.clear();
    rules_json_.push_back('[');
    for (size_t i = 0; i < r.rules.size(); ++i) {
      if (i) rules_json_.push_back(',');
      rules_json_ += "{\"name\":";
      append_json_string(rules_json_, r.rules[i].name, JsonEscape::kKeepBytes);
      rules_json_ += ",\"value\":";
      append_json_string(rules_json_, r.rules[i].value, JsonEscape::kKeepBytes);
      rules_json_.push_back('}');
    }
    rules_json_.push_back(']');
    const char* result = r.result == 1 ? "fired" : r.result == 0 ? "not fired" : "error";
    // A record may hold several decisions: each gets its own number.
    const auto id = static_cast<int64_t>(++decisions_exported_);
    Value v[] = {Value::of(id),
                 Value::of(static_cast<int64_t>(seq)),
                 Value::of(r.event),
                 context ? Value::of(static_cast<int64_t>(context->seq)) : Value::null(),
                 context ? Value::of(context->instance) : Value::null(),
                 Value::of(r.flow),
                 Value::of(r.subscription),
                 Value::of(result),
                 Value::of(r.result == 1 ? 1 : 0),
                 Value::text_or_null(r.error),
                 Value::of(rules_json_)};
    emit(kDecisions, v);
    for (size_t i = 0; i < r.rules.size(); ++i) {
      Value rv[] = {Value::of(id), Value::of(static_cast<int64_t>(i)), Value::of(r.rules[i].name),
                    Value::of(r.rules[i].value)};
      emit(kDecisionRules, rv);
    }
    if (r.result == 1 && context) {
      auto def = definitions_.find(context->definition);
      const DefinitionSummary* summary = def == definitions_.end() ? nullptr : def->second;
      const RouteInfo* route = summary ? summary->route(context->type, r.flow, r.subscription) : nullptr;
      if (route) open_route(r.event, context->instance, *route);
    }
  }

  static std::string emitted_json(const std::vector<std::string>& ids) {
    std::string out = "[";
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i) out.push_back(',');
      append_json_string(out, ids[i], JsonEscape::kKeepBytes);
    }
    out.push_back(']');
    return out;
  }

  void attempt(uint64_t seq, const AttemptRecord& r) {
    const std::string& started = t1_(r.started_us);
    const std::string& ended = t2_(r.ended_us);
    std::string emitted = emitted_json(r.emitted);
    Value v[] = {Value::of(static_cast<int64_t>(seq)),
                 Value::of(r.delivery),
                 Value::of(r.event),
                 Value::of(r.instance),
                 Value::of(r.flow),
                 Value::of(r.service),
                 Value::of(r.attempt),
                 Value::of(started),
                 Value::of(r.started_us),
                 Value::of(ended),
                 Value::of(r.ended_us),
                 Value::of(to_string(r.outcome)),
                 Value::text_or_null(r.error),
                 Value::of(emitted)};
    emit(kAttempts, v);
    Delivery& d = open_[r.delivery];
    d.event = r.event;
    d.instance = r.instance;
    d.flow = r.flow;
    d.service = r.service;
    if (d.attempts++ == 0) d.first_started = r.started_us;
    d.last_ended = r.ended_us;
    d.emitted.insert(d.emitted.end(), r.emitted.begin(), r.emitted.end());
    if (r.outcome == AttemptOutcomeKind::Ok) {
      d.ok = true;
      settle(r.delivery);
    } else {
      d.error = r.error;
    }
  }

  void dead_letter(uint64_t seq, const DeadLetterRecord& r) {
    const std::string& time = t1_(r.time_us);
    Value v[] = {Value::of(static_cast<int64_t>(seq)),
                 Value::of(r.delivery),
                 Value::of(r.event),
                 Value::of(r.instance),
                 Value::of(r.flow),
                 Value::of(r.service),
                 Value::of(r.attempts),
                 Value::of(r.error),
                 Value::of(time),
                 Value::of(r.time_us),
                 Value::of(to_string(r.reason))};
    emit(kDeadLetters, v);
    Delivery& d = open_[r.delivery];
    if (d.event.empty()) {
      d.event = r.event;
      d.instance = r.instance;
      d.flow = r.flow;
      d.service = r.service;
    }
    d.dead = true;
    d.error = r.error;
    d.reason = r.reason;
    settle(r.delivery);
  }

  void settle(const std::string& id) {
    auto it = open_.find(id);
    delivery_row(id, it->second);
    open_.erase(it);
  }

  void delivery_row(const std::string& id, const Delivery& d) {
    const char* status = d.ok ? "ok" : d.dead ? "dead-lettered" : d.attempts > 0 ? "retrying" : "pending";
    std::string first = d.attempts > 0 ? t1_(d.first_started) : "";
    std::string last = d.attempts > 0 ? t2_(d.last_ended) : "";
    std::string emitted = emitted_json(d.emitted);
    Value v[] = {Value::of(id),
                 Value::of(d.event),
                 Value::of(d.instance),
                 Value::of(d.flow),
                 Value::of(d.service),
                 Value::of(status),
                 Value::of(d.attempts),
                 Value::text_or_null(first),
                 d.attempts > 0 ? Value::of(d.first_started) : Value::null(),
                 Value::text_or_null(last),
                 d.attempts > 0 ? Value::of(d.last_ended) : Value::null(),
                 Value::text_or_null(d.ok ? std::string_view() : std::string_view(d.error)),
                 Value::of(emitted),
                 d.dead ? Value::of(to_string(d.reason)) : Value::null()};
    emit(kDeliveries, v);
  }

  void rejected(uint64_t seq, const RejectedRecord& r) {
    const std::string& time = t1_(r.time_us);
    Value v[] = {Value::of(static_cast<int64_t>(seq)),
                 Value::of(r.line),
                 Value::of(r.reason),
                 Value::of(r.raw),
                 Value::of(time),
                 Value::of(r.time_us)};
    emit(kRejected, v);
  }

  void instance(uint64_t seq, const InstanceRecord& r) {
    const std::string& time = t1_(r.time_us);
    Value v[] = {Value::of(static_cast<int64_t>(seq)),
                 Value::of(r.instance),
                 Value::text_or_null(r.key),
                 Value::of(r.flow),
                 Value::of(to_string(r.status)),
                 Value::of(r.event),
                 Value::of(time),
                 Value::of(r.time_us)};
    emit(kInstanceChanges, v);
    auto [it, inserted] = instances_.try_emplace({r.instance, r.flow});
    InstanceRow& row = it->second;
    if (inserted) {
      row.entered_us = r.time_us;
      row.entered_by = r.event;
    }
    if (!r.key.empty()) row.key = r.key;
    row.status = to_string(r.status);
    row.changed_us = r.time_us;
    row.changed_by = r.event;
  }

  const JournalIndex& index_;
  RowSink& sink_;
  TimeText t1_, t2_;  // two, for rows with two times
  ExportSummary summary_;
  EventRecord event_;
  std::vector<DecisionRecord> decisions_;
  uint64_t decisions_exported_ = 0;
  AttemptRecord attempt_;
  std::string rules_json_;
  std::unordered_map<std::string, const DefinitionSummary*> definitions_;
  EventContext last_;
  std::string last_id_;
  std::vector<std::pair<std::string, EventContext>> recent_ = std::vector<std::pair<std::string, EventContext>>(4096);
  size_t recent_next_ = 0;
  std::unordered_map<std::string, Delivery> open_;
  std::map<std::pair<std::string, std::string>, InstanceRow> instances_;
};

}  // namespace

ExportSummary export_journal(const std::filesystem::path& dir, RowSink& sink, std::ostream& log) {
  return with_index(dir, log, [&](const JournalIndex& index) {
    // Parse every definition summary up front (events look them up by hash).
    for (const auto& d : index.definitions()) index.definition(d.hash);
    Exporter exporter(index, sink);
    scan_records(dir, UINT64_MAX,
                 [&](uint64_t, uint64_t seq, uint8_t type, std::string_view payload, const NameList* names) {
                   exporter.record(seq, type, payload, names);
                   return true;
                 });
    return exporter.finish();
  });
}

}  // namespace flow::runtime::queries
