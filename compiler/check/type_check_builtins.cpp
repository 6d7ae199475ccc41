// Type checking of calls to the built-in functions (language.md §6, §4.1):
// arity, argument types and result types. The list functions, whose second
// argument is a lambda, are checked in type_check_lambdas.cpp.
#include <re2/re2.h>

#include "check/checker.h"

namespace flow::check {

using namespace ast;

namespace {

struct BuiltinInfo {
  const char* name;
  Builtin builtin;
};
const BuiltinInfo kBuiltins[] = {
    {"len", Builtin::Len},
    {"lower", Builtin::Lower},
    {"upper", Builtin::Upper},
    {"starts_with", Builtin::StartsWith},
    {"ends_with", Builtin::EndsWith},
    {"contains", Builtin::Contains},
    {"matches", Builtin::Matches},
    {"abs", Builtin::Abs},
    {"min", Builtin::Min},
    {"max", Builtin::Max},
    {"round", Builtin::Round},
    {"floor", Builtin::Floor},
    {"ceil", Builtin::Ceil},
    {"is_some", Builtin::IsSome},
    {"hour", Builtin::Hour},
    {"weekday", Builtin::Weekday},
    {"date", Builtin::Date},
    {"now", Builtin::Now},
    {"any", Builtin::Any},
    {"all", Builtin::All},
    {"count", Builtin::Count},
    {"sum", Builtin::Sum},
    {"min_of", Builtin::MinOf},
    {"max_of", Builtin::MaxOf},
    {"filter", Builtin::Filter},
    {"map", Builtin::MapEach},
    {"has", Builtin::Has},
    {"keys", Builtin::Keys},
    {"decimal", Builtin::ToDecimal},
    {"float", Builtin::ToFloat},
};

}  // namespace

bool find_builtin(const std::string& name, Builtin& out) {
  for (const auto& b : kBuiltins) {
    if (name == b.name) {
      out = b.builtin;
      return true;
    }
  }
  return false;
}

const char* builtin_name(Builtin b) {
  for (const auto& info : kBuiltins) {
    if (info.builtin == b) return info.name;
  }
  return "?";
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> names;
  for (const auto& b : kBuiltins) names.push_back(b.name);
  return names;
}

const Type* Checker::check_builtin(Expr& expr, Builtin builtin, const ExprScope& scope) {
  TypeContext& types = program_.types;
  if (is_list_function(builtin)) return check_list_function(expr, builtin, scope);
  std::vector<const Type*> args;
  bool error = false;
  for (size_t i = 1; i < expr.operands.size(); ++i) {
    args.push_back(check_expr(*expr.operands[i], scope));
    error |= args.back()->is_error();
  }
  const char* name = builtin_name(builtin);
  auto arity = [&](size_t n) {
    if (args.size() == n) return true;
    diags_.report(DiagKind::WrongArgumentCount, expr.range,
                  std::string(name) + "() takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") + ", " +
                      std::to_string(args.size()) + " given");
    return false;
  };
  auto arg_error = [&](size_t i, const std::string& wanted) {
    auto& d = diags_.report(args[i]->is_optional() ? DiagKind::OptionalNotUnwrapped : DiagKind::TypeMismatch,
                            expr.operands[i + 1]->range,
                            std::string(name) + "() needs " + wanted + ", found " + args[i]->to_string());
    if (args[i]->is_optional()) d.help = "unwrap it with '?? default' or guard it with is_some()";
    return types.error();
  };
  auto is = [&](size_t i, TypeKind k) { return args[i]->kind == k; };
  switch (builtin) {
    case Builtin::Now:
      if (!arity(0)) return types.error();
      if (scope.constant_only) {
        diags_.report(DiagKind::NotConstant, expr.range, "now() is not a constant");
        return types.error();
      }
      return types.timestamp();
    case Builtin::Len:
      if (!arity(1) || error) return types.error();
      if (is(0, TypeKind::Map)) return types.integer();
      if (!is(0, TypeKind::String) && !is(0, TypeKind::List)) return arg_error(0, "a string or a list");
      return types.integer();
    case Builtin::Lower:
    case Builtin::Upper:
      if (!arity(1) || error) return types.error();
      if (!is(0, TypeKind::String)) return arg_error(0, "a string");
      return types.string();
    case Builtin::StartsWith:
    case Builtin::EndsWith:
      if (!arity(2) || error) return types.error();
      if (!is(0, TypeKind::String)) return arg_error(0, "a string");
      if (!is(1, TypeKind::String)) return arg_error(1, "a string");
      return types.boolean();
    case Builtin::Contains:
      if (!arity(2) || error) return types.error();
      if (is(0, TypeKind::String)) {
        if (!is(1, TypeKind::String)) return arg_error(1, "a string");
        return types.boolean();
      }
      if (is(0, TypeKind::List)) {
        const Type* element = args[0]->element;
        if (mixes_decimal_and_float(element, args[1])) {
          return decimal_float_mix(*expr.operands[2], *expr.operands[1], *expr.operands[2], "contains()");
        }
        if (!is_assignable(args[1], element) && !numeric_join(element, args[1])) {
          return arg_error(1, element->to_string());
        }
        return types.boolean();
      }
      if (is(0, TypeKind::Map)) {
        diags_
            .report(DiagKind::TypeMismatch, expr.operands[1]->range,
                    "contains() needs a string or a list, found " + args[0]->to_string())
            .help = "to ask whether a map has a key, write has(m, key)";
        return types.error();
      }
      return arg_error(0, "a string or a list");
    case Builtin::Matches: {
      if (!arity(2) || error) return types.error();
      if (!is(0, TypeKind::String)) return arg_error(0, "a string");
      const Expr& pattern = *expr.operands[2];
      if (pattern.kind != ExprKind::String) {
        diags_.report(DiagKind::InvalidRegex, pattern.range, "the pattern of matches() must be a string literal").help =
            "patterns are checked and compiled once, at compile time";
        return types.error();
      }
      RE2::Options options;
      options.set_log_errors(false);
      RE2 re(pattern.text, options);
      if (!re.ok()) {
        diags_.report(DiagKind::InvalidRegex, pattern.range, "invalid regular expression: " + re.error()).help =
            "the syntax is RE2's (https://github.com/google/re2/wiki/Syntax)";
        return types.error();
      }
      return types.boolean();
    }
    case Builtin::Abs:
      if (!arity(1) || error) return types.error();
      if (!is_number(args[0]) && !is(0, TypeKind::Duration)) return arg_error(0, "a number or a duration");
      return args[0];
    case Builtin::Min:
    case Builtin::Max: {
      if (!arity(2) || error) return types.error();
      if (mixes_decimal_and_float(args[0], args[1])) {
        return decimal_float_mix(expr, *expr.operands[1], *expr.operands[2], std::string(name) + "()");
      }
      if (const Type* joined = numeric_join(args[0], args[1])) return joined;
      if (args[0] == args[1] && (is(0, TypeKind::Duration) || is(0, TypeKind::Timestamp) || is(0, TypeKind::String))) {
        return args[0];
      }
      return arg_error(is_number(args[0]) || is(0, TypeKind::Duration) || is(0, TypeKind::Timestamp) ? 1 : 0,
                       "two numbers, durations, timestamps or strings");
    }
    case Builtin::Round:
      if (args.size() == 2) {
        // round(x, n): a decimal to n places, half-even (language.md §4.1).
        if (error) return types.error();
        if (!is(0, TypeKind::Decimal)) {
          auto& d =
              diags_.report(args[0]->is_optional() ? DiagKind::OptionalNotUnwrapped : DiagKind::TypeMismatch,
                            expr.operands[1]->range, "round(x, n) needs a decimal, found " + args[0]->to_string());
          d.help = args[0]->is_optional() ? "unwrap it with '?? default' or guard it with is_some()"
                   : is_number(args[0])   ? "convert it first: round(decimal(x), n); round(x) rounds to an int"
                                          : "";
          return types.error();
        }
        if (!is(1, TypeKind::Int)) return arg_error(1, "an int number of places");
        expr.operands[0]->builtin = Builtin::RoundPlaces;
        return types.decimal();
      }
      if (args.size() != 1) {
        diags_.report(DiagKind::WrongArgumentCount, expr.range,
                      "round() takes 1 or 2 arguments, " + std::to_string(args.size()) + " given");
        return types.error();
      }
      [[fallthrough]];
    case Builtin::Floor:
    case Builtin::Ceil:
      if (!arity(1) || error) return types.error();
      if (!is_number(args[0])) return arg_error(0, "a number");
      return types.integer();
    case Builtin::RoundPlaces: return types.error();  // set above, never looked up by name
    case Builtin::Has:
      if (!arity(2) || error) return types.error();
      if (!is(0, TypeKind::Map)) return arg_error(0, "a map");
      if (!is(1, TypeKind::String)) return arg_error(1, "a string key");
      return types.boolean();
    case Builtin::Keys:
      if (!arity(1) || error) return types.error();
      if (!is(0, TypeKind::Map)) return arg_error(0, "a map");
      return types.list(types.string());
    case Builtin::ToDecimal:
    case Builtin::ToFloat:
      if (!arity(1) || error) return types.error();
      if (!is_number(args[0])) return arg_error(0, "a number");
      return builtin == Builtin::ToDecimal ? types.decimal() : types.floating();
    case Builtin::Any:
    case Builtin::All:
    case Builtin::Count:
    case Builtin::Sum:
    case Builtin::MinOf:
    case Builtin::MaxOf:
    case Builtin::Filter:
    case Builtin::MapEach: break;  // check_list_function, above
    case Builtin::IsSome:
      if (!arity(1) || error) return types.error();
      if (!args[0]->is_optional()) {
        diags_
            .report(DiagKind::TypeMismatch, expr.operands[1]->range,
                    "is_some() needs an optional value, found " + args[0]->to_string())
            .help = with_article(args[0]->to_string()) + " is always present";
        return types.error();
      }
      return types.boolean();
    case Builtin::Hour:
    case Builtin::Weekday:
      if (!arity(1) || error) return types.error();
      if (!is(0, TypeKind::Timestamp)) return arg_error(0, "a timestamp");
      return types.integer();
    case Builtin::Date:
      if (!arity(1) || error) return types.error();
      if (!is(0, TypeKind::Timestamp)) return arg_error(0, "a timestamp");
      return types.timestamp();
  }
  return types.error();
}

}  // namespace flow::check
