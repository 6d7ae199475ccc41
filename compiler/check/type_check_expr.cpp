// Type checking of expressions (language.md §6, §4.1): resolves names in
// scope (lambda parameters first), annotates each Expr with its type and
// what it refers to, and reports type errors once — an Error type never
// produces a follow-on diagnostic. Here: names, paths (`.`, `?.`), calls,
// indexing, operators and `if`; the built-ins, the list functions with
// their lambdas and the record and map literals have files of their own
// (type_check_builtins.cpp, type_check_lambdas.cpp, type_check_literals.cpp).
#include "check/checker.h"

namespace flow::check {

using namespace ast;

namespace {

bool is_rule_or_decision(const Decl* d) {
  return isa<RuleDecl>(d) || isa<DecisionDecl>(d);
}
bool is_value_decl(const Decl* d) {
  return isa<RuleDecl>(d) || isa<DecisionDecl>(d) || isa<ConstDecl>(d) || isa<EnumDecl>(d);
}

}  // namespace

void Checker::expect_type(const Expr& expr, const Type* expected, const char* context) {
  if (!expr.type || is_assignable(expr.type, expected)) return;
  auto& d =
      diags_.report(DiagKind::TypeMismatch, expr.range,
                    std::string(context) + " must be " + expected->to_string() + ", found " + expr.type->to_string());
  if (expr.type->is_optional() && is_assignable(expr.type->element, expected)) {
    d.help = "unwrap the optional with '?? default' or guard it with is_some()";
  }
}

const Type* Checker::decl_value_type(const Decl* decl) {
  TypeContext& types = program_.types;
  if (isa<RuleDecl>(decl)) return types.boolean();
  if (auto* d = dyn_cast<DecisionDecl>(decl)) {
    return d->result.resolved ? d->result.resolved : types.error();
  }
  if (auto* c = dyn_cast<ConstDecl>(decl)) {
    if (auto it = const_types_.find(c); it != const_types_.end()) return it->second;
    if (const_in_progress_.count(c)) return types.error();  // cycle: reported by check_recursion
    const_in_progress_.insert(c);
    ExprScope scope;
    scope.module = c->module;
    scope.constant_only = true;
    scope.owner = c;
    auto* mutable_const = const_cast<ConstDecl*>(c);
    const Type* t = check_expr(*mutable_const->value, scope);
    if (c->declared_type) {
      const Type* declared = resolve_type(*c->module, *mutable_const->declared_type);
      if (!is_assignable(t, declared)) {
        diags_.report(
            DiagKind::TypeMismatch, c->value->range,
            "constant '" + c->name + "' is declared " + declared->to_string() + " but its value is " + t->to_string());
      }
      t = declared;
    }
    const_in_progress_.erase(c);
    const_types_[c] = t;
    return t;
  }
  return types.error();
}

const Type* Checker::check_expr(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  const Type* result = types.error();
  switch (expr.kind) {
    case ExprKind::Int:
      if (expr.text == "overflow-min") {
        diags_.report(DiagKind::InvalidLiteral, expr.range, "integer literal out of range").help =
            "int is 64-bit signed: at most 9223372036854775807";
        result = types.error();
      } else {
        result = types.integer();
      }
      break;
    case ExprKind::Float: result = types.floating(); break;
    case ExprKind::String: result = types.string(); break;
    case ExprKind::Bool: result = types.boolean(); break;
    case ExprKind::None: result = types.none(); break;
    case ExprKind::Duration: result = types.duration(); break;
    case ExprKind::Timestamp: result = types.timestamp(); break;
    case ExprKind::Decimal: result = types.decimal(); break;
    case ExprKind::List: result = check_list_literal(expr, scope); break;
    case ExprKind::Map: result = check_map_literal(expr, scope); break;
    case ExprKind::Record: result = check_record_literal(expr, scope); break;
    case ExprKind::Lambda: misplaced_lambda(expr, scope); break;
    case ExprKind::Name: result = check_name(expr, scope); break;
    case ExprKind::It:
      if (!scope.it_event) {
        diags_.report(DiagKind::ItOutsideCondition, expr.range, "'it' is only available in a flow condition").help =
            scope.param_event ? "use the parameter '" + scope.param_name + "'" : "";
        result = types.error();
      } else {
        expr.ref = RefKind::It;
        result = types.event(&scope.it_event->info);
      }
      break;
    case ExprKind::Field: result = check_field(expr, scope); break;
    case ExprKind::Call: result = check_call(expr, scope); break;
    case ExprKind::OptionalField: result = check_optional_field(expr, scope); break;
    case ExprKind::Index: result = check_index(expr, scope); break;
    case ExprKind::Unary: {
      const Type* operand = check_expr(*expr.operands[0], scope);
      if (operand->is_error()) break;
      if (expr.unary_op == UnaryOp::Not) {
        if (operand->kind != TypeKind::Bool) {
          diags_.report(DiagKind::InvalidOperands, expr.operands[0]->range,
                        "'not' needs a bool, found " + operand->to_string());
          break;
        }
        result = operand;
      } else {
        if (operand->is_optional()) {
          diags_
              .report(DiagKind::OptionalNotUnwrapped, expr.operands[0]->range,
                      "cannot negate an optional " + operand->to_string())
              .help = "unwrap it with '?? default' first";
          break;
        }
        if (!is_number(operand) && operand->kind != TypeKind::Duration) {
          diags_.report(DiagKind::InvalidOperands, expr.operands[0]->range,
                        "'-' needs a number or a duration, found " + operand->to_string());
          break;
        }
        result = operand;
      }
      break;
    }
    case ExprKind::Binary: result = check_binary(expr, scope); break;
    case ExprKind::If: result = check_if(expr, scope); break;
  }
  expr.type = result;
  return result;
}

const Type* Checker::check_list_literal(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  const Type* element = types.never();
  bool error = false;
  for (auto& item : expr.operands) {
    check_expr(*item, scope);
    error |= !join_element(element, *item, "list elements");
  }
  if (!error && element->kind == TypeKind::Event) {
    // Events are messages, not values to collect: a list of them has no layout.
    diags_.report(DiagKind::TypeMismatch, expr.range, "a list cannot hold events").help =
        "compare the events' fields (such as their keys) instead";
    error = true;
  }
  return error ? types.error() : types.list(element);
}

const Type* Checker::check_index(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  const Type* base = check_expr(*expr.operands[0], scope);
  const Type* index = check_expr(*expr.operands[1], scope);
  if (base->is_error() || index->is_error()) return types.error();
  if (base->kind == TypeKind::Map) {
    // A key that is not there reads as none (language.md §4.1).
    if (index->kind != TypeKind::String) {
      diags_.report(DiagKind::TypeMismatch, expr.operands[1]->range,
                    "a map's key must be string, found " + index->to_string());
      return types.error();
    }
    return types.optional(base->element);
  }
  if (base->is_optional() && (base->element->kind == TypeKind::List || base->element->kind == TypeKind::Map)) {
    diags_
        .report(DiagKind::OptionalNotUnwrapped, expr.operands[0]->range,
                "cannot index an optional " + base->to_string())
        .help = "unwrap it with '?? default' or guard it with is_some()";
    return types.error();
  }
  if (base->kind != TypeKind::List) {
    auto& d = diags_.report(DiagKind::InvalidOperands, expr.operands[0]->range,
                            "only lists and maps can be indexed, found " + base->to_string());
    if (base->kind == TypeKind::Record) d.help = "read a record's field with '.': x.field";
    return types.error();
  }
  if (index->kind != TypeKind::Int) {
    diags_.report(DiagKind::TypeMismatch, expr.operands[1]->range,
                  "a list index must be int, found " + index->to_string());
    return types.error();
  }
  return base->element;
}

const Type* Checker::check_if(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  const Type* cond = check_expr(*expr.operands[0], scope);
  const Type* a = check_expr(*expr.operands[1], scope);
  const Type* b = check_expr(*expr.operands[2], scope);
  if (!cond->is_error()) expect_type(*expr.operands[0], types.boolean(), "the condition of 'if'");
  if (a->is_error() || b->is_error()) return types.error();
  if (is_assignable(b, a)) return a;
  if (is_assignable(a, b)) return b;
  if (const Type* number = numeric_join(a, b)) return number;
  if (a->kind == TypeKind::NoneType) return types.optional(b);
  if (b->kind == TypeKind::NoneType) return types.optional(a);
  if (mixes_decimal_and_float(a, b)) {
    return decimal_float_mix(expr, *expr.operands[1], *expr.operands[2], "'if'");
  }
  diags_.report(DiagKind::TypeMismatch, expr.range,
                "the branches of 'if' have different types: " + a->to_string() + " and " + b->to_string());
  return types.error();
}

const Type* Checker::check_name(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  if (expr.text.empty()) return types.error();  // placeholder for a syntax error
  int param = -1;
  if (const Expr* lambda = find_lambda(scope, expr.text, &param)) {
    expr.ref = RefKind::LambdaParam;
    expr.binder = lambda;
    expr.ref_index = param;
    const Type* t = lambda->params[static_cast<size_t>(param)].type;
    return t ? t : types.error();
  }
  if (!scope.param_name.empty() && expr.text == scope.param_name) {
    // A binding whose event type did not resolve (reported there) has no type.
    if (!scope.param_event) return types.error();
    expr.ref = RefKind::Param;
    return types.event(&scope.param_event->info);
  }
  bool ambiguous = false;
  const Decl* decl = find_visible(*scope.module, {expr.text}, &ambiguous);
  if (ambiguous) {
    diags_.report(DiagKind::AmbiguousName, expr.range, "'" + expr.text + "' is declared in several imported modules")
        .help = "qualify it with its module name";
    return types.error();
  }
  if (!decl) {
    Builtin builtin;
    if (find_builtin(expr.text, builtin)) {
      diags_.report(DiagKind::NotCallable, expr.range, "'" + expr.text + "' is a function: call it").help =
          "write " + expr.text + "(...)";
      return types.error();
    }
    if (may_come_from_unresolved_import(*scope.module, {expr.text})) return types.error();
    // A module alias is only valid as the prefix of a field chain, handled in check_field.
    bool in_condition = scope.in_condition;
    auto& d = diags_.report(DiagKind::UnknownName, expr.range,
                            std::string(in_condition ? "unknown rule '" : "unknown name '") + expr.text + "'");
    std::vector<std::string> candidates =
        visible_names(*scope.module, in_condition ? is_rule_or_decision : is_value_decl);
    if (!scope.param_name.empty()) candidates.push_back(scope.param_name);
    for (const Expr* lambda : scope.lambdas) {
      for (const auto& p : lambda->params) candidates.push_back(p.name);
    }
    std::string nearest = nearest_name(expr.text, candidates);
    if (!nearest.empty()) d.help = "did you mean '" + nearest + "'?";
    return types.error();
  }
  referenced_.insert(decl);
  expr.ref_decl = decl;
  if (scope.owner) uses_[scope.owner].push_back({decl, expr.range});
  switch (decl->kind) {
    case DeclKind::Const: expr.ref = RefKind::Const; return decl_value_type(decl);
    case DeclKind::Rule:
    case DeclKind::Decision: {
      if (scope.constant_only) {
        diags_.report(DiagKind::NotConstant, expr.range, with_article(to_string(decl->kind)) + " is not a constant");
        return types.error();
      }
      // A bare rule name in a condition applies it to the event (`it`).
      if (scope.it_event) {
        expr.ref = decl->kind == DeclKind::Rule ? RefKind::Rule : RefKind::Decision;
        return apply_rule(expr, decl, types.event(&scope.it_event->info), expr.range);
      }
      diags_
          .report(DiagKind::NotCallable, expr.range,
                  std::string(to_string(decl->kind)) + " '" + expr.text + "' needs an event argument")
          .help = "write " + expr.text + "(" + (scope.param_name.empty() ? "event" : scope.param_name) + ")";
      return types.error();
    }
    case DeclKind::Enum:
      expr.ref = RefKind::EnumType;
      diags_.report(DiagKind::TypeMismatch, expr.range, "enum '" + expr.text + "' is a type, not a value").help =
          "name a member: " + expr.text + "." +
          (static_cast<const EnumDecl*>(decl)->members.empty() ? "Member"
                                                               : static_cast<const EnumDecl*>(decl)->members[0].name);
      return types.error();
    case DeclKind::Record:
      diags_.report(DiagKind::TypeMismatch, expr.range, "record '" + expr.text + "' is a type, not a value").help =
          "build a value with its fields: " + expr.text + " { field: value, ... }";
      return types.error();
    default:
      diags_.report(DiagKind::UnknownName, expr.range,
                    "'" + expr.text + "' is " + with_article(to_string(decl->kind)) + ", not a value");
      return types.error();
  }
}

const Expr* Checker::find_lambda(const ExprScope& scope, const std::string& name, int* param) {
  for (auto it = scope.lambdas.rbegin(); it != scope.lambdas.rend(); ++it) {
    for (size_t i = 0; i < (*it)->params.size(); ++i) {
      if ((*it)->params[i].name != name) continue;
      if (param) *param = static_cast<int>(i);
      return *it;
    }
  }
  return nullptr;
}

const Type* Checker::apply_rule(Expr& site, const Decl* callee, const Type* argument, SourceRange arg_range) {
  TypeContext& types = program_.types;
  const Param& param = isa<RuleDecl>(callee) ? static_cast<const RuleDecl*>(callee)->param
                                             : static_cast<const DecisionDecl*>(callee)->param;
  const Type* result = decl_value_type(callee);
  if (argument->is_error() || !param.event_decl) return result;
  if (argument->kind != TypeKind::Event) {
    diags_.report(DiagKind::IncompatibleEvent, arg_range,
                  std::string(to_string(callee->kind)) + " '" + callee->name + "' applies to an event, not to " +
                      argument->to_string());
    return types.error();
  }
  if (!argument->event_info->includes_event(&param.event_decl->info)) {
    if (incomplete_events_.count(argument->event_info)) return types.error();
    auto& d =
        diags_.report(DiagKind::IncompatibleEvent, arg_range,
                      std::string(to_string(callee->kind)) + " '" + callee->name + "' is declared over " +
                          param.event_decl->name + ", but " + argument->event_info->name + " does not include it");
    d.help = "include the data: event " + argument->event_info->name + " { ..." + param.event_decl->name + ", ... }";
    (void)site;
    return types.error();
  }
  return result;
}

const Type* Checker::check_field(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  Expr& base = *expr.operands[0];
  // A chain of names may be a qualified reference: Enum.Member, module.NAME,
  // module.Enum.Member.
  std::vector<std::string> chain;
  const Expr* walk = &expr;
  while (walk->kind == ExprKind::Field) {
    chain.insert(chain.begin(), walk->text);
    walk = walk->operands[0].get();
  }
  bool plain_chain = walk->kind == ExprKind::Name && walk->text != scope.param_name && !find_lambda(scope, walk->text);
  if (plain_chain) {
    chain.insert(chain.begin(), walk->text);
    // Enum.Member (the enum possibly module-qualified).
    std::vector<std::string> enum_path(chain.begin(), chain.end() - 1);
    const Decl* prefix_decl = find_visible(*scope.module, enum_path);
    if (auto* e = dyn_cast<EnumDecl>(prefix_decl)) {
      referenced_.insert(e);
      int index = e->member_index(expr.text);
      if (index < 0) {
        std::vector<std::string> names;
        for (const auto& m : e->members) names.push_back(m.name);
        auto& d = diags_.report(DiagKind::UnknownEnumMember, expr.name_range,
                                "enum '" + e->name + "' has no member '" + expr.text + "'");
        std::string nearest = nearest_name(expr.text, names);
        if (!nearest.empty()) d.help = "did you mean '" + nearest + "'?";
        return types.error();
      }
      expr.ref = RefKind::EnumMember;
      expr.ref_decl = e;
      expr.ref_index = index;
      return types.enumeration(&e->info);
    }
    // module.NAME (a constant; rules and decisions are called, see check_call).
    if (chain.size() >= 2 && find_module_prefix(*scope.module, chain)) {
      const Decl* decl = find_visible(*scope.module, chain);
      if (!decl) {
        std::string module_name;
        for (size_t i = 0; i + 1 < chain.size(); ++i) module_name += (i ? "." : "") + chain[i];
        diags_.report(DiagKind::UnknownName, expr.range,
                      "module '" + module_name + "' has no declaration '" + expr.text + "'");
        return types.error();
      }
      referenced_.insert(decl);
      if (scope.owner) uses_[scope.owner].push_back({decl, expr.range});
      expr.ref_decl = decl;
      if (auto* c = dyn_cast<ConstDecl>(decl)) {
        expr.ref = RefKind::Const;
        return decl_value_type(c);
      }
      if (auto* e = dyn_cast<EnumDecl>(decl)) {
        diags_.report(DiagKind::TypeMismatch, expr.range, "enum '" + e->name + "' is a type, not a value");
        return types.error();
      }
      if (is_rule_or_decision(decl) && scope.it_event) {
        expr.ref = isa<RuleDecl>(decl) ? RefKind::Rule : RefKind::Decision;
        return apply_rule(expr, decl, types.event(&scope.it_event->info), expr.range);
      }
      diags_.report(DiagKind::NotCallable, expr.range,
                    std::string(to_string(decl->kind)) + " '" + expr.text + "' is not a value here");
      return types.error();
    }
  }
  const Type* base_type = check_expr(base, scope);
  if (base_type->is_error()) return types.error();
  return field_of(expr, base_type);
}

const Type* Checker::field_of(Expr& expr, const Type* base_type) {
  TypeContext& types = program_.types;
  const Expr& base = *expr.operands[0];
  if (base_type->kind == TypeKind::Optional) {
    auto& d = diags_.report(DiagKind::OptionalNotUnwrapped, base.range,
                            "cannot read field '" + expr.text + "' of an optional " + base_type->to_string());
    d.help = "unwrap it with '?? default' or guard it with is_some()";
    if (base_type->element->kind == TypeKind::Record) {
      d.help = "read it with '?.', which gives none when the record is absent: " + source_text(base.range) + "?." +
               expr.text;
    }
    return types.error();
  }
  const FieldTable* table = nullptr;
  std::string owner;
  bool incomplete = false;
  if (base_type->kind == TypeKind::Event) {
    table = base_type->event_info;
    owner = "event '" + base_type->event_info->name + "'";
    incomplete = incomplete_events_.count(base_type->event_info) > 0;
  } else if (base_type->kind == TypeKind::Record) {
    table = base_type->record_info;
    owner = "record '" + base_type->record_info->name + "'";
    incomplete = incomplete_records_.count(base_type->record_info) > 0;
  } else {
    auto& d = diags_.report(DiagKind::UnknownField, expr.name_range,
                            "type " + base_type->to_string() + " has no fields (looking for '" + expr.text + "')");
    if (base_type->kind == TypeKind::Map) d.help = "read a map's entry by its key: m[\"" + expr.text + "\"]";
    return types.error();
  }
  int index = table->field_index(expr.text);
  if (index < 0 && incomplete) return types.error();
  if (index < 0) {
    std::vector<std::string> names;
    for (const auto& f : table->fields) names.push_back(f.name);
    auto& d = diags_.report(DiagKind::UnknownField, expr.name_range, owner + " has no field '" + expr.text + "'");
    std::string nearest = nearest_name(expr.text, names);
    if (!nearest.empty()) d.help = "did you mean '" + nearest + "'?";
    return types.error();
  }
  expr.ref_index = index;
  return table->fields[static_cast<size_t>(index)].type;
}

const Type* Checker::check_optional_field(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  const Type* base_type = check_expr(*expr.operands[0], scope);
  if (base_type->is_error()) return types.error();
  if (!base_type->is_optional()) {
    // As Kotlin's "unnecessary safe call": harmless, so a warning, and the
    // read is an ordinary one.
    SourceRange mark{expr.name_range.file, expr.name_range.begin >= 2 ? expr.name_range.begin - 2 : 0,
                     expr.name_range.begin};
    diags_
        .report(DiagKind::UnneededOptionalChain, mark,
                "'?.' on " + with_article(base_type->to_string()) + ", which is never absent")
        .help = "write '.' instead: " + source_text(expr.operands[0]->range) + "." + expr.text;
    return field_of(expr, base_type);
  }
  const Type* field = field_of(expr, base_type->element);
  return field->is_error() ? field : types.optional(field);
}

const Type* Checker::check_call(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  Expr& callee = *expr.operands[0];
  std::vector<std::string> path;
  const Expr* walk = &callee;
  while (walk->kind == ExprKind::Field) {
    path.insert(path.begin(), walk->text);
    walk = walk->operands[0].get();
  }
  if (walk->kind != ExprKind::Name) {
    for (size_t i = 1; i < expr.operands.size(); ++i) check_expr(*expr.operands[i], scope);
    diags_.report(DiagKind::NotCallable, callee.range, "this expression cannot be called");
    return types.error();
  }
  path.insert(path.begin(), walk->text);
  Builtin builtin;
  const Decl* decl = nullptr;
  bool ambiguous = false;
  if (find_lambda(scope, path[0])) {
    for (size_t i = 1; i < expr.operands.size(); ++i) check_expr(*expr.operands[i], scope);
    diags_.report(DiagKind::NotCallable, callee.range, "'" + path[0] + "' is a lambda's parameter, not a function");
    return types.error();
  }
  if (path.size() == 1 && path[0] == scope.param_name) {
    diags_.report(DiagKind::NotCallable, callee.range, "'" + path[0] + "' is an event, not a function");
    return types.error();
  }
  decl = find_visible(*scope.module, path, &ambiguous);
  if (!decl && path.size() == 1 && find_builtin(path[0], builtin)) {
    callee.ref = RefKind::Builtin;
    callee.builtin = builtin;
    return check_builtin(expr, builtin, scope);
  }
  for (size_t i = 1; i < expr.operands.size(); ++i) check_expr(*expr.operands[i], scope);
  std::string name;
  for (const auto& p : path) name += (name.empty() ? "" : ".") + p;
  if (ambiguous) {
    diags_.report(DiagKind::AmbiguousName, callee.range, "'" + name + "' is declared in several imported modules")
        .help = "qualify it with its module name";
    return types.error();
  }
  if (!decl && may_come_from_unresolved_import(*scope.module, path)) return types.error();
  if (!decl) {
    auto& d = diags_.report(DiagKind::UnknownName, callee.range, "unknown rule or function '" + name + "'");
    std::vector<std::string> candidates = visible_names(*scope.module, is_rule_or_decision);
    for (auto& b : builtin_names()) candidates.push_back(std::move(b));
    std::string nearest = nearest_name(path.back(), candidates);
    if (!nearest.empty()) d.help = "did you mean '" + nearest + "'?";
    return types.error();
  }
  referenced_.insert(decl);
  if (!is_rule_or_decision(decl)) {
    diags_.report(DiagKind::NotCallable, callee.range,
                  std::string(to_string(decl->kind)) + " '" + name + "' cannot be called");
    return types.error();
  }
  if (scope.constant_only) {
    diags_.report(DiagKind::NotConstant, expr.range, with_article(to_string(decl->kind)) + " is not a constant");
    return types.error();
  }
  if (scope.owner) uses_[scope.owner].push_back({decl, callee.range});
  callee.ref = isa<RuleDecl>(decl) ? RefKind::Rule : RefKind::Decision;
  callee.ref_decl = decl;
  if (expr.operands.size() != 2) {
    diags_.report(DiagKind::WrongArgumentCount, expr.range,
                  std::string(to_string(decl->kind)) + " '" + name + "' takes one event argument, " +
                      std::to_string(expr.operands.size() - 1) + " given");
    return decl_value_type(decl);
  }
  return apply_rule(expr, decl, expr.operands[1]->type, expr.operands[1]->range);
}

const Type* Checker::check_binary(Expr& expr, const ExprScope& scope) {
  TypeContext& types = program_.types;
  const Type* a = check_expr(*expr.operands[0], scope);
  const Type* b = check_expr(*expr.operands[1], scope);
  if (a->is_error() || b->is_error()) return types.error();
  BinaryOp op = expr.binary_op;
  auto invalid = [&](const std::string& what) {
    auto& d = diags_.report(
        DiagKind::InvalidOperands, expr.range,
        std::string("'") + to_string(op) + "' " + what + ", found " + a->to_string() + " and " + b->to_string());
    (void)d;
    return types.error();
  };
  auto optional_operand = [&]() -> const Type* {
    const Expr& culprit = a->is_optional() ? *expr.operands[0] : *expr.operands[1];
    diags_
        .report(DiagKind::OptionalNotUnwrapped, culprit.range,
                std::string("'") + to_string(op) + "' on an optional " + culprit.type->to_string())
        .help = "unwrap it with '?? default' or guard it with is_some()";
    return types.error();
  };
  auto mix = [&]() {
    return decimal_float_mix(expr, *expr.operands[0], *expr.operands[1], std::string("'") + to_string(op) + "'");
  };
  switch (op) {
    case BinaryOp::And:
    case BinaryOp::Or:
      if (a->kind != TypeKind::Bool || b->kind != TypeKind::Bool) return invalid("needs two bools");
      return types.boolean();
    case BinaryOp::Add:
    case BinaryOp::Sub:
    case BinaryOp::Mul:
    case BinaryOp::Div:
    case BinaryOp::Mod: {
      if (a->is_optional() || b->is_optional()) return optional_operand();
      if (const Type* number = numeric_join(a, b)) return number;
      if (mixes_decimal_and_float(a, b)) return mix();
      TypeKind ka = a->kind, kb = b->kind;
      if (op == BinaryOp::Add && ka == TypeKind::String && kb == TypeKind::String) return types.string();
      if (op == BinaryOp::Add && ka == TypeKind::Timestamp && kb == TypeKind::Duration) return a;
      if (op == BinaryOp::Add && ka == TypeKind::Duration && kb == TypeKind::Timestamp) return b;
      if (op == BinaryOp::Sub && ka == TypeKind::Timestamp && kb == TypeKind::Duration) return a;
      if (op == BinaryOp::Sub && ka == TypeKind::Timestamp && kb == TypeKind::Timestamp) return types.duration();
      if ((op == BinaryOp::Add || op == BinaryOp::Sub) && ka == TypeKind::Duration && kb == TypeKind::Duration)
        return a;
      if (op == BinaryOp::Mul && ka == TypeKind::Duration && kb == TypeKind::Int) return a;
      if (op == BinaryOp::Mul && ka == TypeKind::Int && kb == TypeKind::Duration) return b;
      if (op == BinaryOp::Div && ka == TypeKind::Duration && kb == TypeKind::Int) return a;
      return invalid(op == BinaryOp::Add ? "needs numbers, strings, or a timestamp and a duration" : "needs numbers");
    }
    case BinaryOp::Eq:
    case BinaryOp::Ne: {
      if (a->kind == TypeKind::Event || b->kind == TypeKind::Event) {
        diags_
            .report(DiagKind::InvalidOperands, expr.range,
                    std::string("'") + to_string(op) + "' cannot compare whole events, found " + a->to_string() +
                        " and " + b->to_string())
            .help = "compare their fields, e.g. the key";
        return types.error();
      }
      if (mixes_decimal_and_float(a->is_optional() ? a->element : a, b->is_optional() ? b->element : b)) return mix();
      bool ok = is_assignable(a, b) || is_assignable(b, a) || numeric_join(a, b) ||
                (a->is_optional() && b->is_optional() && is_assignable(a->element, b->element));
      if (!ok) return invalid("compares values of different types");
      return types.boolean();
    }
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge: {
      if (a->is_optional() || b->is_optional()) return optional_operand();
      if (mixes_decimal_and_float(a, b)) return mix();
      bool ok =
          numeric_join(a, b) ||
          (a == b && (a->kind == TypeKind::String || a->kind == TypeKind::Timestamp || a->kind == TypeKind::Duration));
      if (!ok) return invalid("orders numbers, strings, timestamps or durations of one type");
      return types.boolean();
    }
    case BinaryOp::In:
    case BinaryOp::NotIn: {
      if (b->kind == TypeKind::Map) {
        diags_
            .report(DiagKind::InvalidOperands, expr.range,
                    std::string("'") + to_string(op) + "' needs a list on its right, found " + b->to_string())
            .help = "to ask whether a map has a key, write has(m, key)";
        return types.error();
      }
      if (b->kind != TypeKind::List) return invalid("needs a list on its right");
      const Type* element = b->element;
      if (mixes_decimal_and_float(a, element)) return mix();
      if (!is_assignable(a, element) && !numeric_join(a, element) && element->kind != TypeKind::Never) {
        return invalid("needs a value of the list's element type");
      }
      return types.boolean();
    }
    case BinaryOp::Coalesce: {
      if (!a->is_optional() && a->kind != TypeKind::NoneType) {
        auto& d = diags_.report(DiagKind::TypeMismatch, expr.operands[0]->range,
                                "the left side of '\?\?' must be optional, found " + a->to_string());
        d.help = with_article(a->to_string()) + " is never absent: drop '?? ...'";
        return types.error();
      }
      const Type* inner = a->kind == TypeKind::NoneType ? b : a->element;
      if (is_assignable(b, inner)) return inner;
      // `a ?? b` with an optional default stays optional.
      if (b->is_optional() && is_assignable(b->element, inner)) return types.optional(inner);
      if (const Type* number = numeric_join(inner, b)) return number;
      if (mixes_decimal_and_float(inner, b)) return mix();
      return invalid("needs a default of the optional's type");
    }
  }
  return types.error();
}

}  // namespace flow::check
