// Checked program + lowering -> runtime plan (see plan_builder.h).
#include "plan/plan_builder.h"

#include <map>

namespace flow::plan {

namespace {

using namespace ast;

/// The source text a range covers, as written.
std::string text_of(const SourceRange& range) {
  if (!range.valid() || range.end < range.begin) return "";
  std::string_view all = range.file->text();
  if (range.end > all.size()) return "";
  return std::string(all.substr(range.begin, range.end - range.begin));
}

const EventInfo* info_of(const QualifiedName& name) {
  auto* event = dyn_cast<EventDecl>(name.resolved);
  return event ? &event->info : nullptr;
}

std::vector<const EventInfo*> infos_of(const std::vector<QualifiedName>& names) {
  std::vector<const EventInfo*> out;
  for (const auto& n : names) {
    if (const EventInfo* e = info_of(n)) out.push_back(e);
  }
  return out;
}

ServiceKind kind_of(ServiceImpl impl) {
  switch (impl) {
    case ServiceImpl::Exec: return ServiceKind::Exec;
    case ServiceImpl::Emit: return ServiceKind::Emit;
    case ServiceImpl::Builtin: return ServiceKind::Builtin;
    case ServiceImpl::Http: return ServiceKind::Http;
    case ServiceImpl::None: return ServiceKind::None;
  }
  return ServiceKind::None;
}

Service service_of(const Program& program, const ServiceDecl& s) {
  Service out;
  out.name = s.name;
  out.qualified_name = s.qualified_name();
  out.kind = kind_of(s.impl);
  for (size_t m = 0; m < program.modules.size(); ++m) {
    if (program.modules[m].get() == s.module) out.module = static_cast<int>(m);
  }
  out.module_path = s.module && s.module->file ? s.module->file->path() : "";
  out.consumes = s.consumed_event() ? &s.consumed_event()->info : nullptr;
  out.publishes = infos_of(s.publishes);
  out.emit_count = static_cast<int>(s.emits.size());
  out.builtin_name = s.builtin_name;
  out.exec_command = s.exec_command;
  out.http_url = s.http_url;
  out.timeout_us = s.timeout_us;
  out.retry = s.retry;
  out.backoff_us = s.backoff_us;
  out.concurrency = s.concurrency;
  return out;
}

}  // namespace

std::unique_ptr<Plan> build_plan(const Program& program, ir::LowerResult& lowered) {
  auto plan = std::make_unique<Plan>();
  for (const auto* e : program.all<EnumDecl>()) plan->enums.push_back(&e->info);
  for (const auto* r : program.all<RecordDecl>()) plan->records.push_back(&r->info);
  std::map<const Decl*, int> event_index, service_index, flow_index;
  for (const auto* e : program.all<EventDecl>()) {
    event_index[e] = static_cast<int>(plan->events.size());
    plan->events.push_back(&e->info);
    plan->table.events.push_back({&e->info, {}, {}, {}, {}});
  }
  for (const auto* s : program.all<ServiceDecl>()) {
    service_index[s] = static_cast<int>(plan->services.size());
    plan->services.push_back(service_of(program, *s));
  }
  for (const auto* r : program.all<RuleDecl>()) plan->rules.push_back({r->qualified_name(), text_of(r->range)});
  for (const auto* d : program.all<DecisionDecl>()) plan->rules.push_back({d->qualified_name(), text_of(d->range)});
  for (const auto* f : program.all<FlowDecl>()) {
    const int flow = static_cast<int>(plan->flows.size());
    Flow out;
    out.name = f->name;
    out.qualified_name = f->qualified_name();
    out.starts = infos_of(f->starts);
    out.accepts = infos_of(f->accepts);
    out.ends = infos_of(f->ends);
    auto add = [&](const std::vector<QualifiedName>& names, std::vector<int> EventRoutes::*member) {
      for (const auto& n : names) {
        if (auto it = event_index.find(n.resolved); it != event_index.end()) {
          (plan->table.events[static_cast<size_t>(it->second)].*member).push_back(flow);
        }
      }
    };
    add(f->starts, &EventRoutes::starts);
    add(f->accepts, &EventRoutes::accepts);
    add(f->ends, &EventRoutes::ends);
    for (size_t i = 0; i < f->subscriptions.size(); ++i) {
      const ast::Subscription& sub = f->subscriptions[i];
      out.subscriptions.push_back(
          {info_of(sub.event), text_of(sub.range), sub.condition ? text_of(sub.condition->range) : std::string()});
      auto it = event_index.find(sub.event.resolved);
      if (it == event_index.end()) continue;
      Route route;
      route.flow = flow;
      route.subscription = static_cast<int>(i);
      if (sub.condition) {
        const ir::Function* condition = lowered.index.condition(f, static_cast<int>(i));
        route.condition = condition ? static_cast<int>(condition->id) : -1;
      }
      for (const auto& s : sub.services) {
        if (auto found = service_index.find(s.resolved); found != service_index.end()) {
          route.services.push_back(found->second);
        }
      }
      plan->table.events[static_cast<size_t>(it->second)].routes.push_back(std::move(route));
    }
    plan->flows.push_back(std::move(out));
  }
  plan->module = std::move(lowered.module);
  lowered.index.module = plan->module.get();
  return plan;
}

}  // namespace flow::plan
