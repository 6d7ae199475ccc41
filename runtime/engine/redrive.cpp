// Deliveries a previous run left in flight (engine.h, "Re-driving"). While
// recover() reads the journal, every exec delivery that was started — an
// event with an unconditional exec subscription, or a decision that fired
// one — is remembered until its outcome is journaled (an ok attempt, or a
// dead letter). What is left at the end was in flight when the previous run
// stopped, and is delivered again under the same delivery id: at least once.
//
// Which deliveries an event started is read from the routes of the version
// that dispatched it (version_routes.h), whatever version runs now. A
// delivery goes again to the exec service of the same name in the version
// now running; when that version has none, or the event no longer decodes
// under it, the delivery is dead-lettered with the reason. Never silently.
#include <iostream>

#include "engine/engine.h"
#include "records/delivery_id.h"
#include "records/record_views.h"
#include "base/wall_clock.h"

namespace flow::runtime {

void Engine::note_definition(const DefinitionRecord& definition) {
  auto [it, added] = versions_.try_emplace(definition.hash);
  if (!added) return;
  it->second.version = static_cast<int>(versions_.size());
  other_versions_ = other_versions_ || definition.hash != app_.content_hash;
  if (definition.hash == app_.content_hash) {
    it->second.fill(app_.table);
  } else {
    it->second.artifact = definition.artifact;  // loaded when an event of it needs it
  }
}

const VersionRoutes* Engine::routes_of_version(std::string_view hash) {
  auto it = versions_.find(std::string(hash));
  if (it == versions_.end()) return nullptr;  // an event before any definition record: not ours to guess
  VersionRoutes& routes = it->second;
  if (!routes.loaded && !routes.load()) {
    log_ << "flowrt: journal: definition version " << routes.version
         << " cannot be loaded, so deliveries its events left in flight are not known: " << routes.error << "\n";
  }
  return routes.error.empty() ? &routes : nullptr;
}

void Engine::start_deliveries(const EventRecord& event, const VersionRoutes& routes, size_t route) {
  const VersionRoutes::Route& r = routes.find(event.type)->routes[route];
  for (size_t s = 0; s < r.services.size(); ++s) {
    if (!r.exec[s]) continue;
    std::string id;
    write_delivery_id(id, event.id, route, s);
    in_flight_at_start_[id] = {event, r.flow, r.services[s], routes.version, 0};
  }
}

void Engine::track_in_flight(RecordKind kind, std::string_view payload, const NameList* names) {
  switch (kind) {
    case RecordKind::Event: {
      last_event_.reset();
      last_routes_ = nullptr;
      EventView view;
      if (!decode_view(payload, view, names)) return;
      const VersionRoutes* routes = routes_of_version(view.definition);
      if (!routes) return;
      const VersionRoutes::EventRoutes* type_routes = routes->find(std::string(view.type));
      if (!type_routes || !type_routes->any_exec) return;
      EventRecord event;
      if (!decode(payload, event, names)) return;
      for (size_t r = 0; r < type_routes->routes.size(); ++r) {
        if (type_routes->routes[r].any_exec && !type_routes->routes[r].conditional) start_deliveries(event, *routes, r);
      }
      last_event_ = std::move(event);
      last_routes_ = routes;
      return;
    }
    case RecordKind::Decision:
    case RecordKind::Decisions: {
      // A dispatch journals an event's decisions right after the event.
      if (!last_event_) return;
      decision_views_.clear();
      if (!decode_decision_views(static_cast<uint8_t>(kind), payload, decision_views_, names)) return;
      const auto& routes = last_routes_->find(last_event_->type)->routes;
      for (const DecisionView& decision : decision_views_) {
        if (decision.result != 1 || decision.event != last_event_->id) continue;
        for (size_t r = 0; r < routes.size(); ++r) {
          if (routes[r].any_exec && routes[r].subscription == decision.subscription &&
              routes[r].flow == decision.flow) {
            start_deliveries(*last_event_, *last_routes_, r);
          }
        }
      }
      return;
    }
    case RecordKind::Attempt: {
      if (in_flight_at_start_.empty()) return;  // most attempts: nothing open to settle
      AttemptRecord attempt;
      if (!decode(payload, attempt, names)) return;
      if (attempt.outcome == AttemptOutcomeKind::Ok) {
        in_flight_at_start_.erase(attempt.delivery);
      } else if (auto it = in_flight_at_start_.find(attempt.delivery); it != in_flight_at_start_.end()) {
        it->second.attempts = attempt.attempt;
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
  last_routes_ = nullptr;
  const int version_now = versions_.at(app_.content_hash).version;
  versions_.clear();
  if (in_flight_at_start_.empty()) return;
  log_ << "flowrt: re-driving " << in_flight_at_start_.size()
       << " exec deliveries left in flight by the previous run\n";
  for (auto& [id, in_flight] : in_flight_at_start_) {
    const EventRecord& event = in_flight.event;
    instances_.get_or_create(event.instance, event.key);
    const ast::ServiceDecl* service = nullptr;
    for (const ast::ServiceDecl* exec : exec_services_) {
      if (name_of(exec) == in_flight.service) service = exec;
    }
    const EventType* type = catalog_->find(event.type);
    DecodedEvent decoded;
    std::string failure;
    DeadLetterReason reason = DeadLetterReason::ServiceRemoved;
    if (!service) {
      failure = "service " + in_flight.service + " removed in version " + std::to_string(version_now) +
                " (its delivery was in flight when version " + std::to_string(in_flight.version) + " stopped)";
    } else if (!type) {
      failure = "event type " + event.type + " removed in version " + std::to_string(version_now);
      reason = DeadLetterReason::InvalidEvent;
    } else if (!emit_decoder_->decode_data(*type, event.data_json, arena_, decoded)) {
      reason = DeadLetterReason::InvalidEvent;
      failure = "its event " + event.id + " no longer decodes under version " + std::to_string(version_now) + ": " +
                emit_decoder_->error();
    }
    const CausalChains::Id chain = chains_.begin();  // counted again from here (causal_chains.h)
    if (!failure.empty()) {
      log_ << "flowrt: cannot re-drive delivery " << id << ": " << failure << "\n";
      dead_letter({id, event.id, event.instance, in_flight.flow, in_flight.service, in_flight.attempts, failure,
                   wall_clock_us(), reason},
                  event.type, chain);
      chains_.release(chain);
      continue;
    }
    Work work;
    work.type = type;
    work.data = decoded.instance;
    work.id = event.id;
    work.instance = event.instance;
    work.key = event.key;
    work.source = event.source;
    work.time_us = event.time_us;
    work.dispatched_us = event.dispatched_us;
    work.chain = chain;
    deliver(service, name_of(service), in_flight.flow, work, id);
    chains_.release(chain);
  }
  in_flight_at_start_.clear();
  run_queue();  // what the dead letters published
  arena_.reset();
}

}  // namespace flow::runtime
