// The Lowerer shared by lower.cpp (functions, specialisations, emit plans)
// and lower_expr.cpp (expressions and implicit conversions). Internal to
// compiler/ir/.
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <utility>

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
  /// The default of `field`, declared in `owner` (an event or a record).
  int field_default(const ast::FieldDecl* field, const ast::Decl* owner, const Type* type);
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

  // ---- lower_structured.cpp: records, maps, optional paths, list functions
  NodePtr lower_optional_field(const ast::Expr& expr);
  NodePtr lower_record(const ast::Expr& expr);
  NodePtr lower_map(const ast::Expr& expr);
  NodePtr lower_map_index(const ast::Expr& expr);
  NodePtr lower_list_function(const ast::Expr& expr);
  /// The Local of the lambda parameter `expr` names.
  NodePtr lambda_param(const ast::Expr& expr);
  /// A map<string, A> value as a map<string, B> (B assignable from A).
  NodePtr coerce_map(NodePtr node, const Type* to);
  /// Binds each of `values` that is not a constant to a fresh local, in
  /// order, then yields body(getters): getter i makes a node for value i
  /// (its Local, or a copy of the constant), as often as needed.
  NodePtr let_each(std::vector<NodePtr> values,
                   const std::function<NodePtr(const std::vector<std::function<NodePtr()>>&)>& body);
  /// Converts `node` to `to` (int -> float, T -> T?, none -> T?, T? -> U?,
  /// list<A> -> list<B>); `to` must be assignable from node's type.
  NodePtr coerce(NodePtr node, const Type* to);
  /// Reads field `name` of `base`: the current event (an optional one is
  /// unwrapped) or a record value.
  NodePtr load_field(NodePtr base, const std::string& name, SourceRange range);
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
  /// The lambdas being lowered: the Local index and type of each one's parameter.
  std::map<const ast::Expr*, std::pair<int, const Type*>> lambda_locals_;
};

NodePtr make(Op op, const Type* type, SourceRange range, std::vector<NodePtr> operands = {});

/// The operand vector of make(): ops(a, b) (NodePtr cannot be listed in braces).
template <typename... Nodes>
std::vector<NodePtr> ops(Nodes&&... nodes) {
  std::vector<NodePtr> out;
  (out.push_back(std::forward<Nodes>(nodes)), ...);
  return out;
}

}  // namespace flow::ir
