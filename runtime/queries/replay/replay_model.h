// Internal to `flowrt replay` (replay.cpp, replay_worker.cpp,
// replay_report.cpp): the subscriptions matched across definition versions,
// what every worker reads, and the tallies the workers produce and the
// report prints.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eval/interpreter.h"
#include "ingress/event_catalog.h"
#include "load/app_loader.h"
#include "queries/common/definition_summary.h"
#include "queries/replay/ordered_string_set.h"
#include "records/journal_records.h"

namespace flow::runtime::queries::replay {

// ---- Subscriptions matched across versions ---------------------------------

struct Subscription {
  std::string flow, type;
  std::vector<std::string> services;
  std::string text_before, text_after;
  bool in_before = false, in_after = false;
};

/// Gives every (flow, type, services, n-th such) one id, across all versions.
class SubscriptionTable {
 public:
  /// Ids for the routes of one event type, in route order.
  template <typename Routes, typename Get>
  std::vector<int> ids(const std::string& type, const Routes& routes, Get get, bool after) {
    std::map<std::string, int> seen;
    std::vector<int> out;
    for (const auto& route : routes) {
      auto [flow, services, text] = get(route);
      std::string base = flow + "|" + type + "|";
      for (const auto& s : services) base += s + ",";
      std::string key = base + "|" + std::to_string(seen[base]++);
      auto [it, inserted] = by_key_.try_emplace(key, static_cast<int>(subs_.size()));
      if (inserted) subs_.push_back({flow, type, services, "", "", false, false});
      Subscription& s = subs_[static_cast<size_t>(it->second)];
      if (after) {
        s.in_after = true;
        s.text_after = text;
      } else {
        s.in_before = true;
        s.text_before = text;
      }
      out.push_back(it->second);
    }
    return out;
  }
  const std::vector<Subscription>& subs() const { return subs_; }

 private:
  std::map<std::string, int> by_key_;
  std::vector<Subscription> subs_;
};

struct OldRoute {
  int sub = 0;
  const RouteInfo* info = nullptr;
};

struct NewType {
  const EventType* type = nullptr;
  const plan::EventRoutes* routes = nullptr;
  const EventTypeInfo* info = nullptr;  // in the new summary
  std::vector<int> subs;                // per route
};

/// What every worker reads and nobody writes.
struct Shared {
  const LoadedApp* app = nullptr;
  const eval::Interpreter* interpreter = nullptr;
  const EventCatalog* catalog = nullptr;
  std::unordered_map<std::string, const DefinitionSummary*> definitions;  // by hash
  std::map<std::pair<const DefinitionSummary*, std::string>, std::vector<OldRoute>> old_routes;
  std::unordered_map<std::string, NewType> new_types;  // by qualified and plain name
  size_t samples = 3;
};

// ---- Tallies ------------------------------------------------------------------

/// Instance ids in the order they were first met (journal order: workers
/// read consecutive ranges and are merged in order).
using InstanceSet = OrderedStringSet;

struct Sample {
  uint64_t seq = 0;
  std::string event, instance;
  std::vector<RuleValue> before, after;
};

struct SubStats {
  uint64_t evaluated = 0, fired_before = 0, fired_after = 0, now_fire = 0, no_longer = 0, errors_after = 0;
  InstanceSet instances_now, instances_no_longer;
  std::vector<Sample> samples_now, samples_no_longer;
};

struct Move {
  std::string type;
  std::vector<std::string> from, to;
  uint64_t events = 0;
  InstanceSet instances;
};

struct TypeProblem {
  uint64_t events = 0;
  uint64_t first_seq = 0;
  std::string reason, sample_event;
};

struct Stats {
  uint64_t events = 0, evaluated = 0, missing_type = 0, undecodable = 0, unknown_definition = 0, changed_events = 0;
  std::vector<SubStats> subs;
  std::map<std::string, uint64_t> events_by_type;
  std::map<std::string, Move, std::less<>> moves;
  std::map<std::string, TypeProblem, std::less<>> missing, bad;
  InstanceSet changed_instances;

  void merge(Stats&& o, size_t samples) {
    events += o.events;
    evaluated += o.evaluated;
    missing_type += o.missing_type;
    undecodable += o.undecodable;
    unknown_definition += o.unknown_definition;
    changed_events += o.changed_events;
    if (subs.size() < o.subs.size()) subs.resize(o.subs.size());
    for (size_t i = 0; i < o.subs.size(); ++i) {
      SubStats& a = subs[i];
      SubStats& b = o.subs[i];
      a.evaluated += b.evaluated;
      a.fired_before += b.fired_before;
      a.fired_after += b.fired_after;
      a.now_fire += b.now_fire;
      a.no_longer += b.no_longer;
      a.errors_after += b.errors_after;
      a.instances_now.merge(std::move(b.instances_now));
      a.instances_no_longer.merge(std::move(b.instances_no_longer));
      for (auto [mine, theirs] :
           {std::pair{&a.samples_now, &b.samples_now}, std::pair{&a.samples_no_longer, &b.samples_no_longer}}) {
        for (auto& s : *theirs) mine->push_back(std::move(s));
        std::sort(mine->begin(), mine->end(), [](const Sample& x, const Sample& y) { return x.seq < y.seq; });
        if (mine->size() > samples) mine->resize(samples);
      }
    }
    for (auto& [type, n] : o.events_by_type) events_by_type[type] += n;
    for (auto& [key, m] : o.moves) {
      Move& mine = moves[key];
      if (mine.events == 0) {
        mine.type = m.type;
        mine.from = m.from;
        mine.to = m.to;
      }
      mine.events += m.events;
      mine.instances.merge(std::move(m.instances));
    }
    for (auto [mine, theirs] : {std::pair{&missing, &o.missing}, std::pair{&bad, &o.bad}}) {
      for (auto& [type, p] : *theirs) {
        TypeProblem& t = (*mine)[type];
        if (t.events == 0 || p.first_seq < t.first_seq) {
          t.first_seq = p.first_seq;
          t.reason = p.reason;
          t.sample_event = p.sample_event;
        }
        t.events += p.events;
      }
    }
    changed_instances.merge(std::move(o.changed_instances));
  }
};

}  // namespace flow::runtime::queries::replay
