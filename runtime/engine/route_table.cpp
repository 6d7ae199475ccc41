#include "engine/route_table.h"

namespace flow::runtime {

RouteTable::RouteTable(const LoadedApp& app, const EventCatalog& catalog, const std::string& services_dir) {
  // Services first (names come below): what each is, and the exec
  // services' configurations, in declaration order.
  std::unordered_map<const ast::ServiceDecl*, ServiceSpec*> spec_of;
  auto add_service = [&](const ast::ServiceDecl* service) -> ServiceSpec* {
    ServiceSpec& spec = services_.emplace_back();
    spec_of[service] = &spec;
    spec.decl = service;
    spec.plain_name = service->name;
    switch (service->impl) {
      case ast::ServiceImpl::None: spec.kind = ServiceSpec::Kind::None; break;
      case ast::ServiceImpl::Emit: spec.kind = ServiceSpec::Kind::Emit; break;
      case ast::ServiceImpl::Builtin: spec.kind = ServiceSpec::Kind::Builtin; break;
      case ast::ServiceImpl::Exec: spec.kind = ServiceSpec::Kind::Exec; break;
    }
    spec.builtin = service->builtin_name;
    spec.emits = service->emits.size();
    for (const auto& type : catalog.types()) {
      for (const auto& p : service->publishes) {
        if (p.resolved == type->decl) {
          spec.publishes.push_back(type.get());
          break;
        }
      }
    }
    return &spec;
  };
  for (const auto* service : app.program->all<ast::ServiceDecl>()) {
    ServiceSpec& spec = *add_service(service);
    if (service->impl != ast::ServiceImpl::Exec) continue;
    ExecServiceConfig config;
    config.name = service->qualified_name();
    config.command = service->exec_command;
    config.working_dir = service_folder(app, service->module->file->path(), services_dir);
    if (service->timeout_us > 0) config.timeout_us = service->timeout_us;
    if (service->retry >= 0) config.retry = static_cast<uint32_t>(service->retry);
    if (service->backoff_us >= 0) config.backoff_us = service->backoff_us;
    if (service->concurrency > 0) config.concurrency = static_cast<uint32_t>(service->concurrency);
    spec.exec_index = exec_configs_.size();
    exec_services_.push_back(&spec);
    exec_configs_.push_back(std::move(config));
  }
  auto spec_for = [&](const ast::ServiceDecl* service) -> const ServiceSpec* {
    auto it = spec_of.find(service);
    return it != spec_of.end() ? it->second : add_service(service);
  };

  // Routes by type, with the names the journal lists.
  for (const auto& type : catalog.types()) {
    EventRoutes& event = events_.emplace_back();
    const dispatch::EventRoutes* routes = app.table.find(type->decl);
    if (!routes) continue;
    event.listed = true;
    for (const auto* flow : routes->starts) event.starts.push_back(&name_of(flow));
    for (const auto* flow : routes->ends) event.ends.push_back(&name_of(flow));
    if (!routes->accepts.empty()) event.joins = routes->accepts[0]->name;
    for (const auto& route : routes->routes) {
      Route& r = event.routes.emplace_back();
      r.flow = &name_of(route.flow);
      r.condition = route.condition;
      r.subscription = route.subscription;
      event.conditional |= route.condition >= 0;
      for (const auto* service : route.services) {
        name_of(service);
        r.services.push_back(spec_for(service));
      }
    }
  }
  for (const auto& function : app.module->functions) {
    returns_bool_.push_back(function->result && function->result->kind == TypeKind::Bool);
    function_names_.push_back(function->decl ? name_of(function->decl) : function->name);
  }
  for (const auto& [decl, name] : names_) names_listed_.push_back(name);
  for (const auto& name : function_names_) names_listed_.push_back(name);
  // Every service's name, the listed ones among them.
  for (ServiceSpec& spec : services_) spec.name = &name_of(spec.decl);

  for (const auto& e : app.table.events) {
    if (e.starts.empty() && e.accepts.empty()) continue;
    entry_events_ += (entry_events_.empty() ? "" : ", ") + e.event->name;
  }
}

const ServiceSpec* RouteTable::find_exec(std::string_view name) const {
  const ServiceSpec* found = nullptr;
  for (const ServiceSpec* exec : exec_services_) {
    if (*exec->name == name) found = exec;
  }
  return found;
}

const std::string& RouteTable::name_of(const ast::Decl* decl) {
  auto it = names_.find(decl);
  if (it == names_.end()) it = names_.emplace(decl, decl->qualified_name()).first;
  return it->second;
}

}  // namespace flow::runtime
