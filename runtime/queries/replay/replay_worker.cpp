// One `flowrt replay` worker (replay_worker.h). It holds whole segments
// (mapped) and decodes events and decisions to views into them, skipping
// every other record by its type byte; rule values become text only for
// the samples the report prints.
#include "queries/replay/replay_worker.h"

#include <memory>
#include <string>
#include <unordered_map>

#include "ingress/cloudevent_decoder.h"
#include "records/name_list.h"
#include "records/record_views.h"

namespace flow::runtime::queries::replay {

namespace {

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
        out.push_back({t.function->decl_name.empty() ? t.function->name : t.function->decl_name,
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
      const plan::Route& route = type->routes->routes[r];
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

}  // namespace

Stats replay_segments(const Shared& shared, const std::vector<Subscription>& subscriptions,
                      const std::vector<journal::SegmentFile>& files, size_t first, size_t last) {
  Worker worker(shared, subscriptions.size());
  worker.subscriptions = &subscriptions;
  worker.run(files, first, last);
  return std::move(worker.stats());
}

}  // namespace flow::runtime::queries::replay
