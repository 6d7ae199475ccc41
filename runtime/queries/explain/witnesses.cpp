// Witnesses of quantifiers for explain (see witnesses.h).
#include "queries/explain/witnesses.h"

#include "eval/interpreter.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"
#include "ingress/field_defaults.h"
#include "load/app_loader.h"

namespace flow::runtime::queries {

struct WitnessFinder::State {
  explicit State(const ir::Module& module) : interpreter(module) {}
  eval::Interpreter interpreter;
  FieldDefaults defaults;
  std::unique_ptr<EventCatalog> catalog;
  std::unique_ptr<CloudEventDecoder> decoder;
};

namespace {

/// `items` for a list read from the event along fields (`o.items`,
/// `o.order.lines`); "" for any other list (a local, a filter's result...).
std::string path_of(const ir::Node& node) {
  if (node.op == ir::Op::EventParam) return ".";
  if (node.op != ir::Op::LoadField || node.operands.empty()) return "";
  std::string base = path_of(*node.operands[0]);
  const FieldTable* table = fields_of(node.operands[0]->type);
  if (base.empty() || !table || node.index < 0 || static_cast<size_t>(node.index) >= table->fields.size()) return "";
  const std::string& name = table->fields[static_cast<size_t>(node.index)].name;
  return base == "." ? name : base + "." + name;
}

}  // namespace

WitnessFinder::WitnessFinder(const std::string& artifact) {
  std::string error;
  app_ = load_app_from_bytes(artifact, "explain", error);
  if (!app_) return;
  state_ = std::make_unique<State>(app_->module());
  if (!evaluate_field_defaults(app_->module(), state_->interpreter, app_->plan->events, state_->defaults, error)) {
    app_.reset();
    state_.reset();
    return;
  }
  state_->catalog = std::make_unique<EventCatalog>(app_->plan->events, app_->module().layouts, state_->defaults);
  state_->decoder = std::make_unique<CloudEventDecoder>(*state_->catalog);
}

WitnessFinder::~WitnessFinder() = default;

std::vector<Witness> WitnessFinder::find(const std::string& rule, const std::string& type,
                                         std::string_view data_json, int64_t now_us) {
  std::vector<Witness> out;
  if (!app_) return out;
  const EventType* event_type = state_->catalog->find(type);
  if (!event_type) return out;
  const ir::Function* function = nullptr;
  for (const auto& fn : app_->module().functions) {
    if ((fn->kind == ir::FunctionKind::Rule || fn->kind == ir::FunctionKind::Decision) && fn->decl_name == rule &&
        fn->event && fn->event->qualified_name == type) {
      function = fn.get();
    }
  }
  if (!function) return out;
  Arena arena;
  DecodedEvent decoded;
  if (!state_->decoder->decode_data(*event_type, data_json, arena, decoded)) return out;
  std::vector<eval::Witness> witnesses;
  eval::EvalContext context;
  context.now_us = now_us;
  context.witnesses = &witnesses;
  state_->interpreter.run(*function, decoded.instance, context);
  for (const auto& w : witnesses) {
    if (w.function != function || !w.node || w.node->operands.empty()) continue;  // a called rule's own
    const ir::Node& list = *w.node->operands[0];
    const Type* element = list.type && list.type->kind == TypeKind::List ? list.type->element : nullptr;
    out.push_back({w.node->op == ir::Op::ListAny ? "any" : "all", path_of(list), w.index,
                   eval::format_value(w.element, element)});
  }
  return out;
}

}  // namespace flow::runtime::queries
