// What the back ends refuse, and E0601 for each use (see back_end_support.h).
#include "ir/back_end_support.h"

namespace flow::ir {

using namespace ast;

namespace {

/// Whether the back ends can compute a value of type `t`.
bool supported(const Type* t) {
  if (!t) return true;
  switch (t->kind) {
    case TypeKind::Record:
    case TypeKind::Map: return false;
    case TypeKind::List:
    case TypeKind::Optional: return supported(t->element);
    default: return true;
  }
}

const char* kHelp =
    "'flowc check' accepts this program; building and running it waits for the back end to support records, maps, "
    "decimal '%', floor and ceil, and the list functions";

/// The first expression in `e` (pre-order) that the back ends cannot take.
const Expr* first_unsupported(const Expr& e) {
  if (!describe_unsupported(e).empty()) return &e;
  for (const auto& operand : e.operands) {
    if (const Expr* found = first_unsupported(*operand)) return found;
  }
  return nullptr;
}

}  // namespace

std::string describe_unsupported(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Map: return "a map literal";
    case ExprKind::Record: return "a record literal";
    case ExprKind::Lambda: return "a lambda";
    case ExprKind::OptionalField: return "an optional path ('?.')";
    case ExprKind::Call: {
      if (e.operands[0]->ref != RefKind::Builtin) break;
      Builtin b = e.operands[0]->builtin;
      if (b == Builtin::ToDecimal || b == Builtin::ToFloat || b == Builtin::RoundPlaces) break;
      if (is_structured_builtin(b)) return e.operands[0]->text + "()";
      if ((b == Builtin::Floor || b == Builtin::Ceil) && e.operands.size() == 2 && e.operands[1]->type &&
          e.operands[1]->type->is_decimal()) {
        return e.operands[0]->text + "() of a decimal";
      }
      break;
    }
    case ExprKind::Binary:
      if (e.binary_op == BinaryOp::Mod && e.type && e.type->is_decimal()) return "'%' on decimals";
      break;
    default: break;
  }
  if (!supported(e.type)) return "a value of type " + e.type->to_string();
  return "";
}

size_t report_unsupported(const Program& program, DiagnosticEngine& diags) {
  size_t reported = 0;
  auto report = [&](SourceRange range, const std::string& what) {
    diags.report(DiagKind::BackEndUnsupported, range, what + " is not yet supported by the back end").help = kHelp;
    ++reported;
  };
  auto body = [&](const Expr* e) {
    if (!e) return;
    if (const Expr* found = first_unsupported(*e)) report(found->range, describe_unsupported(*found));
  };
  for (const auto& module : program.modules) {
    for (const auto& decl : module->decls) {
      if (auto* event = dyn_cast<EventDecl>(decl.get())) {
        for (const auto& member : event->members) {
          if (member.is_include) continue;
          // A field may have any type, records and maps included: the
          // layouts, the decoders, the encoder and the copies of `...x`
          // hold them; computing such values waits (supported()).
          body(member.field.default_value.get());
        }
      } else if (auto* record = dyn_cast<RecordDecl>(decl.get())) {
        // Lowering makes no functions for the defaults of record fields
        // yet, and ingress needs one for each (ir::Module::record_field_defaults).
        for (const auto& member : record->members) {
          if (member.is_include || !member.field.default_value) continue;
          report(member.field.default_value->range, "the default of record field '" + member.field.name + "'");
        }
      } else if (auto* c = dyn_cast<ConstDecl>(decl.get())) {
        body(c->value.get());
      } else if (auto* r = dyn_cast<RuleDecl>(decl.get())) {
        body(r->body.get());
      } else if (auto* d = dyn_cast<DecisionDecl>(decl.get())) {
        if (!supported(d->result.resolved)) {
          report(d->result.range, "a decision of type " + d->result.resolved->to_string());
          continue;
        }
        for (const auto& arm : d->arms) {
          body(arm.condition.get());
          body(arm.value.get());
        }
        body(d->else_value.get());
      } else if (auto* s = dyn_cast<ServiceDecl>(decl.get())) {
        for (const auto& emit : s->emits) {
          for (const auto& init : emit.inits) body(init.value.get());
          body(emit.when.get());
        }
      } else if (auto* f = dyn_cast<FlowDecl>(decl.get())) {
        for (const auto& sub : f->subscriptions) body(sub.condition.get());
      }
    }
  }
  return reported;
}

}  // namespace flow::ir
