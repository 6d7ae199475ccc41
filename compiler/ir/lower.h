// Lowering: the checked AST of a Program -> an ir::Module. Every rule and
// decision (specialised per concrete event type), constant, flow condition,
// emit initialiser and guard, and field default becomes an ir::Function.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "check/program.h"
#include "ir/ir.h"

namespace flow::ir {

struct LowerOptions {
  /// Extra rule/decision specialisations to lower: (declaration, concrete
  /// event), the event including the declaration's parameter type.
  std::vector<std::pair<const ast::Decl*, const ast::EventDecl*>> specialisations;
  /// Lower every rule and decision for every event type that includes its
  /// parameter type (tools and tests; quadratic in big programs).
  bool all_specialisations = false;
};

struct LowerError {
  std::string message;
  SourceRange range;
};

/// Where each front-end declaration went: the functions of rules and
/// decisions (per concrete event), constants, conditions and field
/// defaults, and the emit plans. The compiler's own lookups (the dispatch
/// table, the plan builder, tools and tests); the runtime plan carries ids.
struct DeclIndex {
  const Module* module = nullptr;
  std::map<std::pair<const ast::Decl*, const ast::EventDecl*>, int> specialisations;  // rule/decision, event
  std::map<const ast::ConstDecl*, int> constants;
  std::map<std::pair<const ast::FlowDecl*, int>, int> conditions;  // flow, subscription index
  std::map<const ast::FieldDecl*, int> field_defaults;

  /// The rule or decision specialised for `event`; null when not lowered
  /// (lowering makes the one for the declared parameter type and every one
  /// a condition, emit or other rule needs; see LowerOptions for more).
  const Function* rule(const ast::Decl* rule_or_decision, const ast::EventDecl* event) const;
  const Function* constant(const ast::ConstDecl* decl) const;
  const Function* condition(const ast::FlowDecl* flow, int subscription) const;
  /// The default of field `field` of `event` (possibly declared in an included event).
  const Function* field_default(const ast::EventDecl* event, int field) const;
  /// The default of field `field` of `record` (possibly declared in an included record).
  const Function* field_default(const ast::RecordDecl* record, int field) const;
  const EmitPlan* emit(const ast::ServiceDecl* service, int emit_index, const ast::EventDecl* trigger) const;
};

struct LowerResult {
  std::unique_ptr<Module> module;
  DeclIndex index;
  std::vector<LowerError> errors;  // constructs lowering does not support
  bool ok() const { return module && errors.empty(); }
};

/// Lowers a checked program (`program.ok` must be true). Takes the program
/// mutably only to intern types in its TypeContext; the AST is not changed.
LowerResult lower_program(Program& program, const LowerOptions& options = {});

}  // namespace flow::ir
