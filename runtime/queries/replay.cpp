// `flowrt replay`: re-evaluates the journal's events under other definitions.
// See replay.h. Segments are split between worker threads; each decodes
// and evaluates its events with its own decoder and arena (the interpreter
// and the catalogs are shared read-only), and the per-thread tallies are
// merged in segment order, so the report does not depend on the threading.
// A worker holds whole segments (mapped) and decodes events and decisions
// to views into them, skipping every other record by its type byte; rule
// values become text only for the samples the report prints.
#include "queries/replay.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <unordered_map>

#include "artifact/artifact.h"
#include "diag/diagnostic_printer.h"
#include "eval/interpreter.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"
#include "ingress/field_defaults.h"
#include "journal/segment_reader.h"
#include "load/app_loader.h"
#include "queries/journal_index.h"
#include "queries/ordered_string_set.h"
#include "queries/query_json.h"
#include "queries/record_access.h"
#include "records/name_list.h"
#include "records/record_views.h"

namespace flow::runtime::queries {

namespace {

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
  const dispatch::EventRoutes* routes = nullptr;
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

// ---- One worker ---------------------------------------------------------------

/// What the events of one (definition version, event type) pair have in
/// common, worked out at the first such event instead of at every one.
struct Plan {
  std::string definition, type;  // as journaled
  uint64_t events = 0;
  const DefinitionSummary* def = nullptr;  // null: unknown or not loaded
  const std::vector<OldRoute>* old_routes = nullptr;
  const NewType* now = nullptr;  // null: the new definitions lack the type
  size_t count = 0;              // new routes evaluated
  /// Per new route: the old route (index in *old_routes) whose journaled
  /// outcome it reuses when its condition means the same, or -1; and whether
  /// that takes a decision record (conditional routes).
  std::vector<int> reuse_from;
  std::vector<char> reuse_needs_decision;
  /// When every route is reused the event still needs decoding if its type
  /// no longer decodes the same (decoding may fail: "no longer fit").
  bool decode_if_all_reused = true;
};

/// Where an outcome's rule values are, turned into RuleValues only for the
/// few events that become samples.
struct Rules {
  const DecisionView* decision = nullptr;                // journaled
  const std::vector<eval::TraceEntry>* trace = nullptr;  // evaluated now

  void get(std::vector<RuleValue>& out) const {
    out.clear();
    if (decision) {
      decode_rules(*decision, out);
    } else if (trace) {
      for (const auto& t : *trace) {
        out.push_back({t.function->decl ? t.function->decl->qualified_name() : t.function->name,
                       t.ok ? t.value.to_string() : "error"});
      }
    }
  }
};

class Worker {
 public:
  Worker(const Shared& shared, size_t subscriptions)
      : shared_(shared), decoder_(*shared.catalog, CloudEventDecoder::Options{false}) {
    stats_.subs.resize(subscriptions);
  }

  /// Reads segments [first, last) of `files`, then the start of `last` for
  /// the decisions of the final event.
  void run(const std::vector<journal::SegmentFile>& files, size_t first, size_t last) {
    for (size_t i = first; i < last; ++i) {
      read(files, i, false);
    }
    if (pending_ && last < files.size()) read(files, last, true);
    flush();
    held_.clear();
    held_names_.clear();
    for (const auto& [key, plan] : plans_) stats_.events_by_type[plan->type] += plan->events;
  }

  Stats& stats() { return stats_; }

 private:
  void read(const std::vector<journal::SegmentFile>& files, size_t index, bool tail_only) {
    // Whole segments, so that the views into the pending event and its
    // decisions stay valid without copying. Mapped, except the journal's
    // last segment: a writer's recovery may truncate that one under us.
    const auto how = index + 1 == files.size() ? journal::WholeFile::Read : journal::WholeFile::Map;
    auto owned = std::make_unique<journal::SegmentReader>(files[index], how);
    journal::SegmentReader& reader = *owned;
    if (!reader.header_ok()) return;
    held_.push_back(std::move(owned));
    // The segment's names, held as long as the segment: the pending event's
    // views may point into either.
    held_names_.push_back(std::make_unique<NameList>());
    NameList& names = *held_names_.back();
    bool have_names = false;
    uint64_t seq = reader.header().first_sequence;
    journal::Record record;
    while (reader.next(record)) {
      // Only events and decisions matter; the type byte says which before
      // anything is decoded.
      const auto kind = static_cast<RecordKind>(record.type);
      if (kind == RecordKind::Names) {
        have_names = names.assign(text(record));
      } else if (kind == RecordKind::Event) {
        if (tail_only) return;
        flush();
        // Nothing refers to earlier segments any more.
        if (held_.size() > 1) {
          held_.erase(held_.begin(), held_.end() - 1);
          held_names_.erase(held_names_.begin(), held_names_.end() - 1);
        }
        if (decode_view(text(record), event_, have_names ? &names : nullptr)) {
          pending_ = true;
          event_seq_ = seq;
          decision_count_ = 0;
        }
      } else if (is_decision_kind(record.type) && pending_) {
        // Decisions before the first event of a worker's range belong to
        // the previous worker's last event: no event is pending then.
        decisions_.resize(decision_count_);
        if (decode_decision_views(record.type, text(record), decisions_, have_names ? &names : nullptr)) {
          for (size_t i = decision_count_; i < decisions_.size(); ++i) {
            if (decisions_[i].event == event_.id) decisions_[decision_count_++] = decisions_[i];
          }
        }
      }
      ++seq;
    }
  }

  static std::string_view text(const journal::Record& record) {
    return {reinterpret_cast<const char*>(record.payload.data()), record.payload.size()};
  }

  const NewType* new_type(const std::string& type) const {
    auto it = shared_.new_types.find(type);
    if (it != shared_.new_types.end()) return &it->second;
    it = shared_.new_types.find(short_name(type));
    return it == shared_.new_types.end() ? nullptr : &it->second;
  }

  Plan& plan_for(const EventView& e) {
    // Journals hold few (definition, type) pairs, met over and over.
    for (Plan* p : recent_) {
      if (p->type == e.type && p->definition == e.definition) return *p;
    }
    key_.assign(e.definition);
    key_ += '\n';
    key_ += e.type;
    auto it = plans_.find(key_);
    if (it == plans_.end()) it = plans_.emplace(key_, make_plan(e)).first;
    Plan* plan = it->second.get();
    if (recent_.size() < kRecentPlans) {
      recent_.push_back(plan);
    } else {
      recent_[next_recent_++ % kRecentPlans] = plan;
    }
    return *plan;
  }

  std::unique_ptr<Plan> make_plan(const EventView& e) const {
    auto plan = std::make_unique<Plan>();
    plan->definition = e.definition;
    plan->type = e.type;
    auto def = shared_.definitions.find(plan->definition);
    if (def == shared_.definitions.end() || !def->second->loaded) return plan;
    plan->def = def->second;
    auto old_it = shared_.old_routes.find({plan->def, plan->type});
    if (old_it != shared_.old_routes.end()) plan->old_routes = &old_it->second;
    const NewType* type = plan->now = new_type(plan->type);
    if (!type) return plan;
    // A subscription whose condition means the same as the one that decided
    // (equal fingerprints) decides the same: its journaled decision is
    // reused. When every one is, and the type decodes the same, the event
    // need not be decoded at all.
    size_t count = type->routes ? type->routes->routes.size() : 0;
    if (type->subs.size() != count || (count > 0 && !type->info)) count = 0;
    plan->count = count;
    plan->reuse_from.assign(count, -1);
    plan->reuse_needs_decision.assign(count, 0);
    for (size_t r = 0; r < count && plan->old_routes; ++r) {
      const RouteInfo& now = type->info->routes[r];
      const auto& old = *plan->old_routes;
      for (size_t i = 0; i < old.size(); ++i) {
        if (old[i].sub != type->subs[r]) continue;
        const RouteInfo& then = *old[i].info;
        if (then.conditional == now.conditional && (!now.conditional || then.fingerprint == now.fingerprint)) {
          plan->reuse_from[r] = static_cast<int>(i);
          plan->reuse_needs_decision[r] = now.conditional;
        }
        break;  // the first route of that subscription is the one compared
      }
    }
    const EventTypeInfo* old_type = plan->def->event(plan->type);
    plan->decode_if_all_reused = !old_type || !type->info || old_type->fingerprint != type->info->fingerprint;
    return plan;
  }

  void flush() {
    if (!pending_) return;
    pending_ = false;
    const EventView& e = event_;
    ++stats_.events;
    Plan& plan = plan_for(e);
    ++plan.events;
    if (!plan.def) {
      ++stats_.unknown_definition;
      return;
    }
    const NewType* type = plan.now;
    if (!type) {
      note(stats_.missing, e, [&] { return "the new definitions have no event type " + short_name(plan.type); });
      ++stats_.missing_type;
      return;
    }
    // Before: what the journal says happened.
    before_.clear();
    if (plan.old_routes) {
      for (const auto& route : *plan.old_routes) {
        const DecisionView* decision = nullptr;
        for (size_t i = 0; i < decision_count_; ++i) {
          const DecisionView& d = decisions_[i];
          if (d.subscription == route.info->subscription && d.flow == route.info->flow) decision = &d;
        }
        bool fired = !route.info->conditional || (decision && decision->result == 1);
        before_.push_back({route.sub, fired, decision ? decision->result : 1, Rules{decision, nullptr}, route.info,
                           decision != nullptr});
      }
    }
    // After: the same event under the new definitions.
    const size_t count = plan.count;
    reuse_.assign(count, nullptr);
    bool all_reused = true;
    for (size_t r = 0; r < count; ++r) {
      const int from = plan.reuse_from[r];
      if (from >= 0 && (!plan.reuse_needs_decision[r] || before_[static_cast<size_t>(from)].decided)) {
        reuse_[r] = &before_[static_cast<size_t>(from)];
      } else {
        all_reused = false;
      }
    }
    DecodedEvent decoded;
    if (!all_reused || plan.decode_if_all_reused) {
      line_.clear();
      line_ += "{\"type\":\"";
      line_ += type->type->qualified_name;
      line_ += "\",\"data\":";
      line_ += e.data_json;
      line_ += "}";
      arena_.reset();
      if (!decoder_.decode_emitted(line_, arena_, decoded)) {
        note(stats_.bad, e, [&] { return decoder_.error(); });
        ++stats_.undecodable;
        return;
      }
    }
    ++stats_.evaluated;
    after_.clear();
    if (traces_.size() < count) traces_.resize(count);
    for (size_t r = 0; r < count; ++r) {
      if (const Outcome* then = reuse_[r]) {
        after_.push_back({type->subs[r], then->fired, then->result, then->rules, nullptr, true});
        continue;
      }
      const dispatch::Route& route = type->routes->routes[r];
      std::vector<eval::TraceEntry>& trace = traces_[r];
      trace.clear();
      int64_t result = 1;
      if (route.condition >= 0) {
        eval::EvalContext context{e.dispatched_us, &trace};
        eval::EvalResult value = shared_.interpreter->run(route.condition, decoded.instance, context);
        result = !value.ok() ? -1 : value.value().as_bool() ? 1 : 0;
      }
      after_.push_back({type->subs[r], result == 1, result, Rules{nullptr, &trace}, nullptr, true});
    }
    compare(e);
  }

  struct Outcome {
    int sub;
    bool fired;
    int64_t result;  // as decided (-1: evaluation error); 1 when unconditional
    Rules rules;
    const RouteInfo* info;  // before only
    bool decided;           // a decision record (before) or an evaluation (after)
  };

  static const Outcome* find(const std::vector<Outcome>& list, int sub) {
    for (const auto& o : list) {
      if (o.sub == sub) return &o;
    }
    return nullptr;
  }

  void compare(const EventView& e) {
    bool changed = false;
    auto tally = [&](int sub, const Outcome* before, const Outcome* after) {
      SubStats& s = stats_.subs[static_cast<size_t>(sub)];
      bool was = before && before->fired;
      bool now = after && after->fired;
      if (after) {
        ++s.evaluated;
        if (after->result < 0) ++s.errors_after;
      }
      s.fired_before += was ? 1 : 0;
      s.fired_after += now ? 1 : 0;
      if (was == now) return;
      changed = true;
      auto& count = now ? s.now_fire : s.no_longer;
      auto& instances = now ? s.instances_now : s.instances_no_longer;
      auto& samples = now ? s.samples_now : s.samples_no_longer;
      ++count;
      instances.insert(e.instance);
      if (samples.size() < shared_.samples) {
        Sample sample{event_seq_, std::string(e.id), std::string(e.instance), {}, {}};
        if (before) before->rules.get(sample.before);
        if (after) after->rules.get(sample.after);
        samples.push_back(std::move(sample));
      }
    };
    for (const auto& b : before_) tally(b.sub, &b, find(after_, b.sub));
    for (const auto& a : after_) {
      if (!find(before_, a.sub)) tally(a.sub, nullptr, &a);
    }
    if (!changed) return;
    ++stats_.changed_events;
    stats_.changed_instances.insert(e.instance);
    // "would go to X instead of Y": the services of what fired, before and
    // after; the key names both, the lists are kept once per move.
    const auto& subs = *subscriptions;
    key_.assign(e.type);
    key_ += '|';
    for (const auto& b : before_) {
      if (!b.fired) continue;
      for (const auto& s : b.info->services) (key_ += s) += ',';
    }
    key_ += '>';
    for (const auto& a : after_) {
      if (!a.fired) continue;
      for (const auto& s : subs[static_cast<size_t>(a.sub)].services) (key_ += s) += ',';
    }
    auto it = stats_.moves.find(key_);
    if (it == stats_.moves.end()) {
      Move move;
      move.type = e.type;
      for (const auto& b : before_) {
        if (b.fired) move.from.insert(move.from.end(), b.info->services.begin(), b.info->services.end());
      }
      for (const auto& a : after_) {
        if (!a.fired) continue;
        const auto& services = subs[static_cast<size_t>(a.sub)].services;
        move.to.insert(move.to.end(), services.begin(), services.end());
      }
      it = stats_.moves.emplace(key_, std::move(move)).first;
    }
    ++it->second.events;
    it->second.instances.insert(e.instance);
  }

  template <typename Reason>
  void note(std::map<std::string, TypeProblem, std::less<>>& table, const EventView& e, Reason reason) {
    auto it = table.find(e.type);
    if (it == table.end()) it = table.emplace(std::string(e.type), TypeProblem{}).first;
    TypeProblem& p = it->second;
    if (p.events++ == 0) {
      p.first_seq = event_seq_;
      p.reason = reason();
      p.sample_event = e.id;
    }
  }

 public:
  const std::vector<Subscription>* subscriptions = nullptr;

 private:
  static constexpr size_t kRecentPlans = 8;

  const Shared& shared_;
  CloudEventDecoder decoder_;
  Arena arena_;
  Stats stats_;
  // Segments the pending event's views point into (the current one and,
  // until the next event, the one before).
  std::vector<std::unique_ptr<journal::SegmentReader>> held_;
  std::vector<std::unique_ptr<NameList>> held_names_;             // one per held segment
  std::unordered_map<std::string, std::unique_ptr<Plan>> plans_;  // by definition "\n" type
  std::vector<Plan*> recent_;
  size_t next_recent_ = 0;
  std::string key_;
  bool pending_ = false;
  uint64_t event_seq_ = 0;
  EventView event_;
  std::vector<DecisionView> decisions_;  // the first decision_count_ are the pending event's
  size_t decision_count_ = 0;
  std::string line_;
  std::vector<std::vector<eval::TraceEntry>> traces_;  // per route of the event being evaluated
  std::vector<Outcome> before_, after_;
  std::vector<const Outcome*> reuse_;
};

// ---- Report -------------------------------------------------------------------

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

ojson limited(const InstanceSet& items, size_t limit) {
  ojson out = ojson::array();
  for (const auto& i : items) {
    if (limit > 0 && out.size() >= limit) break;
    out.push_back(i);
  }
  return out;
}

std::string names(const std::vector<std::string>& services) {
  if (services.empty()) return "nothing";
  std::string out;
  for (size_t i = 0; i < services.size(); ++i) out += (i ? ", " : "") + short_name(services[i]);
  return out;
}

std::string instance_list(const InstanceSet& items, size_t limit) {
  std::string out;
  size_t n = 0;
  for (const auto& i : items) {
    if (n == limit) {
      out += ", ... (" + std::to_string(items.size()) + " in all)";
      break;
    }
    out += (n++ ? ", " : "") + i;
  }
  return out;
}

}  // namespace

int run_replay(const std::filesystem::path& dir, const ReplayOptions& options, std::ostream& out, std::ostream& err) {
  // The new definitions.
  DiagnosticEngine diags;
  std::string error;
  LoadOptions load_options;
  load_options.include_dirs = options.include_dirs;
  std::unique_ptr<Program> failed;  // owns what the diagnostics point into
  load_options.failed_program = &failed;
  std::unique_ptr<LoadedApp> app = load_app(options.with, load_options, diags, error);
  diags.sort();
  for (const auto& d : diags.diagnostics()) print_human(err, d, {});
  if (!app) {
    err << "flowrt: error: " << error << "\n";
    return 1;
  }
  const std::string& hash = app->content_hash;  // what `flowrt run` journals for the same file
  eval::Interpreter interpreter(*app->module);
  FieldDefaults defaults;
  auto events = app->program->all<ast::EventDecl>();
  if (!evaluate_field_defaults(*app->module, interpreter, events, defaults, error)) {
    err << "flowrt: error: cannot evaluate field defaults of " << options.with << ": " << error << "\n";
    return 1;
  }
  EventCatalog catalog(events, app->module->layouts, defaults);
  DefinitionSummary new_summary;
  summarise(*app, new_summary);

  try {
    return with_index(dir, err, [&](const JournalIndex& index) -> int {
      Shared shared;
      shared.app = app.get();
      shared.interpreter = &interpreter;
      shared.catalog = &catalog;
      shared.samples = options.samples;
      SubscriptionTable table;
      // Old versions: parse every summary now (the index parses lazily and
      // is not thread-safe), and give their routes subscription ids.
      std::vector<const DefinitionSummary*> versions;
      for (const auto& d : index.definitions()) {
        const DefinitionSummary* def = index.definition(d.hash);
        versions.push_back(def);
        shared.definitions[def->hash] = def;
        for (const auto& [type, info] : def->events) {
          auto ids = table.ids(
              type, info.routes,
              [](const RouteInfo& r) {
                return std::tuple{r.flow, r.services, r.text};
              },
              false);
          std::vector<OldRoute>& routes = shared.old_routes[{def, type}];
          for (size_t i = 0; i < ids.size(); ++i) routes.push_back({ids[i], &info.routes[i]});
        }
      }
      // The new version's routes, per event type.
      for (const auto& type : catalog.types()) {
        NewType nt;
        nt.type = type.get();
        nt.routes = app->table.find(type->decl);
        const EventTypeInfo* info = new_summary.event(type->qualified_name);
        nt.info = info;
        if (info) {
          nt.subs = table.ids(
              type->qualified_name, info->routes,
              [](const RouteInfo& r) {
                return std::tuple{r.flow, r.services, r.text};
              },
              true);
        }
        shared.new_types[type->qualified_name] = nt;
        if (!catalog.find(type->name) || catalog.find(type->name) == type.get()) shared.new_types[type->name] = nt;
      }

      // Workers over contiguous ranges of segments.
      std::vector<journal::SegmentFile> files = journal::list_segments(dir);
      unsigned threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
      threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(files.size(), 1)));
      std::vector<std::unique_ptr<Worker>> workers;
      std::vector<std::pair<size_t, size_t>> ranges;
      for (unsigned t = 0; t < threads; ++t) {
        ranges.push_back({files.size() * t / threads, files.size() * (t + 1) / threads});
        workers.push_back(std::make_unique<Worker>(shared, table.subs().size()));
        workers.back()->subscriptions = &table.subs();
      }
      if (threads == 1) {
        workers[0]->run(files, ranges[0].first, ranges[0].second);
      } else {
        std::vector<std::thread> running;
        for (unsigned t = 0; t < threads; ++t) {
          running.emplace_back([&, t] { workers[t]->run(files, ranges[t].first, ranges[t].second); });
        }
        for (auto& th : running) th.join();
      }
      Stats stats;
      stats.subs.resize(table.subs().size());
      for (auto& w : workers) stats.merge(std::move(w->stats()), options.samples);

      // Report.
      int same_as = 0;
      for (const auto* v : versions) {
        if (v->hash == hash || (v->loaded && v->definitions_hash == new_summary.definitions_hash)) same_as = v->version;
      }
      uint64_t changed_decisions = 0;
      for (const auto& s : stats.subs) changed_decisions += s.now_fire + s.no_longer;
      const auto& subs = table.subs();
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
                          {"instances_now_fire", limited(s.instances_now, options.max_instances)},
                          {"instances_now_fire_total", s.instances_now.size()},
                          {"instances_no_longer_fire", limited(s.instances_no_longer, options.max_instances)},
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
                           {"instances", limited(m.instances, options.max_instances)},
                           {"instances_total", m.instances.size()}});
        }
        j["moves"] = moves;
        auto problems = [](const std::map<std::string, TypeProblem, std::less<>>& table) {
          ojson out = ojson::array();
          for (const auto& [type, p] : table) {
            out.push_back(
                {{"type", type}, {"events", p.events}, {"reason", p.reason}, {"sample_event", p.sample_event}});
          }
          return out;
        };
        j["missing_event_types"] = problems(stats.missing);
        j["undecodable"] = problems(stats.bad);
        out << dump(j);
        return 0;
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
        return 0;
      }
      for (const auto& [key, m] : stats.moves) {
        out << "under the new definitions, " << m.events << " of " << stats.events_by_type[m.type] << " "
            << short_name(m.type) << " would go to " << names(m.to) << " instead of " << names(m.from)
            << " (instances: " << instance_list(m.instances, 10) << ")\n";
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
              << " (instances: " << instance_list(instances, 10) << ")\n";
          for (const auto& sample : samples) {
            out << "    e.g. " << sample.event << " (instance " << sample.instance << "):";
            auto diff = differing(sample);
            if (diff.empty()) out << " same rule values";
            for (size_t k = 0; k < diff.size(); ++k) {
              const auto& [name, before, after] = diff[k];
              out << (k ? ", " : " ") << short_name(name) << " " << (before.empty() ? "(not evaluated)" : before)
                  << " -> " << (after.empty() ? "(not evaluated)" : after);
            }
            out << "\n";
          }
        };
        direction(s.now_fire, "now fire", s.instances_now, s.samples_now);
        direction(s.no_longer, "no longer fire", s.instances_no_longer, s.samples_no_longer);
        if (s.errors_after > 0) out << "  " << s.errors_after << " evaluation error(s) under the new definitions\n";
      }
      if (unchanged > 0) out << unchanged << " other subscription" << (unchanged == 1 ? "" : "s") << ": no change\n";
      return 0;
    });
  } catch (const std::exception& e) {
    err << "flowrt: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace flow::runtime::queries
