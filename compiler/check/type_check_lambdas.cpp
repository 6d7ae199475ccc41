// Type checking of the list functions (language.md §4.1): any, all, count,
// sum, min_of, max_of, filter and map take a list and a lambda over its
// element, `x => expr`. The lambda's parameter has the list's element type;
// its body may read the enclosing rule's parameter, `it` and the parameters
// of enclosing lambdas. A lambda that does not fit — not a lambda, the wrong
// number of parameters, a body of the wrong type for the function — is
// E0213, as is a lambda anywhere else.
#include "check/checker.h"

namespace flow::check {

using namespace ast;

namespace {

/// What the lambda's body of `builtin` must be, for messages.
const char* body_wanted(Builtin builtin) {
  switch (builtin) {
    case Builtin::Any:
    case Builtin::All:
    case Builtin::Count:
    case Builtin::Filter: return "bool";
    case Builtin::Sum: return "int, float or decimal";
    case Builtin::MinOf:
    case Builtin::MaxOf: return "a number, string, timestamp or duration";
    default: return "a value";
  }
}

}  // namespace

void Checker::misplaced_lambda(Expr& lambda, const ExprScope& scope) {
  diags_.report(DiagKind::LambdaMismatch, lambda.range, "a lambda is not allowed here").help =
      "lambdas are the second argument of any, all, count, sum, min_of, max_of, filter and map";
  // Its body is checked all the same, its parameters typed as unknown, so
  // that mistakes inside it are reported too.
  ExprScope inner = scope;
  inner.lambdas.push_back(&lambda);
  check_expr(*lambda.operands[0], inner);
}

const Type* Checker::check_list_function(Expr& expr, Builtin builtin, const ExprScope& scope) {
  TypeContext& types = program_.types;
  std::string name = builtin_name(builtin);
  size_t given = expr.operands.size() - 1;
  if (given != 2) {
    for (size_t i = 1; i < expr.operands.size(); ++i) {
      if (expr.operands[i]->kind != ExprKind::Lambda) check_expr(*expr.operands[i], scope);
    }
    auto& d = diags_.report(DiagKind::WrongArgumentCount, expr.range,
                            name + "() takes 2 arguments, a list and a lambda, " + std::to_string(given) + " given");
    d.help = "write " + name + "(xs, x => ...)";
    return types.error();
  }
  Expr& list = *expr.operands[1];
  Expr& lambda = *expr.operands[2];
  if (list.kind == ExprKind::Lambda) {
    misplaced_lambda(list, scope);
    check_expr(lambda, scope);
    return types.error();
  }
  const Type* list_type = check_expr(list, scope);
  const Type* element = types.error();
  bool list_ok = false;
  if (list_type->kind == TypeKind::List) {
    element = list_type->element;
    list_ok = true;
  } else if (!list_type->is_error()) {
    auto& d = diags_.report(list_type->is_optional() ? DiagKind::OptionalNotUnwrapped : DiagKind::TypeMismatch,
                            list.range, name + "() needs a list, found " + list_type->to_string());
    if (list_type->is_optional()) d.help = "unwrap it with '?? []' or guard it with is_some()";
    if (list_type->kind == TypeKind::Map) d.help = "to go over a map, take its keys: keys(m)";
  }
  if (lambda.kind != ExprKind::Lambda) {
    const Type* got = check_expr(lambda, scope);
    if (!got->is_error()) {
      diags_.report(DiagKind::LambdaMismatch, lambda.range, name + "() needs a lambda as its second argument").help =
          "write " + name + "(xs, x => ...), where x is each element";
    }
    return types.error();
  }
  // The parameters are the list's element; past the first, unknown.
  for (size_t i = 0; i < lambda.params.size(); ++i) lambda.params[i].type = i == 0 ? element : types.error();
  bool arity_ok = lambda.params.size() == 1;
  if (!arity_ok) {
    diags_
        .report(DiagKind::LambdaMismatch, lambda.range,
                "the lambda of " + name + "() takes one parameter, the element, not " +
                    std::to_string(lambda.params.size()))
        .help = "write " + name + "(xs, x => ...)";
  }
  ExprScope inner = scope;
  for (const auto& param : lambda.params) {
    bool shadows = param.name == scope.param_name;
    for (const Expr* outer : scope.lambdas) {
      for (const auto& p : outer->params) shadows |= p.name == param.name;
    }
    if (shadows) {
      diags_.report(DiagKind::DuplicateName, param.range, "'" + param.name + "' is already a parameter here").help =
          "give the lambda's parameter a name of its own";
      arity_ok = false;
    }
  }
  inner.lambdas.push_back(&lambda);
  Expr& body = *lambda.operands[0];
  const Type* result = check_expr(body, inner);
  lambda.type = result;
  if (result->is_error() || !list_ok || !arity_ok) return types.error();
  auto wrong_body = [&]() {
    auto& d = diags_.report(
        DiagKind::LambdaMismatch, body.range,
        "the lambda of " + name + "() must give " + body_wanted(builtin) + ", found " + result->to_string());
    if (result->is_optional()) d.help = "unwrap it with '?? default'";
    return types.error();
  };
  switch (builtin) {
    case Builtin::Any:
    case Builtin::All:
      if (result->kind != TypeKind::Bool) return wrong_body();
      return types.boolean();
    case Builtin::Count:
      if (result->kind != TypeKind::Bool) return wrong_body();
      return types.integer();
    case Builtin::Filter:
      if (result->kind != TypeKind::Bool) return wrong_body();
      return list_type;
    case Builtin::Sum:
      if (!is_number(result)) return wrong_body();
      return result;
    case Builtin::MinOf:
    case Builtin::MaxOf:
      if (!is_orderable(result)) return wrong_body();
      return types.optional(result);
    case Builtin::MapEach:
      if (result->kind == TypeKind::Event) {
        diags_.report(DiagKind::LambdaMismatch, body.range, "the lambda of map() gives events; a list cannot hold them")
            .help = "map to the events' fields (such as their keys) instead";
        return types.error();
      }
      if (result->kind == TypeKind::NoneType || result->kind == TypeKind::Never) return wrong_body();
      return types.list(result);
    default: return types.error();
  }
}

}  // namespace flow::check
