// An instance's state from its records; see instance_history.h.
#include "queries/dossier/instance_history.h"

#include <algorithm>

#include "records/delivery_id.h"

namespace flow::runtime::queries {

const char* DeliveryEntry::status() const {
  if (ok) return "ok";
  if (dead) return "dead-lettered";
  return attempts.empty() ? "pending" : "retrying";
}

InstanceHistory::InstanceHistory(std::string id, const DefinitionLookup& definitions, bool detailed)
    : id_(std::move(id)), definitions_(definitions), detailed_(detailed) {}

void InstanceHistory::touch(int64_t time_us) {
  if (!any_time_ || time_us < first_us_) first_us_ = time_us;
  if (!any_time_ || time_us > last_us_) last_us_ = time_us;
  any_time_ = true;
}

const InstanceHistory::EventContext* InstanceHistory::context_of(const std::string& event_id) const {
  if (event_id == last_event_) return &last_context_;
  auto it = contexts_.find(event_id);
  return it == contexts_.end() ? nullptr : &it->second;
}

bool InstanceHistory::has_event(const std::string& event_id) const {
  return context_of(event_id) != nullptr;
}

DeliveryEntry& InstanceHistory::delivery(const std::string& id) {
  auto [it, inserted] = deliveries_.try_emplace(id);
  if (inserted) {
    it->second.id = id;
    if (detailed_) delivery_order_.push_back(id);
  }
  return it->second;
}

void InstanceHistory::open_delivery(const std::string& id, const std::string& event, const std::string& flow,
                                    const std::string& service) {
  DeliveryEntry& d = delivery(id);
  d.event = event;
  d.flow = flow;
  d.service = service;
}

void InstanceHistory::apply(uint64_t seq, const EventRecord& r) {
  ++event_count_;
  touch(r.dispatched_us);
  if (key_.empty() && !r.key.empty() && r.causation.empty()) key_ = r.key;
  const DefinitionSummary* def = definitions_ ? definitions_(r.definition) : nullptr;
  EventContext context{def ? def->event(r.type) : nullptr, events_.size()};
  EventEntry entry;
  if (detailed_) {
    entry.seq = seq;
    entry.record = r;
    entry.version = def ? def->version : 0;
  }
  if (def) {
    if (const EventTypeInfo* info = def->event(r.type)) {
      for (const auto& route : info->routes) {
        RouteOutcome outcome;
        outcome.flow = route.flow;
        outcome.subscription = route.subscription;
        outcome.route = route.route;
        outcome.text = route.text;
        outcome.conditional = route.conditional;
        if (!route.conditional) {
          // No decision record for these: they always fire.
          outcome.result = 1;
          for (size_t s = 0; s < route.services.size(); ++s) {
            std::string id = delivery_id(r.id, route.route, s);
            open_delivery(id, r.id, route.flow, route.services[s]);
            outcome.deliveries.push_back(id);
          }
        }
        if (detailed_) entry.routes.push_back(std::move(outcome));
      }
    }
  }
  if (detailed_) {
    contexts_[r.id] = context;
    timeline_.push_back({TimelineItem::Kind::Event, events_.size()});
    events_.push_back(std::move(entry));
  }
  last_event_ = r.id;
  last_context_ = std::move(context);
}

void InstanceHistory::apply(uint64_t, const DecisionRecord& r) {
  const EventContext* context = context_of(r.event);
  if (!context) return;
  const RouteInfo* route = nullptr;
  if (context->type) {
    for (const auto& candidate : context->type->routes) {
      if (candidate.flow == r.flow && candidate.subscription == r.subscription) route = &candidate;
    }
  }
  std::vector<std::string> made;
  if (r.result == 1 && route) {
    for (size_t s = 0; s < route->services.size(); ++s) {
      std::string id = delivery_id(r.event, route->route, s);
      open_delivery(id, r.event, route->flow, route->services[s]);
      made.push_back(id);
    }
  }
  if (!detailed_) return;
  EventEntry& entry = events_[context->index];
  RouteOutcome* outcome = nullptr;
  for (auto& o : entry.routes) {
    if (o.flow == r.flow && o.subscription == r.subscription) outcome = &o;
  }
  if (!outcome) {
    // The definition is unknown (or does not have this subscription): the
    // decision record alone tells what happened.
    entry.routes.push_back({});
    outcome = &entry.routes.back();
    outcome->flow = r.flow;
    outcome->subscription = r.subscription;
  }
  outcome->decided = true;
  outcome->result = r.result;
  outcome->error = r.error;
  outcome->rules = r.rules;
  outcome->deliveries = std::move(made);
}

void InstanceHistory::apply(uint64_t seq, const AttemptRecord& r) {
  touch(r.ended_us);
  DeliveryEntry* d = nullptr;
  if (detailed_ || deliveries_.count(r.delivery)) {
    d = &delivery(r.delivery);
  } else if (r.outcome != AttemptOutcomeKind::Ok) {
    // Summary mode: a delivery made before what we saw (or by an unknown
    // definition) that is still failing is in progress.
    d = &delivery(r.delivery);
  }
  if (!d) return;
  d->event = r.event;
  d->flow = r.flow;
  d->service = r.service;
  if (r.outcome == AttemptOutcomeKind::Ok)
    d->ok = true;
  else
    d->error = r.error;
  if (detailed_) {
    d->attempts.push_back({seq, r});
    timeline_.push_back({TimelineItem::Kind::Attempt, attempts_.size()});
    attempts_.push_back({seq, r});
  } else if (d->ok) {
    deliveries_.erase(r.delivery);
  }
}

void InstanceHistory::apply(uint64_t seq, const DeadLetterRecord& r) {
  touch(r.time_us);
  if (detailed_ || deliveries_.count(r.delivery)) {
    DeliveryEntry& d = delivery(r.delivery);
    d.dead = true;
    d.error = r.error;
    if (d.event.empty()) {
      d.event = r.event;
      d.flow = r.flow;
      d.service = r.service;
    }
    if (!detailed_) deliveries_.erase(r.delivery);
  }
  if (detailed_) {
    timeline_.push_back({TimelineItem::Kind::DeadLetter, dead_letters_.size()});
    dead_letters_.push_back({seq, r});
  }
}

void InstanceHistory::apply(uint64_t seq, const InstanceRecord& r) {
  touch(r.time_us);
  if (!r.key.empty()) key_ = r.key;
  FlowEntry* flow = nullptr;
  for (auto& f : flows_) {
    if (f.flow == r.flow) flow = &f;
  }
  if (!flow) {
    flows_.push_back({r.flow, r.status, r.time_us, r.event, r.time_us, r.event});
  } else {
    flow->status = r.status;
    flow->changed_us = r.time_us;
    flow->changed_by = r.event;
  }
  if (detailed_) {
    timeline_.push_back({TimelineItem::Kind::Status, statuses_.size()});
    statuses_.push_back({seq, r});
  }
}

const char* InstanceHistory::status() const {
  bool all_completed = !flows_.empty();
  for (const auto& f : flows_) {
    if (f.status == InstanceStatus::Failed) return "failed";
    if (f.status != InstanceStatus::Completed) all_completed = false;
  }
  return all_completed ? "completed" : "active";
}

size_t InstanceHistory::in_progress() const {
  size_t n = 0;
  for (const auto& [id, d] : deliveries_) n += d.in_progress() ? 1 : 0;
  return n;
}

const char* InstanceHistory::activity() const {
  if (in_progress() > 0) return "working";
  for (const auto& f : flows_) {
    if (f.status == InstanceStatus::Active) return "waiting";
  }
  return "done";
}

const char* InstanceHistory::activity(const FlowEntry& flow) const {
  for (const auto& [id, d] : deliveries_) {
    if (d.in_progress() && d.flow == flow.flow) return "working";
  }
  return flow.status == InstanceStatus::Active ? "waiting" : "done";
}

std::vector<const DeliveryEntry*> InstanceHistory::deliveries() const {
  std::vector<const DeliveryEntry*> out;
  for (const auto& id : delivery_order_) {
    auto it = deliveries_.find(id);
    if (it != deliveries_.end()) out.push_back(&it->second);
  }
  return out;
}

}  // namespace flow::runtime::queries
