// Type-checks every body: constants, rules, decisions, services (consumes,
// publishes, implementation, options, emits) and flows (start/accepts/end,
// subscriptions and their conditions).
#include <algorithm>

#include "check/checker.h"
#include "check/http_url.h"

namespace flow::check {

using namespace ast;

void Checker::check_bodies() {
  TypeContext& types = program_.types;
  // Parameters first: rule application checks need every parameter's event.
  for (auto& module : program_.modules) {
    for (auto& decl : module->decls) {
      Param* param = nullptr;
      if (auto* r = dyn_cast<RuleDecl>(decl.get())) param = &r->param;
      if (auto* d = dyn_cast<DecisionDecl>(decl.get())) {
        param = &d->param;
        resolve_type(*module, d->result);
      }
      if (param && !param->event.parts.empty()) {
        param->event_decl = lookup_event(*module, param->event, EventUse::Parameter);
      }
    }
  }
  for (auto& module : program_.modules) {
    for (auto& decl : module->decls) {
      if (auto* c = dyn_cast<ConstDecl>(decl.get())) {
        decl_value_type(c);
      } else if (auto* r = dyn_cast<RuleDecl>(decl.get())) {
        if (!r->param.event_decl) continue;
        ExprScope scope{module.get(), r->param.name, r->param.event_decl, nullptr, false, r, false, {}};
        check_expr(*r->body, scope);
        expect_type(*r->body, types.boolean(), "the body of a rule");
      } else if (auto* d = dyn_cast<DecisionDecl>(decl.get())) {
        if (!d->param.event_decl) continue;
        ExprScope scope{module.get(), d->param.name, d->param.event_decl, nullptr, false, d, false, {}};
        const Type* result = d->result.resolved ? d->result.resolved : types.error();
        for (auto& arm : d->arms) {
          check_expr(*arm.condition, scope);
          expect_type(*arm.condition, types.boolean(), "a 'when' condition");
          check_expr(*arm.value, scope);
          expect_type(*arm.value, result, "the value of this arm");
        }
        if (d->else_value) {
          check_expr(*d->else_value, scope);
          expect_type(*d->else_value, result, "the value of 'else'");
        } else {
          SourceRange end{d->range.file, d->range.end > 0 ? d->range.end - 1 : 0, d->range.end};
          diags_.report(DiagKind::MissingElse, end, "decision '" + d->name + "' has no 'else' arm").help =
              "add `else => <value>` as the last arm: a decision always has a value";
        }
      } else if (auto* s = dyn_cast<ServiceDecl>(decl.get())) {
        check_service(*s);
      } else if (auto* f = dyn_cast<FlowDecl>(decl.get())) {
        check_flow(*f);
      }
    }
  }
}

namespace {

/// `LineItem` -> `line_item`: a field name for a record's type name.
std::string field_name_for(const std::string& type_name) {
  std::string out;
  for (char c : type_name) {
    if (c >= 'A' && c <= 'Z') {
      if (!out.empty()) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

const EventDecl* Checker::lookup_event(const Module& module, QualifiedName& name, EventUse use) {
  bool ambiguous = false;
  if (auto* record = dyn_cast<RecordDecl>(find_visible(module, name.parts, &ambiguous))) {
    referenced_.insert(record);
    std::string field = field_name_for(record->name) + ": " + name.text();
    auto& d = diags_.report(DiagKind::RecordNotEvent, name.range, "'" + name.text() + "' is a record, not an event");
    switch (use) {
      case EventUse::Topic:
        d.help = "a record is a type, never a topic: carry it in a field of an event (" + field + ")";
        break;
      case EventUse::Parameter:
        d.help = "rules and decisions apply to events: take the event that carries the record and read its field";
        break;
      case EventUse::Inclusion:
        d.help = "an event includes only events; to carry the record, declare a field (" + field + ")";
        break;
    }
    return nullptr;
  }
  return dyn_cast<EventDecl>(lookup(module, name, DiagKind::UnknownEvent, "event", is_event));
}

void Checker::check_service(ServiceDecl& service) {
  TypeContext& types = program_.types;
  const Module& module = *service.module;
  if (service.consumes.empty()) {
    diags_.report(DiagKind::ConsumesCount, service.name_range, "service '" + service.name + "' consumes nothing").help =
        "add `consumes EventType`: a service is triggered by exactly one event type";
  }
  for (size_t i = 0; i < service.consumes.size(); ++i) {
    auto& c = service.consumes[i];
    if (i > 0) {
      diags_
          .report(DiagKind::ConsumesCount, c.range, "service '" + service.name + "' consumes more than one event type")
          .help = "split it into one service per event type";
      continue;
    }
    lookup_event(module, c.event, EventUse::Topic);
  }
  // An unresolved name in `publishes` may be the one an emit targets.
  bool publishes_unresolved = false;
  for (auto& p : service.publishes) {
    publishes_unresolved |= !lookup_event(module, p, EventUse::Topic);
  }
  std::set<const EventDecl*> undeclared_reported;
  for (size_t i = 0; i < service.publishes.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (service.publishes[i].resolved && service.publishes[i].resolved == service.publishes[j].resolved) {
        diags_.report(DiagKind::DuplicateItem, service.publishes[i].range,
                      "'" + service.publishes[i].text() + "' is listed twice in 'publishes'");
      }
    }
  }
  if (service.impl == ServiceImpl::None) {
    diags_
        .report(DiagKind::ImplementationCount, service.name_range,
                "service '" + service.name + "' has no implementation")
        .help = "add `exec \"command\"`, `http \"https://host/path\"`, `emit Event { ... }` or `builtin \"name\"`";
  }
  for (const auto& extra : service.extra_impls) {
    diags_
        .report(DiagKind::ImplementationCount, extra,
                "service '" + service.name + "' has a second kind of implementation")
        .help = "a service is implemented by exec, by http, by emit, or by builtin — one of them";
  }
  for (const auto& [item, where] : service.duplicate_items) {
    diags_.report(DiagKind::DuplicateItem, where, "'" + item + "' is given more than once");
  }
  for (const auto& [item, where] : service.option_ranges) {
    if (item == "timeout" && service.timeout_us == 0) {
      diags_.report(DiagKind::InvalidOption, where, "a timeout must be longer than zero");
    }
    if (item == "concurrency" && service.concurrency == 0) {
      diags_.report(DiagKind::InvalidOption, where, "concurrency must be at least 1");
    }
    if (item == "concurrency" && service.concurrency > 0 && service.impl != ServiceImpl::Exec &&
        service.impl != ServiceImpl::Http) {
      diags_.report(DiagKind::InvalidOption, where, "concurrency applies only to exec and http services");
    }
    if ((item == "timeout" || item == "retry") && service.impl == ServiceImpl::Emit) {
      diags_.report(DiagKind::InvalidOption, where, "'" + item + "' does not apply to a built-in emit service").help =
          "emit transforms run in-process and cannot time out";
    }
    if ((item == "timeout" || item == "retry") && service.impl == ServiceImpl::Builtin) {
      // The runtime's built-in services run within the dispatch: an option
      // the runtime would silently ignore is refused instead.
      diags_.report(DiagKind::InvalidOption, where, "'" + item + "' does not apply to a builtin service").help =
          "built-in services (the log and JSON-lines sinks) run in-process, without retries: a failed write is "
          "dead-lettered at once";
    }
  }
  if (service.impl == ServiceImpl::Exec && service.exec_command.find_first_not_of(" \t") == std::string::npos) {
    diags_.report(DiagKind::InvalidOption, service.impl_range, "the exec command is empty");
  }
  if (service.impl == ServiceImpl::Http) {
    if (auto problem = check_http_url(service.http_url)) {
      diags_
          .report(DiagKind::InvalidServiceUrl, service.impl_range,
                  "the URL of service '" + service.name + "' " + problem->message)
          .help = std::move(problem->help);
    }
  }
  if (service.impl == ServiceImpl::Builtin) {
    // The runtime's built-in services (docs/exec-services.md "Built-in services").
    const std::string& name = service.builtin_name;
    size_t colon = name.find(':');
    if (colon != std::string::npos && name.substr(0, colon) == "jsonl") {
      if (colon + 1 == name.size()) {
        diags_.report(DiagKind::UnknownBuiltin, service.impl_range, "the jsonl sink names no file").help =
            "name the file it appends to: builtin \"jsonl:out/events.jsonl\"";
      }
    } else if (name != "log" && name != "std.log") {
      auto& d = diags_.report(DiagKind::UnknownBuiltin, service.impl_range, "unknown built-in service '" + name + "'");
      std::string nearest = colon == std::string::npos ? nearest_name(name, {"log", "std.log"})
                                                       : nearest_name(name.substr(0, colon), {"jsonl"});
      if (nearest == "jsonl") {
        d.help = "did you mean 'jsonl" + name.substr(colon) + "'?";
      } else if (!nearest.empty()) {
        d.help = "did you mean '" + nearest + "'?";
      } else {
        d.help = "the runtime provides builtin \"log\" (or \"std.log\") and builtin \"jsonl:PATH\"";
      }
    }
  }

  const EventDecl* consumed = service.consumed_event();
  std::string binding = service.consumes.empty() ? "" : service.consumes[0].binding;
  for (auto& emit : service.emits) {
    const auto* target = lookup_event(module, emit.target, EventUse::Topic);
    if (!target) continue;
    bool declared = std::any_of(service.publishes.begin(), service.publishes.end(),
                                [&](const QualifiedName& p) { return p.resolved == target; });
    if (!declared && !publishes_unresolved && undeclared_reported.insert(target).second) {
      diags_
          .report(DiagKind::EmitUndeclared, emit.target.range,
                  "service '" + service.name + "' emits '" + target->name + "' but does not publish it")
          .help = "add it to the list: publishes " + target->name;
    }
    ExprScope scope{&module, binding, consumed, nullptr, false, &service, false, {}};
    std::vector<bool> covered(target->fields.size(), false);
    std::vector<bool> explicit_init(target->fields.size(), false);
    const EventDecl* spread_event = nullptr;
    SourceRange spread_range;
    // A '...' that could not be resolved, or whose event is incomplete, may
    // have been meant to supply the fields; saying they are missing too
    // would be a follow-on error.
    bool spread_unreliable = false;
    for (auto& init : emit.inits) {
      if (init.is_spread) {
        if (!binding.empty() && init.name == binding && !consumed) {
          spread_unreliable = true;  // the consumed event did not resolve (reported there)
          continue;
        }
        if (init.name != binding || binding.empty()) {
          auto& d = diags_.report(DiagKind::UnknownName, init.name_range, "unknown name '" + init.name + "' in '...'");
          if (!binding.empty())
            d.help = "did you mean '" + binding + "'?";
          else
            d.help = "name the consumed event: consumes " + std::string(init.name) + ": EventType";
          spread_unreliable = true;
          continue;
        }
        spread_event = consumed;
        spread_range = init.range;
        continue;
      }
      int index = target->field_index(init.name);
      if (init.value) check_expr(*init.value, scope);
      if (index < 0 && incomplete_events_.count(&target->info)) continue;
      if (index < 0) {
        std::vector<std::string> names;
        for (const auto& f : target->fields) names.push_back(f.name);
        auto& d = diags_.report(DiagKind::UnknownField, init.name_range,
                                "event '" + target->name + "' has no field '" + init.name + "'");
        std::string nearest = nearest_name(init.name, names);
        if (!nearest.empty()) {
          d.help = "did you mean '" + nearest + "'?";
          // The misspelt field is the one it meant: not also "missing".
          covered[target->field_index(nearest)] = true;
        }
        continue;
      }
      if (explicit_init[index]) {
        diags_.report(DiagKind::DuplicateItem, init.name_range, "field '" + init.name + "' is initialised twice");
        continue;
      }
      explicit_init[index] = covered[index] = true;
      if (init.value && init.value->type && !is_assignable(init.value->type, target->fields[index].type)) {
        auto& d =
            diags_.report(DiagKind::TypeMismatch, init.value->range,
                          "field '" + init.name + "' of " + target->name + " is " +
                              target->fields[index].type->to_string() + ", found " + init.value->type->to_string());
        if (init.value->type->is_optional()) d.help = "unwrap the optional with '?? default'";
      }
    }
    if (spread_event) {
      for (size_t i = 0; i < target->fields.size(); ++i) {
        if (explicit_init[i]) continue;
        int from = spread_event->field_index(target->fields[i].name);
        if (from < 0) continue;
        const Type* source_type = spread_event->fields[from].type;
        if (!is_assignable(source_type, target->fields[i].type)) {
          diags_
              .report(DiagKind::TypeMismatch, spread_range,
                      "'..." + binding + "' copies field '" + target->fields[i].name + "' as " +
                          source_type->to_string() + " but " + target->name + " needs " +
                          target->fields[i].type->to_string())
              .help = "initialise '" + target->fields[i].name + "' explicitly";
          continue;
        }
        covered[i] = true;
      }
    }
    std::vector<std::string> missing;
    for (size_t i = 0; i < target->fields.size(); ++i) {
      const EventField& f = target->fields[i];
      bool has_default = f.decl && f.decl->default_value;
      if (!covered[i] && !has_default && !f.type->is_optional()) missing.push_back(f.name);
    }
    if (spread_event && incomplete_events_.count(&spread_event->info)) spread_unreliable = true;
    if (!missing.empty() && !spread_unreliable) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "'" : ", '") + m + "'";
      auto& d = diags_.report(DiagKind::EmitMissingFields, emit.target.range,
                              "emit of " + target->name + " does not initialise " + list);
      d.help = spread_event || !consumed
                   ? "initialise each missing field: name: value"
                   : "copy the consumed event's fields with ..." +
                         (binding.empty() ? std::string("binding") : binding) + ", or initialise each";
    }
    if (emit.when) {
      check_expr(*emit.when, scope);
      expect_type(*emit.when, types.boolean(), "the guard of an emit");
    }
  }
}

void Checker::check_flow(FlowDecl& flow) {
  TypeContext& types = program_.types;
  const Module& module = *flow.module;
  for (auto& s : flow.starts) lookup_event(module, s, EventUse::Topic);
  for (auto& e : flow.ends) lookup_event(module, e, EventUse::Topic);
  for (auto& a : flow.accepts) {
    auto* event = lookup_event(module, a, EventUse::Topic);
    if (event && event->key_index < 0 && !incomplete_events_.count(&event->info)) {
      diags_
          .report(DiagKind::AcceptsWithoutKey, a.range,
                  "flow '" + flow.name + "' accepts '" + event->name + "', which has no key")
          .help = "an accepted event joins a running instance by its key: mark its correlation field `key`";
    }
  }
  if (flow.starts.empty()) {
    diags_.report(DiagKind::MissingStart, flow.name_range, "flow '" + flow.name + "' has no 'start'").help =
        "name the event type that begins an instance: start EventType";
  }
  for (auto& sub : flow.subscriptions) {
    auto* event = lookup_event(module, sub.event, EventUse::Topic);
    for (auto& s : sub.services) {
      auto* service = dyn_cast<ServiceDecl>(lookup(module, s, DiagKind::UnknownService, "service", is_service));
      if (!service || !event) continue;
      const EventDecl* consumed = service->consumed_event();
      if (consumed && !event->includes_event(consumed) && !incomplete_events_.count(&event->info)) {
        auto& d = diags_.report(DiagKind::IncompatibleTrigger, s.range,
                                "service '" + service->name + "' consumes " + consumed->name + ", but " + event->name +
                                    " does not include it");
        d.help = "subscribe it to " + consumed->name + ", or include the data: event " + event->name + " { ..." +
                 consumed->name + ", ... }";
      }
    }
    if (sub.condition && event) {
      ExprScope scope{&module, "", nullptr, event, false, &flow, true, {}};
      check_expr(*sub.condition, scope);
      expect_type(*sub.condition, types.boolean(), "a flow condition");
    }
  }
}

}  // namespace flow::check
