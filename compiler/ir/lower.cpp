// Lowering of declarations: which functions exist and what their bodies
// are. Rules and decisions are specialised per concrete event type (a rule
// over E applied to F that includes E reads E's fields at F's offsets), on
// demand: the declared parameter type, plus every (rule, event) pair that a
// condition, an emit or another specialisation needs. docs/ir.md.
#include <algorithm>
#include <set>

#include "ir/lower_internal.h"

namespace flow::ir {

using namespace ast;

int Lowerer::define(FunctionKind kind, std::string name, const Decl* decl, const EventDecl* event, const Type* result,
                    const std::function<NodePtr()>& build) {
  auto fn = std::make_unique<Function>();
  fn->id = static_cast<uint32_t>(module_.functions.size());
  fn->kind = kind;
  fn->name = std::move(name);
  fn->decl_name = decl ? decl->qualified_name() : std::string();
  fn->event = event ? &event->info : nullptr;
  fn->result = result;
  Function* raw = fn.get();
  module_.functions.push_back(std::move(fn));
  // Bodies may define further functions (callees): save the caller's state.
  const EventDecl* saved_event = event_;
  uint32_t saved_locals = locals_;
  event_ = event;
  locals_ = 0;
  try {
    raw->body = build();
  } catch (const LowerFailure& failure) {
    errors_.push_back({raw->name + ": " + failure.what(), failure.range});
  }
  raw->local_count = locals_;
  event_ = saved_event;
  locals_ = saved_locals;
  return static_cast<int>(raw->id);
}

int Lowerer::specialise(const Decl* decl, const EventDecl* event) {
  auto key = std::make_pair(decl, event);
  if (auto it = index_.specialisations.find(key); it != index_.specialisations.end()) return it->second;
  std::string suffix = "[" + event->name + "]";
  if (auto* rule = dyn_cast<RuleDecl>(decl)) {
    // Recursion is rejected by the checker, so no body needs its own id before it is lowered.
    int id = define(FunctionKind::Rule, "rule " + rule->qualified_name() + suffix, rule, event, types_.boolean(),
                    [&] { return coerce(lower(*rule->body), types_.boolean()); });
    index_.specialisations[key] = id;
    return id;
  }
  auto* decision = dyn_cast<DecisionDecl>(decl);
  if (!decision) throw LowerFailure("'" + decl->name + "' is not a rule or decision", decl->name_range);
  const Type* result = decision->result.resolved;
  int id =
      define(FunctionKind::Decision, "decision " + decision->qualified_name() + suffix, decision, event, result, [&] {
        // First matching arm wins: a chain of ifs ending in the else value.
        if (!decision->else_value) throw LowerFailure("decision without 'else'", decision->name_range);
        NodePtr chain = coerce(lower(*decision->else_value), result);
        for (auto arm = decision->arms.rbegin(); arm != decision->arms.rend(); ++arm) {
          std::vector<NodePtr> operands;
          operands.push_back(coerce(lower(*arm->condition), types_.boolean()));
          operands.push_back(coerce(lower(*arm->value), result));
          operands.push_back(std::move(chain));
          chain = make(Op::If, result, arm->range, std::move(operands));
        }
        return chain;
      });
  index_.specialisations[key] = id;
  return id;
}

int Lowerer::constant(const ConstDecl* decl) {
  if (auto it = index_.constants.find(decl); it != index_.constants.end()) return it->second;
  const Type* type =
      decl->declared_type && decl->declared_type->resolved ? decl->declared_type->resolved : decl->value->type;
  int id = define(FunctionKind::Const, "const " + decl->qualified_name(), decl, nullptr, type,
                  [&] { return coerce(lower(*decl->value), type); });
  index_.constants[decl] = id;
  return id;
}

int Lowerer::field_default(const FieldDecl* field, const Decl* owner, const Type* type) {
  if (auto it = index_.field_defaults.find(field); it != index_.field_defaults.end()) return it->second;
  int id = define(FunctionKind::FieldDefault, "default " + owner->qualified_name() + "." + field->name, owner, nullptr,
                  type, [&] { return coerce(lower(*field->default_value), type); });
  index_.field_defaults[field] = id;
  return id;
}

int Lowerer::condition(const FlowDecl* flow, int index) {
  const Subscription& sub = flow->subscriptions[static_cast<size_t>(index)];
  auto* event = dyn_cast<EventDecl>(sub.event.resolved);
  if (!event) throw LowerFailure("subscription without an event", sub.range);
  int id = define(FunctionKind::Condition,
                  "condition " + flow->qualified_name() + "#" + std::to_string(index) + "[" + event->name + "]", flow,
                  event, types_.boolean(), [&] { return coerce(lower(*sub.condition), types_.boolean()); });
  index_.conditions[{flow, index}] = id;
  return id;
}

void Lowerer::emit_plans(const ServiceDecl* service, const std::vector<const EventDecl*>& triggers) {
  const EventDecl* consumed = service->consumed_event();
  if (!consumed) return;
  for (const EventDecl* trigger : triggers) {
    std::string suffix = "[" + trigger->name + "]";
    for (size_t k = 0; k < service->emits.size(); ++k) {
      const Emit& emit = service->emits[k];
      auto* target = dyn_cast<EventDecl>(emit.target.resolved);
      if (!target) continue;
      EmitPlan plan;
      plan.service = service->qualified_name();
      plan.emit_index = static_cast<int>(k);
      plan.trigger = &trigger->info;
      plan.target = &target->info;
      std::string prefix = service->qualified_name() + "#" + std::to_string(k);
      bool spread = false;
      for (const auto& init : emit.inits) spread |= init.is_spread;
      for (size_t i = 0; i < target->fields.size(); ++i) {
        const EventField& field = target->fields[i];
        EmitPlan::Source source;
        auto explicit_init = std::find_if(emit.inits.begin(), emit.inits.end(), [&](const EmitInit& init) {
          return !init.is_spread && init.name == field.name;
        });
        std::string name = "emit " + prefix + "." + field.name + suffix;
        if (explicit_init != emit.inits.end()) {
          source.kind = EmitPlan::Source::Init;
          source.function = define(FunctionKind::EmitInit, name, service, trigger, field.type,
                                   [&] { return coerce(lower(*explicit_init->value), field.type); });
        } else if (spread && consumed->field_index(field.name) >= 0) {
          // `...x` copies the fields of x's declared type that the target has.
          SourceRange where = emit.range;
          source.kind = EmitPlan::Source::Init;
          source.function = define(FunctionKind::EmitInit, name, service, trigger, field.type, [&] {
            return coerce(load_field(event_param(where), field.name, where), field.type);
          });
        } else if (field.decl && field.decl->default_value) {
          source.kind = EmitPlan::Source::Default;
          source.function = field_default(field.decl, field.owner, field.type);
        } else if (!field.type->is_optional()) {
          errors_.push_back({"emit of " + target->name + " does not initialise '" + field.name + "'", emit.range});
        }
        plan.fields.push_back(source);
      }
      if (emit.when) {
        plan.guard = define(FunctionKind::EmitGuard, "guard " + prefix + suffix, service, trigger, types_.boolean(),
                            [&] { return coerce(lower(*emit.when), types_.boolean()); });
      }
      module_.emit_index[{plan.service, plan.emit_index, plan.trigger}] = module_.emits.size();
      module_.emits.push_back(std::move(plan));
    }
  }
}

namespace {
template <typename Map, typename Key>
const Function* find(const DeclIndex& index, const Map& map, const Key& key) {
  auto it = map.find(key);
  return it == map.end() || !index.module ? nullptr : &index.module->function(it->second);
}
}  // namespace

const Function* DeclIndex::rule(const Decl* rule_or_decision, const EventDecl* event) const {
  return find(*this, specialisations, std::make_pair(rule_or_decision, event));
}

const Function* DeclIndex::constant(const ConstDecl* decl) const {
  return find(*this, constants, decl);
}

const Function* DeclIndex::condition(const FlowDecl* flow, int subscription) const {
  return find(*this, conditions, std::make_pair(flow, subscription));
}

const Function* DeclIndex::field_default(const EventDecl* event, int field) const {
  if (field < 0 || static_cast<size_t>(field) >= event->fields.size()) return nullptr;
  return find(*this, field_defaults, event->fields[static_cast<size_t>(field)].decl);
}

const Function* DeclIndex::field_default(const RecordDecl* record, int field) const {
  if (field < 0 || static_cast<size_t>(field) >= record->fields.size()) return nullptr;
  return find(*this, field_defaults, record->fields[static_cast<size_t>(field)].decl);
}

const EmitPlan* DeclIndex::emit(const ServiceDecl* service, int emit_index, const EventDecl* trigger) const {
  return module ? module->emit(service->qualified_name(), emit_index, &trigger->info) : nullptr;
}

LowerResult lower_program(Program& program, const LowerOptions& options) {
  LowerResult result;
  if (!program.ok) {
    result.errors.push_back({"the program has errors: lowering needs a checked program", {}});
    return result;
  }
  result.module = std::make_unique<Module>();
  Module& module = *result.module;
  result.index.module = &module;
  for (const auto* event : program.all<EventDecl>()) module.layouts.add(&event->info);
  Lowerer lowerer(program, module, result.index, result.errors);
  try {
    auto events = program.all<EventDecl>();
    for (const auto* c : program.all<ConstDecl>()) lowerer.constant(c);
    for (const auto* event : events) {
      for (const auto& field : event->fields) {
        if (field.decl && field.decl->default_value && field.owner == event) {
          lowerer.field_default(field.decl, event, field.type);
        }
      }
    }
    // Record field defaults: record literals call them, and the decoders
    // fill a record's fields left out of incoming JSON with them.
    for (const auto* record : program.all<RecordDecl>()) {
      for (size_t i = 0; i < record->fields.size(); ++i) {
        const RecordField& field = record->fields[i];
        if (!field.decl || !field.decl->default_value) continue;
        int id = lowerer.field_default(field.decl, field.owner, field.type);
        module.record_field_defaults[{&record->info, static_cast<int>(i)}] = id;
      }
    }
    auto lower_rules = [&](const Decl* decl, const Param& param) {
      if (!param.event_decl) return;
      lowerer.specialise(decl, param.event_decl);
      if (!options.all_specialisations) return;
      for (const auto* event : events) {
        if (event->includes_event(param.event_decl)) lowerer.specialise(decl, event);
      }
    };
    for (const auto* r : program.all<RuleDecl>()) lower_rules(r, r->param);
    for (const auto* d : program.all<DecisionDecl>()) lower_rules(d, d->param);
    for (const auto& [decl, event] : options.specialisations) lowerer.specialise(decl, event);
    // Conditions, and which event types trigger each service.
    std::map<const ServiceDecl*, std::vector<const EventDecl*>> triggers;
    for (const auto* service : program.all<ServiceDecl>()) {
      if (service->consumed_event()) triggers[service].push_back(service->consumed_event());
    }
    for (const auto* flow : program.all<FlowDecl>()) {
      for (size_t i = 0; i < flow->subscriptions.size(); ++i) {
        const Subscription& sub = flow->subscriptions[i];
        auto* event = dyn_cast<EventDecl>(sub.event.resolved);
        if (sub.condition) lowerer.condition(flow, static_cast<int>(i));
        for (const auto& s : sub.services) {
          auto* service = dyn_cast<ServiceDecl>(s.resolved);
          if (!service || !event) continue;
          auto& list = triggers[service];
          if (std::find(list.begin(), list.end(), event) == list.end()) list.push_back(event);
        }
      }
    }
    for (const auto* service : program.all<ServiceDecl>()) {
      if (service->impl == ServiceImpl::Emit) lowerer.emit_plans(service, triggers[service]);
    }
    // Defaults by (event, field), fields from included events too.
    for (const auto* event : events) {
      for (size_t i = 0; i < event->fields.size(); ++i) {
        if (const Function* fn = result.index.field_default(event, static_cast<int>(i))) {
          module.field_defaults[{&event->info, static_cast<int>(i)}] = static_cast<int>(fn->id);
        }
      }
    }
  } catch (const LowerFailure& failure) {
    result.errors.push_back({failure.what(), failure.range});
  }
  return result;
}

}  // namespace flow::ir
