#include "engine/in_flight_scan.h"

#include "records/delivery_id.h"

namespace flow::runtime {

void InFlightScan::note_definition(const DefinitionRecord& definition) {
  auto [it, added] = versions_.try_emplace(definition.hash);
  if (!added) return;
  it->second.version = static_cast<int>(versions_.size());
  other_versions_ = other_versions_ || definition.hash != app_.content_hash;
  if (definition.hash == app_.content_hash) {
    it->second.fill(*app_.plan);
  } else {
    it->second.artifact = definition.artifact;  // loaded when an event of it needs it
  }
}

const VersionRoutes* InFlightScan::routes_of_version(std::string_view hash) {
  auto it = versions_.find(std::string(hash));
  if (it == versions_.end()) return nullptr;  // an event before any definition record: not ours to guess
  VersionRoutes& routes = it->second;
  if (!routes.loaded && !routes.load()) {
    log_ << "flowrt: journal: definition version " << routes.version
         << " cannot be loaded, so deliveries its events left in flight are not known: " << routes.error << "\n";
  }
  return routes.error.empty() ? &routes : nullptr;
}

void InFlightScan::start_deliveries(const EventRecord& event, const VersionRoutes& routes, size_t route) {
  const VersionRoutes::Route& r = routes.find(event.type)->routes[route];
  for (size_t s = 0; s < r.services.size(); ++s) {
    if (!r.exec[s]) continue;
    std::string id;
    write_delivery_id(id, event.id, route, s);
    in_flight_[id] = {event, r.flow, r.services[s], routes.version, 0};
  }
}

void InFlightScan::observe(RecordKind kind, std::string_view payload, const NameList* names) {
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
      if (in_flight_.empty()) return;  // most attempts: nothing open to settle
      AttemptRecord attempt;
      if (!decode(payload, attempt, names)) return;
      if (attempt.outcome == AttemptOutcomeKind::Ok) {
        in_flight_.erase(attempt.delivery);
      } else if (auto it = in_flight_.find(attempt.delivery); it != in_flight_.end()) {
        it->second.attempts = attempt.attempt;
      }
      return;
    }
    case RecordKind::DeadLetter: {
      if (in_flight_.empty()) return;
      DeadLetterRecord dead;
      if (decode(payload, dead)) in_flight_.erase(dead.delivery);
      return;
    }
    default: return;
  }
}

int InFlightScan::finish() {
  last_event_.reset();
  last_routes_ = nullptr;
  const int version_now = versions_.at(app_.content_hash).version;
  versions_.clear();
  return version_now;
}

}  // namespace flow::runtime
