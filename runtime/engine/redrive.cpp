// Deliveries a previous run left in flight (engine.h, "Re-driving"). While
// recover() reads the journal, every exec delivery that was started — an
// event with an unconditional exec subscription, or a decision that fired
// one — is remembered until its outcome is journaled (an ok attempt, or a
// dead letter). What is left at the end was in flight when the previous run
// stopped, and is delivered again under the same delivery id: at least once.
//
// Delivery ids name a route by its index in the dispatch table, so only
// events dispatched under the definition now running are re-driven: a run
// under changed definitions does not guess at the old routes.
#include <iostream>

#include "engine/engine.h"
#include "records/record_views.h"

namespace flow::runtime {

void Engine::start_deliveries(const EventRecord& event, const EventType& type, size_t route) {
  const dispatch::Route& r = plan_of(type).routes->routes[route];
  for (size_t s = 0; s < r.services.size(); ++s) {
    if (r.services[s]->impl != ast::ServiceImpl::Exec) continue;
    std::string id;
    make_delivery_id(id, event.id, route, s);
    in_flight_at_start_[id] = {event, &type, route, s};
  }
}

void Engine::track_in_flight(RecordKind kind, std::string_view payload, const NameList* names) {
  switch (kind) {
    case RecordKind::Event: {
      last_event_.reset();
      EventView view;
      if (!decode_view(payload, view, names)) return;
      const EventType* type = catalog_->find(std::string(view.type));
      if (!type) return;
      const EventPlan& plan = plan_of(*type);
      if (!plan.exec_routes) return;
      EventRecord event;
      if (!decode(payload, event, names)) return;
      if (event.definition != app_.content_hash) return;
      for (size_t r = 0; r < plan.routes->routes.size(); ++r) {
        if (plan.routes->routes[r].condition < 0) start_deliveries(event, *type, r);
      }
      last_event_ = std::move(event);
      return;
    }
    case RecordKind::Decision:
    case RecordKind::Decisions: {
      // A dispatch journals an event's decisions right after the event.
      if (!last_event_) return;
      decision_views_.clear();
      if (!decode_decision_views(static_cast<uint8_t>(kind), payload, decision_views_, names)) return;
      const EventType* type = catalog_->find(last_event_->type);
      const auto& routes = plan_of(*type).routes->routes;
      for (const DecisionView& decision : decision_views_) {
        if (decision.result != 1 || decision.event != last_event_->id) continue;
        for (size_t r = 0; r < routes.size(); ++r) {
          if (routes[r].subscription == decision.subscription && name_of(routes[r].flow) == decision.flow) {
            start_deliveries(*last_event_, *type, r);
          }
        }
      }
      return;
    }
    case RecordKind::Attempt: {
      if (in_flight_at_start_.empty()) return;  // most attempts: nothing open to settle
      AttemptRecord attempt;
      if (decode(payload, attempt, names) && attempt.outcome == AttemptOutcomeKind::Ok) {
        in_flight_at_start_.erase(attempt.delivery);
      }
      return;
    }
    case RecordKind::DeadLetter: {
      if (in_flight_at_start_.empty()) return;
      DeadLetterRecord dead;
      if (decode(payload, dead)) in_flight_at_start_.erase(dead.delivery);
      return;
    }
    default: return;
  }
}

void Engine::redrive_in_flight() {
  last_event_.reset();
  if (in_flight_at_start_.empty()) return;
  log_ << "flowrt: re-driving " << in_flight_at_start_.size()
       << " exec deliveries left in flight by the previous run\n";
  for (auto& [id, in_flight] : in_flight_at_start_) {
    const EventRecord& event = in_flight.event;
    DecodedEvent decoded;
    if (!emit_decoder_->decode_data(*in_flight.type, event.data_json, arena_, decoded)) {
      log_ << "flowrt: cannot re-drive delivery " << id << ": its event " << event.id
           << " no longer decodes: " << emit_decoder_->error() << "\n";
      continue;
    }
    const dispatch::Route& route = plan_of(*in_flight.type).routes->routes[in_flight.route];
    const ast::ServiceDecl* service = route.services[in_flight.service];
    Work work;
    work.type = in_flight.type;
    work.data = decoded.instance;
    work.id = event.id;
    work.instance = event.instance;
    work.key = event.key;
    work.source = event.source;
    work.time_us = event.time_us;
    work.dispatched_us = event.dispatched_us;
    instances_.get_or_create(work.instance, work.key);
    deliver(service, name_of(service), name_of(route.flow), work, id);
  }
  in_flight_at_start_.clear();
  arena_.reset();
}

}  // namespace flow::runtime
