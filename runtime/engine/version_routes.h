// VersionRoutes: the routes of one definition version by name, as recovery
// needs them to tell which exec deliveries an earlier run started. A
// delivery id (`d-<event>.<route>.<service>`) names a route by its index in
// the dispatch table of the version that dispatched the event, so an event
// journaled under an older version is read against that version's table,
// rebuilt from the artifact its definition record holds; the delivery is
// then re-driven to the service of the same name in the version now
// running (engine/recovery.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "load/app_loader.h"

namespace flow::runtime {

struct VersionRoutes {
  struct Route {
    std::string flow;  // qualified
    int64_t subscription = 0;
    bool conditional = false;
    std::vector<std::string> services;  // qualified, in the route's order
    std::vector<bool> exec;             // per service: an exec or http service (its outcome comes later)
    bool any_exec = false;
  };
  struct EventRoutes {
    std::vector<Route> routes;  // in the dispatch table's order
    bool any_exec = false;
  };
  int version = 0;                                       // 1-based, in order of first appearance in the journal
  std::string artifact;                                  // the definition record's artifact, until loaded
  bool loaded = false;                                   // by_type is filled (or loading failed: error)
  std::string error;                                     // why the artifact could not be loaded
  std::unordered_map<std::string, EventRoutes> by_type;  // qualified event type

  /// Fills by_type from a plan's dispatch table.
  void fill(const plan::Plan& plan);
  /// Loads the artifact (once) and fills by_type; false (with error) when
  /// it cannot be loaded.
  bool load();
  const EventRoutes* find(const std::string& type) const {
    auto it = by_type.find(type);
    return it == by_type.end() ? nullptr : &it->second;
  }
};

}  // namespace flow::runtime
