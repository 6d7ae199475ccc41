#include "engine/route_table.h"

#include <unordered_set>

namespace flow::runtime {

RouteTable::RouteTable(const LoadedApp& app, const EventCatalog& catalog, const std::string& services_dir) {
  const plan::Plan& plan = *app.plan;
  // Services first: what each is, and the exec services' configurations,
  // in declaration order (the plan's).
  for (const plan::Service& service : plan.services) {
    ServiceSpec& spec = services_.emplace_back();
    spec.service = &service;
    spec.name = &service.qualified_name;
    spec.plain_name = service.name;
    switch (service.kind) {
      case plan::ServiceKind::None: spec.kind = ServiceSpec::Kind::None; break;
      case plan::ServiceKind::Emit: spec.kind = ServiceSpec::Kind::Emit; break;
      case plan::ServiceKind::Builtin: spec.kind = ServiceSpec::Kind::Builtin; break;
      case plan::ServiceKind::Exec: spec.kind = ServiceSpec::Kind::Exec; break;
      case plan::ServiceKind::Http: spec.kind = ServiceSpec::Kind::Http; break;
    }
    spec.builtin = service.builtin_name;
    spec.emits = static_cast<size_t>(service.emit_count);
    for (const auto& type : catalog.types()) {
      for (const EventInfo* p : service.publishes) {
        if (p == type->decl) {
          spec.publishes.push_back(type.get());
          break;
        }
      }
    }
    // The limits the source gives; the others keep the runner's defaults.
    const auto limits = [&service](auto& config) {
      if (service.timeout_us > 0) config.timeout_us = service.timeout_us;
      if (service.retry >= 0) config.retry = static_cast<uint32_t>(service.retry);
      if (service.backoff_us >= 0) config.backoff_us = service.backoff_us;
      if (service.concurrency > 0) config.concurrency = static_cast<uint32_t>(service.concurrency);
    };
    if (service.kind == plan::ServiceKind::Http) {
      HttpServiceConfig config;
      config.name = service.qualified_name;
      config.url = service.http_url;
      limits(config);
      spec.http_index = http_configs_.size();
      http_services_.push_back(&spec);
      http_configs_.push_back(std::move(config));
      continue;
    }
    if (service.kind != plan::ServiceKind::Exec) continue;
    ExecServiceConfig config;
    config.name = service.qualified_name;
    config.command = service.exec_command;
    config.working_dir = service_folder(app, service.module_path, services_dir);
    limits(config);
    spec.exec_index = exec_configs_.size();
    exec_services_.push_back(&spec);
    exec_configs_.push_back(std::move(config));
  }

  // Routes by type, and the names of the flows and services they use,
  // which the journal lists.
  std::unordered_set<const std::string*> listed;
  auto list = [&](const std::string& name) -> const std::string* {
    if (listed.insert(&name).second) names_listed_.push_back(name);
    return &name;
  };
  auto flow_name = [&](int flow) -> const std::string* {
    return list(plan.flows[static_cast<size_t>(flow)].qualified_name);
  };
  for (const auto& type : catalog.types()) {
    EventRoutes& event = events_.emplace_back();
    const plan::EventRoutes* routes = plan.table.find(type->decl);
    if (!routes) continue;
    event.listed = true;
    for (int flow : routes->starts) event.starts.push_back(flow_name(flow));
    for (int flow : routes->ends) event.ends.push_back(flow_name(flow));
    if (!routes->accepts.empty()) event.joins = plan.flows[static_cast<size_t>(routes->accepts[0])].name;
    for (const auto& route : routes->routes) {
      Route& r = event.routes.emplace_back();
      r.flow = flow_name(route.flow);
      r.condition = route.condition;
      r.subscription = route.subscription;
      event.conditional |= route.condition >= 0;
      for (int service : route.services) {
        const ServiceSpec& spec = services_[static_cast<size_t>(service)];
        list(*spec.name);
        r.services.push_back(&spec);
      }
    }
  }
  for (const auto& function : app.module().functions) {
    returns_bool_.push_back(function->result && function->result->kind == TypeKind::Bool);
    function_names_.push_back(function->decl_name.empty() ? function->name : function->decl_name);
  }
  for (const auto& name : function_names_) names_listed_.push_back(name);

  for (const auto& e : plan.table.events) {
    if (e.starts.empty() && e.accepts.empty()) continue;
    entry_events_ += (entry_events_.empty() ? "" : ", ") + e.event->name;
  }
}

const ServiceSpec* RouteTable::find_remote(std::string_view name) const {
  const ServiceSpec* found = nullptr;
  for (const ServiceSpec* exec : exec_services_) {
    if (*exec->name == name) found = exec;
  }
  for (const ServiceSpec* http : http_services_) {
    if (*http->name == name) found = http;
  }
  return found;
}

}  // namespace flow::runtime
