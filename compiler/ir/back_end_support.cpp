// What the back ends refuse, and E0601 for each use (see back_end_support.h).
#include "ir/back_end_support.h"

namespace flow::ir {

using namespace ast;

namespace {

const char* kHelp =
    "'flowc check' accepts this program; building and running it waits for the back end to support '%' on "
    "decimals";

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
  if (e.kind == ExprKind::Binary && e.binary_op == BinaryOp::Mod && e.type && e.type->is_decimal()) {
    return "'%' on decimals";
  }
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
          if (!member.is_include) body(member.field.default_value.get());
        }
      } else if (auto* record = dyn_cast<RecordDecl>(decl.get())) {
        for (const auto& member : record->members) {
          if (!member.is_include) body(member.field.default_value.get());
        }
      } else if (auto* c = dyn_cast<ConstDecl>(decl.get())) {
        body(c->value.get());
      } else if (auto* r = dyn_cast<RuleDecl>(decl.get())) {
        body(r->body.get());
      } else if (auto* d = dyn_cast<DecisionDecl>(decl.get())) {
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
