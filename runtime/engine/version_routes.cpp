#include "engine/version_routes.h"

namespace flow::runtime {

void VersionRoutes::fill(const plan::Plan& plan) {
  const plan::DispatchTable& table = plan.table;
  by_type.clear();
  for (const auto& event : table.events) {
    EventRoutes& named = by_type[event.event->qualified_name];
    for (const auto& route : event.routes) {
      Route& r = named.routes.emplace_back();
      r.flow = plan.flows[static_cast<size_t>(route.flow)].qualified_name;
      r.subscription = route.subscription;
      r.conditional = route.condition >= 0;
      for (int s : route.services) {
        const plan::Service* service = &plan.services[static_cast<size_t>(s)];
        r.services.push_back(service->qualified_name);
        r.exec.push_back(service->kind == plan::ServiceKind::Exec || service->kind == plan::ServiceKind::Http);
        r.any_exec = r.any_exec || r.exec.back();
      }
      named.any_exec = named.any_exec || r.any_exec;
    }
  }
  loaded = true;
}

bool VersionRoutes::load() {
  if (loaded) return error.empty();
  loaded = true;
  auto app = load_app_from_bytes(artifact, "definition version " + std::to_string(version), error);
  if (!app) return false;
  fill(*app->plan);
  artifact.clear();
  artifact.shrink_to_fit();
  return true;
}

}  // namespace flow::runtime
