#include "dispatch/dispatch_table.h"

#include <map>

namespace flow::dispatch {

const EventRoutes* DispatchTable::find(const ast::EventDecl* event) const {
  for (const auto& e : events) {
    if (e.event == event) return &e;
  }
  return nullptr;
}

DispatchTable build_dispatch_table(const Program& program, const ir::Module& module) {
  DispatchTable table;
  std::map<const ast::Decl*, size_t> index;
  for (const auto* event : program.all<ast::EventDecl>()) {
    index[event] = table.events.size();
    table.events.push_back({event, {}, {}, {}, {}});
  }
  for (const auto* flow : program.all<ast::FlowDecl>()) {
    auto add = [&](const std::vector<ast::QualifiedName>& names, auto member) {
      for (const auto& n : names) {
        if (auto it = index.find(n.resolved); it != index.end()) (table.events[it->second].*member).push_back(flow);
      }
    };
    add(flow->starts, &EventRoutes::starts);
    add(flow->accepts, &EventRoutes::accepts);
    add(flow->ends, &EventRoutes::ends);
    for (size_t i = 0; i < flow->subscriptions.size(); ++i) {
      const auto& sub = flow->subscriptions[i];
      auto it = index.find(sub.event.resolved);
      if (it == index.end()) continue;
      Route route;
      route.flow = flow;
      route.subscription = static_cast<int>(i);
      if (sub.condition) {
        const ir::Function* condition = module.condition(flow, static_cast<int>(i));
        route.condition = condition ? static_cast<int>(condition->id) : -1;
      }
      for (const auto& s : sub.services) {
        if (auto* service = ast::dyn_cast<ast::ServiceDecl>(s.resolved)) route.services.push_back(service);
      }
      table.events[it->second].routes.push_back(std::move(route));
    }
  }
  return table;
}

}  // namespace flow::dispatch
