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

struct LowerResult {
  std::unique_ptr<Module> module;
  std::vector<LowerError> errors;  // constructs lowering does not support
  bool ok() const { return module && errors.empty(); }
};

/// Lowers a checked program (`program.ok` must be true). Takes the program
/// mutably only to intern types in its TypeContext; the AST is not changed.
LowerResult lower_program(Program& program, const LowerOptions& options = {});

}  // namespace flow::ir
