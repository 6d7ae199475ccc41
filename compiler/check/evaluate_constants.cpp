// Constant evaluation (E0210): every `const` and every field default is
// folded at compile time, so that a constant which can never have a value —
// a division by zero, an integer overflow, an index past the end of a list —
// is an error in the source rather than an evaluation error on every event
// that uses it. Runs after type checking and the recursion check; anything it
// does not fold (string functions, timestamps' calendar functions) is left
// to the runtime as "unknown" and never reported.
#include <cmath>
#include <optional>

#include "check/checker.h"

namespace flow::check {

using namespace ast;

namespace {

/// A folded value. Int also carries bool (0/1), duration and timestamp
/// (microseconds) and enum members (their index); the static type says which.
struct Value {
  enum Kind { Unknown, Int, Float, Bool, String, None, List } kind = Unknown;
  int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<Value> items;

  static Value integer(int64_t v) {
    Value x;
    x.kind = Int;
    x.i = v;
    return x;
  }
  static Value floating(double v) {
    Value x;
    x.kind = Float;
    x.f = v;
    return x;
  }
  static Value boolean(bool v) {
    Value x;
    x.kind = Bool;
    x.i = v ? 1 : 0;
    return x;
  }
  bool known() const { return kind != Unknown; }
  bool numeric() const { return kind == Int || kind == Float; }
  double as_double() const { return kind == Float ? f : static_cast<double>(i); }
};

/// Equality as `==` defines it (int and float compare by value); nullopt
/// when it cannot be decided here.
std::optional<bool> equal(const Value& a, const Value& b) {
  if (!a.known() || !b.known()) return std::nullopt;
  if (a.numeric() && b.numeric()) {
    if (a.kind == Value::Int && b.kind == Value::Int) return a.i == b.i;
    return a.as_double() == b.as_double();
  }
  if (a.kind != b.kind) return false;  // e.g. none against a present value
  switch (a.kind) {
    case Value::Bool: return a.i == b.i;
    case Value::String: return a.s == b.s;
    case Value::None: return true;
    case Value::List: {
      if (a.items.size() != b.items.size()) return false;
      for (size_t k = 0; k < a.items.size(); ++k) {
        auto same = equal(a.items[k], b.items[k]);
        if (!same || !*same) return same;
      }
      return true;
    }
    default: return std::nullopt;
  }
}

class Evaluator {
 public:
  explicit Evaluator(DiagnosticEngine& diags) : diags_(diags) {}

  /// The value of a constant, evaluated once; Unknown when it failed (and
  /// was reported) or cannot be folded.
  Value constant(const ConstDecl* c) {
    if (auto it = cache_.find(c); it != cache_.end()) return it->second;
    if (!in_progress_.insert(c).second) return {};  // a cycle, reported by check_recursion
    std::string saved = subject_;
    subject_ = "constant '" + c->name + "'";
    Value v = typed(*c->value) ? eval(*c->value) : Value{};
    subject_ = saved;
    in_progress_.erase(c);
    return cache_[c] = v;
  }

  void field_default(const FieldDecl& field) {
    if (!typed(*field.default_value)) return;
    subject_ = "the default of field '" + field.name + "'";
    eval(*field.default_value);
  }

 private:
  /// Only fully type-checked expressions are folded: a type error was
  /// reported already, and an unchecked operand has no meaning to fold.
  static bool typed(const Expr& e) {
    if (!e.type || e.type->is_error()) return false;
    // `Enum.Member` and `module.NAME` are qualified names, not field accesses.
    if (e.kind == ExprKind::Field && (e.ref == RefKind::EnumMember || e.ref == RefKind::Const)) return true;
    for (const auto& operand : e.operands) {
      // The callee of a call is a name without a value type.
      if (e.kind == ExprKind::Call && &operand == &e.operands.front()) continue;
      if (!typed(*operand)) return false;
    }
    return true;
  }

  Value fail(const Expr& where, const std::string& why, const std::string& help = "") {
    auto& d = diags_.report(DiagKind::ConstantEvaluation, where.range, "cannot evaluate " + subject_ + ": " + why);
    if (!help.empty()) d.help = help;
    return {};
  }

  Value overflow(const Expr& where) {
    return fail(where, "integer overflow",
                "an int is 64-bit signed; durations and timestamps are 64-bit counts of microseconds");
  }

  Value eval(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Int:
      case ExprKind::Duration:
      case ExprKind::Timestamp: return Value::integer(e.int_value);
      case ExprKind::Float: return Value::floating(e.float_value);
      case ExprKind::Bool: return Value::boolean(e.int_value != 0);
      case ExprKind::String: {
        Value v;
        v.kind = Value::String;
        v.s = e.text;
        return v;
      }
      case ExprKind::None: {
        Value v;
        v.kind = Value::None;
        return v;
      }
      case ExprKind::List: {
        Value v;
        v.kind = Value::List;
        for (const auto& item : e.operands) {
          Value x = eval(*item);
          if (!x.known()) return {};
          v.items.push_back(std::move(x));
        }
        return v;
      }
      case ExprKind::Name:
        if (e.ref == RefKind::Const) return constant(static_cast<const ConstDecl*>(e.ref_decl));
        return {};
      case ExprKind::Field:
        if (e.ref == RefKind::EnumMember) return Value::integer(e.ref_index);
        if (e.ref == RefKind::Const) return constant(static_cast<const ConstDecl*>(e.ref_decl));
        return {};
      case ExprKind::Index: {
        Value list = eval(*e.operands[0]);
        Value index = eval(*e.operands[1]);
        if (list.kind != Value::List || index.kind != Value::Int) return {};
        if (index.i < 0 || static_cast<uint64_t>(index.i) >= list.items.size()) {
          return fail(*e.operands[1], "index " + std::to_string(index.i) + " is out of range for a list of " +
                                          std::to_string(list.items.size()) + " element" +
                                          (list.items.size() == 1 ? "" : "s"));
        }
        return list.items[static_cast<size_t>(index.i)];
      }
      case ExprKind::Unary: {
        Value x = eval(*e.operands[0]);
        if (e.unary_op == UnaryOp::Not) return x.kind == Value::Bool ? Value::boolean(x.i == 0) : Value{};
        if (x.kind == Value::Float) return Value::floating(-x.f);
        if (x.kind != Value::Int) return {};
        if (x.i == INT64_MIN) return overflow(e);
        return Value::integer(-x.i);
      }
      case ExprKind::Binary: return binary(e);
      case ExprKind::If: {
        // Only the branch taken is evaluated, as at run time.
        Value c = eval(*e.operands[0]);
        if (c.kind != Value::Bool) return {};
        return promote(eval(*e.operands[c.i ? 1 : 2]), e);
      }
      case ExprKind::Call: return call(e);
      case ExprKind::It: return {};
      // Structured data is left to the runtime (decimal arithmetic is the
      // back end's, and records, maps and lambdas fold nothing an error
      // could hide in).
      case ExprKind::Decimal:
      case ExprKind::Map:
      case ExprKind::Record:
      case ExprKind::Lambda:
      case ExprKind::OptionalField: return {};
    }
    return {};
  }

  /// An int value where the expression's type is float (`if c then 1 else 2.5`).
  static Value promote(Value v, const Expr& e) {
    if (v.kind == Value::Int && e.type && e.type->kind == TypeKind::Float)
      return Value::floating(static_cast<double>(v.i));
    if (e.type && e.type->kind == TypeKind::Decimal) return {};  // decimals are not folded
    return v;
  }

  Value binary(const Expr& e) {
    if (e.type && e.type->kind == TypeKind::Decimal) return {};  // decimals are not folded
    const Expr& lhs = *e.operands[0];
    const Expr& rhs = *e.operands[1];
    BinaryOp op = e.binary_op;
    // Short-circuit operators evaluate their right side only when needed.
    if (op == BinaryOp::And || op == BinaryOp::Or) {
      Value a = eval(lhs);
      if (a.kind != Value::Bool) return {};
      if ((op == BinaryOp::And) != (a.i != 0)) return a;
      return eval(rhs);
    }
    if (op == BinaryOp::Coalesce) {
      Value a = eval(lhs);
      if (!a.known()) return {};
      return promote(a.kind == Value::None ? eval(rhs) : a, e);
    }
    Value a = eval(lhs);
    Value b = eval(rhs);
    if (!a.known() || !b.known()) return {};
    switch (op) {
      case BinaryOp::Add:
      case BinaryOp::Sub:
      case BinaryOp::Mul:
      case BinaryOp::Div:
      case BinaryOp::Mod: return arithmetic(e, a, b);
      case BinaryOp::Eq:
      case BinaryOp::Ne: {
        auto same = equal(a, b);
        if (!same) return {};
        return Value::boolean(*same == (op == BinaryOp::Eq));
      }
      case BinaryOp::Lt:
      case BinaryOp::Le:
      case BinaryOp::Gt:
      case BinaryOp::Ge: {
        int order = 0;
        if (a.kind == Value::Int && b.kind == Value::Int)
          order = a.i < b.i ? -1 : a.i > b.i;
        else if (a.numeric() && b.numeric())
          order = a.as_double() < b.as_double() ? -1 : a.as_double() > b.as_double();
        else if (a.kind == Value::String && b.kind == Value::String)
          order = a.s.compare(b.s) < 0 ? -1 : a.s != b.s;
        else
          return {};
        bool result = op == BinaryOp::Lt   ? order < 0
                      : op == BinaryOp::Le ? order <= 0
                      : op == BinaryOp::Gt ? order > 0
                                           : order >= 0;
        return Value::boolean(result);
      }
      case BinaryOp::In:
      case BinaryOp::NotIn: {
        if (b.kind != Value::List) return {};
        bool found = false;
        for (const auto& item : b.items) {
          auto same = equal(a, item);
          if (!same) return {};
          found |= *same;
        }
        return Value::boolean(found == (op == BinaryOp::In));
      }
      default: return {};
    }
  }

  Value arithmetic(const Expr& e, const Value& a, const Value& b) {
    BinaryOp op = e.binary_op;
    if (a.kind == Value::String && b.kind == Value::String && op == BinaryOp::Add) {
      Value v;
      v.kind = Value::String;
      v.s = a.s + b.s;
      return v;
    }
    if (!a.numeric() || !b.numeric()) return {};
    bool divides = op == BinaryOp::Div || op == BinaryOp::Mod;
    if (divides && b.as_double() == 0) {
      return fail(e, op == BinaryOp::Div ? "division by zero" : "remainder of a division by zero");
    }
    if (a.kind == Value::Float || b.kind == Value::Float) {
      double x = a.as_double(), y = b.as_double();
      switch (op) {
        case BinaryOp::Add: return Value::floating(x + y);
        case BinaryOp::Sub: return Value::floating(x - y);
        case BinaryOp::Mul: return Value::floating(x * y);
        case BinaryOp::Div: return Value::floating(x / y);
        default: return Value::floating(std::fmod(x, y));
      }
    }
    int64_t out = 0;
    switch (op) {
      case BinaryOp::Add:
        if (__builtin_add_overflow(a.i, b.i, &out)) return overflow(e);
        break;
      case BinaryOp::Sub:
        if (__builtin_sub_overflow(a.i, b.i, &out)) return overflow(e);
        break;
      case BinaryOp::Mul:
        if (__builtin_mul_overflow(a.i, b.i, &out)) return overflow(e);
        break;
      case BinaryOp::Div:
        if (a.i == INT64_MIN && b.i == -1) return overflow(e);
        out = a.i / b.i;
        break;
      default:
        // INT64_MIN % -1 is 0 mathematically, but undefined in C++.
        out = b.i == -1 ? 0 : a.i % b.i;
        break;
    }
    return Value::integer(out);
  }

  Value call(const Expr& e) {
    const Expr& callee = *e.operands[0];
    if (callee.ref != RefKind::Builtin) return {};
    std::vector<Value> args;
    for (size_t k = 1; k < e.operands.size(); ++k) args.push_back(eval(*e.operands[k]));
    for (const auto& a : args) {
      if (!a.known()) return {};
    }
    switch (callee.builtin) {
      case Builtin::Len:
        if (args.size() == 1 && args[0].kind == Value::List)
          return Value::integer(static_cast<int64_t>(args[0].items.size()));
        return {};
      case Builtin::IsSome: return args.size() == 1 ? Value::boolean(args[0].kind != Value::None) : Value{};
      case Builtin::Abs:
        if (args.size() != 1) return {};
        if (args[0].kind == Value::Float) return Value::floating(std::fabs(args[0].f));
        if (args[0].i == INT64_MIN) return overflow(e);
        return Value::integer(args[0].i < 0 ? -args[0].i : args[0].i);
      case Builtin::Min:
      case Builtin::Max: {
        if (args.size() != 2 || !args[0].numeric() || !args[1].numeric()) return {};
        bool first = callee.builtin == Builtin::Min ? args[0].as_double() <= args[1].as_double()
                                                    : args[0].as_double() >= args[1].as_double();
        return promote(first ? args[0] : args[1], e);
      }
      case Builtin::Round:
      case Builtin::Floor:
      case Builtin::Ceil: {
        if (args.size() != 1) return {};
        if (args[0].kind == Value::Int) return args[0];
        double x = args[0].f;
        double r = callee.builtin == Builtin::Round   ? std::round(x)
                   : callee.builtin == Builtin::Floor ? std::floor(x)
                                                      : std::ceil(x);
        // 2^63 is exactly representable; anything at or past it is no int.
        if (std::isnan(r) || r < -9223372036854775808.0 || r >= 9223372036854775808.0) {
          return fail(e, "the result does not fit in an int");
        }
        return Value::integer(static_cast<int64_t>(r));
      }
      default: return {};  // string and calendar functions: left to the runtime
    }
  }

  DiagnosticEngine& diags_;
  std::string subject_;
  std::map<const ConstDecl*, Value> cache_;
  std::set<const ConstDecl*> in_progress_;
};

}  // namespace

void Checker::evaluate_constants() {
  Evaluator evaluator(diags_);
  for (auto& module : program_.modules) {
    for (auto& decl : module->decls) {
      if (auto* c = dyn_cast<ConstDecl>(decl.get())) {
        evaluator.constant(c);
      } else if (auto* e = dyn_cast<EventDecl>(decl.get())) {
        for (const auto& member : e->members) {
          if (!member.is_include && member.field.default_value) evaluator.field_default(member.field);
        }
      }
    }
  }
}

}  // namespace flow::check
