// The Lowerer shared by lower.cpp (functions, specialisations, emit plans)
// and lower_expr.cpp (expressions and implicit conversions). Internal to
// compiler/ir/.
#pragma once

#include <functional>
#include <stdexcept>

#include "ir/lower.h"

namespace flow::ir {

/// Thrown for a construct lowering cannot express; caught per function.
struct LowerFailure : std::runtime_error {
  SourceRange range;
  LowerFailure(const std::string& message, SourceRange r) : std::runtime_error(message), range(r) {}
};

class Lowerer {
 public:
  Lowerer(Program& program, Module& module, DeclIndex& index, std::vector<LowerError>& errors)
      : program_(program), types_(program.types), module_(module), index_(index), errors_(errors) {}

  // ---- lower.cpp: one function per entity, memoised
  int specialise(const ast::Decl* rule_or_decision, const ast::EventDecl* event);
  int constant(const ast::ConstDecl* decl);
  int field_default(const ast::FieldDecl* field, const ast::EventDecl* owner, const Type* type);
  int condition(const ast::FlowDecl* flow, int index);
  void emit_plans(const ast::ServiceDecl* service, const std::vector<const ast::EventDecl*>& triggers);

 private:
  /// Creates function `name` and lowers its body with `build` while the
  /// current function (event, locals) is `event`; restores the caller's state.
  int define(FunctionKind kind, std::string name, const ast::Decl* decl, const ast::EventDecl* event,
             const Type* result, const std::function<NodePtr()>& build);

  // ---- lower_expr.cpp
  NodePtr lower(const ast::Expr& expr);
  NodePtr lower_field(const ast::Expr& expr);
  NodePtr lower_call(const ast::Expr& expr);
  NodePtr lower_builtin(const ast::Expr& expr);
  NodePtr lower_binary(const ast::Expr& expr);
  NodePtr lower_contains(NodePtr list, NodePtr needle, SourceRange range);
  NodePtr lower_coalesce(const ast::Expr& expr);
  /// Converts `node` to `to` (int -> float, T -> T?, none -> T?, T? -> U?,
  /// list<A> -> list<B>); `to` must be assignable from node's type.
  NodePtr coerce(NodePtr node, const Type* to);
  /// Reads field `name` of the current event from `event_node`.
  NodePtr load_field(NodePtr event_node, const std::string& name, SourceRange range);
  NodePtr event_param(SourceRange range);
  /// let x = value in body(x): `body` receives a maker of Local nodes.
  NodePtr let(NodePtr value, const std::function<NodePtr(const std::function<NodePtr()>&)>& body);
  NodePtr call(int function, NodePtr argument, SourceRange range);
  /// The expression's checked type with event types replaced by the current
  /// concrete event (rules over E run on an F that includes E).
  const Type* type_of(const ast::Expr& expr);
  const Type* concrete(const Type* type, SourceRange range);
  int regex(const std::string& pattern);

  Program& program_;
  TypeContext& types_;
  Module& module_;
  DeclIndex& index_;
  std::vector<LowerError>& errors_;
  const ast::EventDecl* event_ = nullptr;  // of the function being lowered
  uint32_t locals_ = 0;
};

NodePtr make(Op op, const Type* type, SourceRange range, std::vector<NodePtr> operands = {});

}  // namespace flow::ir
