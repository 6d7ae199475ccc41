// `flowrt explain`: one event through the query index. See explain.h.
#include "queries/explain/explain.h"

#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "base/time_format.h"
#include "queries/common/query_json.h"
#include "queries/common/record_access.h"
#include "queries/dossier/instance_history.h"
#include "queries/dossier/instance_lookup.h"
#include "queries/explain/decision_tree.h"
#include "queries/explain/witnesses.h"
#include "queries/index/journal_index.h"

namespace flow::runtime::queries {

namespace {

struct Explained {
  const EventEntry* event = nullptr;
  const DefinitionSummary* definition = nullptr;
  const EventEntry* cause = nullptr;       // the event whose delivery produced it
  const AttemptEntry* producer = nullptr;  // the attempt that emitted it
  /// Rule or decision (qualified) -> the witnesses of its quantifiers.
  std::map<std::string, std::vector<Witness>> witnesses;
};

const std::vector<Witness>& witnesses_of(const Explained& x, const std::string& rule) {
  static const std::vector<Witness> none;
  auto it = x.witnesses.find(rule);
  return it == x.witnesses.end() ? none : it->second;
}

ojson tree_json(const std::vector<RuleNode>& nodes, const Explained& x) {
  ojson out = ojson::array();
  for (const auto& n : nodes) {
    ojson witnesses = ojson::array();
    for (const auto& w : witnesses_of(x, n.name)) {
      witnesses.push_back(
          {{"quantifier", w.quantifier}, {"list", text_or_null(w.list)}, {"index", w.index}, {"element", w.element}});
    }
    out.push_back(
        {{"name", n.name}, {"value", n.value}, {"witnesses", witnesses}, {"children", tree_json(n.children, x)}});
  }
  return out;
}

/// "any(items) decided by items[3] = LineItem { ... }".
std::string witness_text(const Witness& w) {
  std::string element =
      w.list.empty() ? "element " + std::to_string(w.index) : w.list + "[" + std::to_string(w.index) + "]";
  return w.quantifier + (w.list.empty() ? "" : "(" + w.list + ")") + " decided by " + element + " = " + w.element;
}

/// "true"/"false" for a decided condition, the error otherwise.
std::string condition_value(const RouteOutcome& r) {
  if (r.result == 1) return "true";
  if (r.result == 0) return "false";
  return "error: " + r.error;
}

const char* route_result(const RouteOutcome& r) {
  if (!r.conditional) return "fired";
  if (!r.decided) return "undecided";
  return result_text(r.result);
}

ojson explained_json(const Explained& x, const InstanceHistory& h) {
  const EventEntry& e = *x.event;
  ojson j;
  j["event"] = event_json(e.record, e.seq, e.version, true);
  j["definition"] = definition_json(x.definition, e.record.definition);
  if (x.producer || !e.record.delivery.empty()) {
    ojson p;
    p["event"] = e.record.causation;
    p["event_type"] = x.cause ? ojson(x.cause->record.type) : ojson(nullptr);
    p["delivery"] = e.record.delivery;
    p["service"] = e.record.service;
    p["flow"] = x.producer ? ojson(x.producer->record.flow) : ojson(nullptr);
    p["attempt"] = x.producer ? ojson(x.producer->record.attempt) : ojson(nullptr);
    p["attempt_seq"] = x.producer ? ojson(x.producer->seq) : ojson(nullptr);
    j["produced_by"] = p;
  } else {
    j["produced_by"] = nullptr;
  }
  ojson subs = ojson::array();
  for (const auto& r : e.routes) {
    ojson s;
    s["flow"] = r.flow;
    s["subscription"] = r.subscription;
    s["text"] = text_or_null(r.text);
    const RouteInfo* info = x.definition ? x.definition->route(e.record.type, r.flow, r.subscription) : nullptr;
    s["condition"] = info && info->conditional ? ojson(info->condition) : ojson(nullptr);
    s["conditional"] = r.conditional;
    s["result"] = route_result(r);
    s["value"] = !r.conditional ? ojson(nullptr)
                 : !r.decided   ? ojson(nullptr)
                 : r.result < 0 ? ojson(nullptr)
                                : ojson(r.result == 1);
    s["error"] = text_or_null(r.error);
    s["rules"] = tree_json(decision_tree(r.rules, x.definition, r.flow, r.subscription), x);
    ojson trace = ojson::array();
    for (const auto& v : r.rules) trace.push_back({{"name", v.name}, {"value", v.value}});
    s["trace"] = trace;
    ojson deliveries = ojson::array();
    for (const DeliveryEntry* d : h.deliveries()) {
      if (std::find(r.deliveries.begin(), r.deliveries.end(), d->id) == r.deliveries.end()) continue;
      std::vector<std::string> emitted;
      for (const auto& a : d->attempts) emitted.insert(emitted.end(), a.record.emitted.begin(), a.record.emitted.end());
      deliveries.push_back({{"id", d->id},
                            {"service", d->service},
                            {"status", d->status()},
                            {"attempts", d->attempts.size()},
                            {"error", text_or_null(d->error)},
                            {"emitted", emitted}});
    }
    s["deliveries"] = deliveries;
    subs.push_back(std::move(s));
  }
  j["subscriptions"] = subs;
  return j;
}

void print_tree(const std::vector<RuleNode>& nodes, const Explained& x, int depth, std::ostream& out) {
  for (const auto& n : nodes) {
    std::string indent(static_cast<size_t>(6 + 2 * depth), ' ');
    out << indent << short_name(n.name) << " = " << n.value << "\n";
    for (const auto& w : witnesses_of(x, n.name)) out << indent << "  " << witness_text(w) << "\n";
    print_tree(n.children, x, depth + 1, out);
  }
}

/// The witnesses of the quantified rules in the event's traces (see
/// witnesses.h); `finders` keeps one loaded definition per hash.
void find_witnesses(Explained& x, const JournalIndex& index, RecordFetcher& fetcher,
                    std::map<std::string, std::unique_ptr<WitnessFinder>>& finders) {
  if (!x.definition || x.definition->quantified.empty()) return;
  std::set<std::string> rules;
  for (const auto& route : x.event->routes) {
    for (const auto& v : route.rules) {
      if (x.definition->quantified.count(v.name)) rules.insert(v.name);
    }
  }
  if (rules.empty()) return;
  auto& finder = finders[x.definition->hash];
  if (!finder) {
    AnyRecord record;
    if (!fetcher.fetch(index.position(x.definition->ordinal), record)) return;
    auto* definition = std::get_if<DefinitionRecord>(&record);
    if (!definition) return;
    finder = std::make_unique<WitnessFinder>(definition->artifact);
  }
  const EventRecord& e = x.event->record;
  for (const auto& rule : rules) {
    auto found = finder->find(rule, e.type, e.data_json, e.dispatched_us);
    if (!found.empty()) x.witnesses[rule] = std::move(found);
  }
}

void print_explained(const Explained& x, const InstanceHistory& h, std::ostream& out) {
  const EventEntry& e = *x.event;
  const EventRecord& r = e.record;
  out << "event " << r.id << ": " << short_name(r.type) << " (" << r.type << ", #" << e.seq << ") in instance "
      << r.instance << "\n";
  std::string origin = origin_of(r);
  if (origin == "input") {
    out << "  from input line " << r.input_line << " (source " << r.source << "), time " << format_timestamp(r.time_us)
        << ", dispatched " << format_timestamp(r.dispatched_us) << "\n";
  } else if (origin == "runtime") {
    out << "  raised by the runtime" << (r.causation.empty() ? "" : " about event " + r.causation) << ", dispatched "
        << format_timestamp(r.dispatched_us) << "\n";
  } else {
    out << "  emitted by " << short_name(r.service) << " (delivery " << r.delivery;
    if (x.producer) out << ", attempt " << x.producer->record.attempt << " #" << x.producer->seq;
    out << ") on event " << r.causation;
    if (x.cause) out << " (" << short_name(x.cause->record.type) << ")";
    out << ", dispatched " << format_timestamp(r.dispatched_us) << "\n";
  }
  if (x.definition) {
    out << "  definition v" << x.definition->version << " " << x.definition->hash << ", active since "
        << format_timestamp(x.definition->activated_us) << " (" << x.definition->source << ")\n";
    if (!x.definition->loaded) out << "  (its artifact could not be loaded: " << x.definition->load_error << ")\n";
  } else {
    out << "  definition " << r.definition << " (not in the journal)\n";
  }
  out << "\n";
  if (e.routes.empty()) {
    out << "no subscription on " << short_name(r.type) << "\n";
    return;
  }
  out << e.routes.size() << " subscription" << (e.routes.size() == 1 ? "" : "s") << " on " << short_name(r.type)
      << ":\n";
  for (const auto& route : e.routes) {
    out << "  " << short_name(route.flow) << " #" << route.subscription;
    if (!route.text.empty()) out << ": " << route.text;
    out << "\n";
    const RouteInfo* info = x.definition ? x.definition->route(r.type, route.flow, route.subscription) : nullptr;
    if (!route.conditional) {
      out << "    fired (no condition)\n";
    } else if (!route.decided) {
      out << "    no decision journaled\n";
    } else {
      out << "    " << result_text(route.result) << ": " << (info ? info->condition : std::string("the condition"))
          << " is " << condition_value(route) << "\n";
      print_tree(decision_tree(route.rules, x.definition, route.flow, route.subscription), x, 0, out);
    }
    for (const DeliveryEntry* d : h.deliveries()) {
      if (std::find(route.deliveries.begin(), route.deliveries.end(), d->id) == route.deliveries.end()) continue;
      out << "    delivery " << d->id << " to " << short_name(d->service) << ": " << d->status();
      if (!d->attempts.empty())
        out << " after " << d->attempts.size() << " attempt" << (d->attempts.size() == 1 ? "" : "s");
      std::string emitted;
      for (const auto& a : d->attempts) {
        for (const auto& id : a.record.emitted) emitted += " " + id;
      }
      if (!emitted.empty()) out << ", emitted" << emitted;
      if (!d->ok && !d->error.empty()) out << " (" << d->error << ")";
      out << "\n";
    }
  }
}

}  // namespace

int explain_on_index(const JournalIndex& index, const ExplainOptions& options, std::ostream& out, std::ostream& err) {
  RecordFetcher fetcher(index.dir());
  // The event records with this id (ids are unique unless the input reused one).
  std::vector<std::pair<uint64_t, std::string>> matches;  // (seq, instance)
  for (uint64_t ordinal : index.events_with_id(hash_text(options.event))) {
    AnyRecord record;
    if (!fetcher.fetch(index.position(ordinal), record)) throw std::runtime_error(fetcher.error());
    if (auto* e = std::get_if<EventRecord>(&record); e && e->id == options.event) {
      matches.push_back({index.sequence(ordinal), e->instance});
    }
  }
  if (matches.empty()) {
    err << "flowrt: no event '" << options.event << "' in " << index.dir().string() << "\n";
    return 1;
  }
  std::sort(matches.begin(), matches.end());
  DefinitionLookup lookup = [&](const std::string& hash) { return index.definition(hash); };
  ojson list = ojson::array();
  std::map<std::string, std::unique_ptr<WitnessFinder>> finders;
  bool first = true;
  for (const auto& [seq, instance] : matches) {
    InstanceHistory history(instance, lookup, true);
    load_history(index, fetcher, index.record_count(), history);
    Explained x;
    for (const auto& e : history.events()) {
      if (e.seq == seq) x.event = &e;
    }
    if (!x.event) continue;
    x.definition = index.definition(x.event->record.definition);
    for (const auto& e : history.events()) {
      if (e.record.id == x.event->record.causation && e.seq < seq) x.cause = &e;
    }
    for (const auto& a : history.attempts()) {
      if (a.record.delivery == x.event->record.delivery &&
          std::find(a.record.emitted.begin(), a.record.emitted.end(), options.event) != a.record.emitted.end()) {
        x.producer = &a;
      }
    }
    find_witnesses(x, index, fetcher, finders);
    if (options.json) {
      list.push_back(explained_json(x, history));
    } else {
      if (!first) out << "\n";
      print_explained(x, history, out);
    }
    first = false;
  }
  if (options.json) {
    ojson j;
    j["format"] = "flowrt.explain/1";
    j["events"] = list;
    out << dump(j);
  }
  return 0;
}

int run_explain(const std::filesystem::path& dir, const ExplainOptions& options, std::ostream& out, std::ostream& err) {
  try {
    // Output is buffered: should the index turn out damaged mid-query, the
    // query runs again on a rebuilt one and nothing is printed twice.
    std::ostringstream buffer;
    int status = with_index(dir, err, [&](const JournalIndex& index) -> int {
      buffer.str("");
      return explain_on_index(index, options, buffer, err);
    });
    out << buffer.str();
    return status;
  } catch (const std::exception& e) {
    err << "flowrt: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace flow::runtime::queries
