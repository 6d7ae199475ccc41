// The `flowrt replay` report (replay_report.h): per subscription what
// would now fire or no longer fire, with instances and sample events whose
// rule values differ, and where events would go instead.
#include "queries/replay/replay_report.h"

#include <map>
#include <set>
#include <tuple>

#include "queries/common/query_json.h"

namespace flow::runtime::queries::replay {

namespace {

ojson rules_json(const std::vector<RuleValue>& rules) {
  ojson out = ojson::array();
  for (const auto& r : rules) out.push_back({{"name", r.name}, {"value", r.value}});
  return out;
}

/// Rule values that differ between the two traces (first value of each
/// name; "" when a rule was not evaluated on one side).
std::vector<std::tuple<std::string, std::string, std::string>> differing(const Sample& s) {
  std::map<std::string, std::pair<std::string, std::string>> values;
  std::vector<std::string> order;
  for (const auto& r : s.before) {
    if (!values.count(r.name)) order.push_back(r.name);
    values.try_emplace(r.name, r.value, "");
  }
  std::set<std::string> after_seen;
  for (const auto& r : s.after) {
    if (!after_seen.insert(r.name).second) continue;
    if (!values.count(r.name)) {
      order.push_back(r.name);
      values[r.name] = {"", r.value};
    } else {
      values[r.name].second = r.value;
    }
  }
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& name : order) {
    const auto& [before, after] = values[name];
    if (before != after) out.emplace_back(name, before, after);
  }
  return out;
}

ojson sample_json(const Sample& s) {
  ojson diff = ojson::array();
  for (const auto& [name, before, after] : differing(s)) {
    diff.push_back({{"name", name}, {"before", text_or_null(before)}, {"after", text_or_null(after)}});
  }
  return {{"seq", s.seq},
          {"event", s.event},
          {"instance", s.instance},
          {"differing", diff},
          {"rules_before", rules_json(s.before)},
          {"rules_after", rules_json(s.after)}};
}

/// The instances in journal order, or with the running ones first when
/// the options say which those are.
std::vector<const std::string*> in_order(const InstanceSet& items, const ReplayOptions& options) {
  std::vector<const std::string*> out;
  out.reserve(items.size());
  for (const auto& i : items) {
    if (!options.running || options.running(i)) out.push_back(&i);
  }
  if (options.running) {
    for (const auto& i : items) {
      if (!options.running(i)) out.push_back(&i);
    }
  }
  return out;
}

ojson limited(const InstanceSet& items, size_t limit, const ReplayOptions& options) {
  ojson out = ojson::array();
  for (const std::string* i : in_order(items, options)) {
    if (limit > 0 && out.size() >= limit) break;
    out.push_back(*i);
  }
  return out;
}

std::string names(const std::vector<std::string>& services) {
  if (services.empty()) return "nothing";
  std::string out;
  for (size_t i = 0; i < services.size(); ++i) out += (i ? ", " : "") + short_name(services[i]);
  return out;
}

std::string instance_list(const InstanceSet& items, size_t limit, const ReplayOptions& options) {
  std::string out;
  size_t n = 0;
  for (const std::string* i : in_order(items, options)) {
    if (n == limit) {
      out += ", ... (" + std::to_string(items.size()) + " in all)";
      break;
    }
    out += (n++ ? ", " : "") + *i;
  }
  return out;
}

}  // namespace

void write_report(std::ostream& out, const ReplayOptions& options, const std::string& hash,
                  const std::vector<const DefinitionSummary*>& versions, int same_as, Stats& stats,
                  const std::vector<Subscription>& subs) {
  uint64_t changed_decisions = 0;
  for (const auto& s : stats.subs) changed_decisions += s.now_fire + s.no_longer;
  if (options.json) {
    ojson j;
    j["format"] = "flowrt.replay/1";
    j["with"] = {{"path", options.with}, {"hash", hash}};
    ojson defs = ojson::array();
    for (const auto* v : versions) defs.push_back(definition_json(v, v->hash));
    j["journal_definitions"] = defs;
    j["same_as_version"] = same_as > 0 ? ojson(same_as) : ojson(nullptr);
    j["events"] = {{"total", stats.events},
                   {"evaluated", stats.evaluated},
                   {"missing_type", stats.missing_type},
                   {"undecodable", stats.undecodable},
                   {"unknown_definition", stats.unknown_definition},
                   {"changed", stats.changed_events}};
    j["changed_decisions"] = changed_decisions;
    j["changed_instances"] = stats.changed_instances.size();
    ojson list = ojson::array();
    for (size_t i = 0; i < subs.size(); ++i) {
      const Subscription& sub = subs[i];
      const SubStats& s = stats.subs[i];
      ojson samples_now = ojson::array(), samples_no_longer = ojson::array();
      for (const auto& x : s.samples_now) samples_now.push_back(sample_json(x));
      for (const auto& x : s.samples_no_longer) samples_no_longer.push_back(sample_json(x));
      list.push_back({{"flow", sub.flow},
                      {"event_type", sub.type},
                      {"services", sub.services},
                      {"text_before", text_or_null(sub.text_before)},
                      {"text_after", text_or_null(sub.text_after)},
                      {"in_before", sub.in_before},
                      {"in_after", sub.in_after},
                      {"changed", s.now_fire + s.no_longer > 0},
                      {"evaluated", s.evaluated},
                      {"fired_before", s.fired_before},
                      {"fired_after", s.fired_after},
                      {"now_fire", s.now_fire},
                      {"no_longer_fire", s.no_longer},
                      {"errors_after", s.errors_after},
                      {"instances_now_fire", limited(s.instances_now, options.max_instances, options)},
                      {"instances_now_fire_total", s.instances_now.size()},
                      {"instances_no_longer_fire", limited(s.instances_no_longer, options.max_instances, options)},
                      {"instances_no_longer_fire_total", s.instances_no_longer.size()},
                      {"samples", {{"now_fire", samples_now}, {"no_longer_fire", samples_no_longer}}}});
    }
    j["subscriptions"] = list;
    ojson moves = ojson::array();
    for (const auto& [key, m] : stats.moves) {
      moves.push_back({{"event_type", m.type},
                       {"from", m.from},
                       {"to", m.to},
                       {"events", m.events},
                       {"of", stats.events_by_type[m.type]},
                       {"instances", limited(m.instances, options.max_instances, options)},
                       {"instances_total", m.instances.size()}});
    }
    j["moves"] = moves;
    auto problems = [](const std::map<std::string, TypeProblem, std::less<>>& table) {
      ojson out = ojson::array();
      for (const auto& [type, p] : table) {
        out.push_back({{"type", type}, {"events", p.events}, {"reason", p.reason}, {"sample_event", p.sample_event}});
      }
      return out;
    };
    j["missing_event_types"] = problems(stats.missing);
    j["undecodable"] = problems(stats.bad);
    if (options.running) {
      ojson running = ojson::array();
      size_t total = 0;
      for (const auto& i : stats.changed_instances) {
        if (!options.running(i)) continue;
        if (options.max_instances == 0 || total < options.max_instances) running.push_back(i);
        ++total;
      }
      j["running_instances_changed"] = running;
      j["running_instances_changed_total"] = total;
    }
    out << dump(j);
    return;
  }

  out << "replay of " << stats.events << " journaled event" << (stats.events == 1 ? "" : "s") << " under "
      << options.with << " (" << hash.substr(0, 12) << "), no service run\n";
  out << "journal definitions:";
  for (const auto* v : versions) out << " v" << v->version << " " << v->hash.substr(0, 12);
  out << (same_as > 0 ? " (the new definitions are v" + std::to_string(same_as) + ")" : std::string()) << "\n";
  if (stats.unknown_definition > 0) {
    out << stats.unknown_definition << " event(s) skipped: their definition version could not be loaded\n";
  }
  for (const auto& [type, p] : stats.missing) {
    out << p.events << " " << short_name(type) << " event(s) not evaluated: " << p.reason << "\n";
  }
  for (const auto& [type, p] : stats.bad) {
    out << p.events << " " << short_name(type) << " event(s) no longer fit the new type (e.g. " << p.sample_event
        << ": " << p.reason << ")\n";
  }
  out << "\n";
  if (changed_decisions == 0) {
    out << "no decision would change (" << stats.evaluated << " event" << (stats.evaluated == 1 ? "" : "s")
        << " evaluated)\n";
    return;
  }
  for (const auto& [key, m] : stats.moves) {
    out << "under the new definitions, " << m.events << " of " << stats.events_by_type[m.type] << " "
        << short_name(m.type) << " would go to " << names(m.to) << " instead of " << names(m.from)
        << " (instances: " << instance_list(m.instances, 10, options) << ")\n";
  }
  out << "\n";
  size_t unchanged = 0;
  for (size_t i = 0; i < subs.size(); ++i) {
    const Subscription& sub = subs[i];
    const SubStats& s = stats.subs[i];
    if (s.now_fire + s.no_longer == 0) {
      ++unchanged;
      continue;
    }
    out << short_name(sub.flow) << ": " << (sub.text_after.empty() ? sub.text_before : sub.text_after);
    if (!sub.in_after)
      out << "  (removed)";
    else if (!sub.in_before)
      out << "  (new)";
    else if (sub.text_before != sub.text_after)
      out << "  (was: " << sub.text_before << ")";
    out << "\n";
    uint64_t of = stats.events_by_type[sub.type];
    auto direction = [&](uint64_t n, const char* what, const InstanceSet& instances,
                         const std::vector<Sample>& samples) {
      if (n == 0) return;
      out << "  " << n << " of " << of << " " << short_name(sub.type) << " would " << what
          << " (instances: " << instance_list(instances, 10, options) << ")\n";
      for (const auto& sample : samples) {
        out << "    e.g. " << sample.event << " (instance " << sample.instance << "):";
        auto diff = differing(sample);
        if (diff.empty()) out << " same rule values";
        for (size_t k = 0; k < diff.size(); ++k) {
          const auto& [name, before, after] = diff[k];
          out << (k ? ", " : " ") << short_name(name) << " " << (before.empty() ? "(not evaluated)" : before) << " -> "
              << (after.empty() ? "(not evaluated)" : after);
        }
        out << "\n";
      }
    };
    direction(s.now_fire, "now fire", s.instances_now, s.samples_now);
    direction(s.no_longer, "no longer fire", s.instances_no_longer, s.samples_no_longer);
    if (s.errors_after > 0) out << "  " << s.errors_after << " evaluation error(s) under the new definitions\n";
  }
  if (unchanged > 0) out << unchanged << " other subscription" << (unchanged == 1 ? "" : "s") << ": no change\n";
  return;
}

}  // namespace flow::runtime::queries::replay
