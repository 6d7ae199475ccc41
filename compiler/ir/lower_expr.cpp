// Lowering of expressions: each checked ast::Expr becomes a typed ir::Node
// tree in which every implicit step of language.md §6 is explicit: numeric
// promotion, optional wrapping, `??`, `in`, and which of the int, float or
// string operations an operator means.
#include <algorithm>

#include "ir/lower_internal.h"

namespace flow::ir {

using namespace ast;

NodePtr make(Op op, const Type* type, SourceRange range, std::vector<NodePtr> operands) {
  auto node = std::make_unique<Node>(op, type, range);
  node->operands = std::move(operands);
  return node;
}

namespace {

bool is_int64(const Type* t) {
  return t->kind == TypeKind::Int || t->kind == TypeKind::Timestamp || t->kind == TypeKind::Duration;
}

}  // namespace

const Type* Lowerer::concrete(const Type* type, SourceRange range) {
  if (!type || type->is_error()) throw LowerFailure("expression without a checked type", range);
  if (type->kind == TypeKind::Event || (type->is_optional() && type->element->kind == TypeKind::Event)) {
    if (!event_) throw LowerFailure("an event value outside a rule, decision, condition or emit", range);
    const Type* event = types_.event(&event_->info);
    return type->is_optional() ? types_.optional(event) : event;
  }
  if (type->kind == TypeKind::List) {
    const Type* element = type->element;
    while (element->kind == TypeKind::List || element->is_optional()) element = element->element;
    if (element->kind == TypeKind::Event) throw LowerFailure("lists of events are not supported", range);
  }
  return type;
}

const Type* Lowerer::type_of(const Expr& expr) {
  return concrete(expr.type, expr.range);
}

NodePtr Lowerer::event_param(SourceRange range) {
  if (!event_) throw LowerFailure("no event in scope", range);
  return make(Op::EventParam, types_.event(&event_->info), range);
}

NodePtr Lowerer::call(int function, NodePtr argument, SourceRange range) {
  auto node = make(Op::Call, module_.function(function).result, range);
  node->index = function;
  if (argument) node->operands.push_back(std::move(argument));
  return node;
}

NodePtr Lowerer::let(NodePtr value, const std::function<NodePtr(const std::function<NodePtr()>&)>& body) {
  int index = static_cast<int>(locals_++);
  const Type* type = value->type;
  SourceRange range = value->range;
  auto local = [&] {
    auto node = make(Op::Local, type, range);
    node->index = index;
    return node;
  };
  NodePtr inner = body(local);
  const Type* result = inner->type;  // read before the move below (argument order is unspecified)
  auto node = make(Op::Let, result, range, ops(std::move(value), std::move(inner)));
  node->index = index;
  return node;
}

int Lowerer::regex(const std::string& pattern) {
  auto& list = module_.regexes;
  auto it = std::find(list.begin(), list.end(), pattern);
  if (it != list.end()) return static_cast<int>(it - list.begin());
  list.push_back(pattern);
  return static_cast<int>(list.size() - 1);
}

NodePtr Lowerer::load_field(NodePtr base, const std::string& name, SourceRange range) {
  if (base->type->is_optional()) {
    const Type* inner = base->type->element;
    base = make(Op::Unwrap, inner, range, ops(std::move(base)));
  }
  const layout::StructLayout* layout = nullptr;
  int index = -1;
  if (base->type->kind == TypeKind::Record) {
    layout = &layout::record_layout(*base->type->record_info);
    index = base->type->record_info->field_index(name);
  } else {
    if (!event_ || base->type->kind != TypeKind::Event) throw LowerFailure("field access without an event", range);
    layout = &module_.layouts.of(&event_->info);
    index = event_->field_index(name);
  }
  if (index < 0) throw LowerFailure("'" + layout->name() + "' has no field '" + name + "'", range);
  const layout::FieldLayout& field = layout->fields[static_cast<size_t>(index)];
  auto node = make(Op::LoadField, field.type, range, ops(std::move(base)));
  node->index = index;
  node->offset = field.offset;
  return node;
}

NodePtr Lowerer::coerce(NodePtr node, const Type* to) {
  const Type* from = node->type;
  SourceRange range = node->range;
  if (from == to) return node;
  if (from->kind == TypeKind::Event && to->kind == TypeKind::Event) return node;  // F used as an included E
  if (to->is_optional()) {
    if (from->kind == TypeKind::NoneType) {
      if (node->op == Op::ConstNone) {
        node->type = to;
        return node;
      }
      // Still evaluated: an expression of type none can fail like any other.
      return let(std::move(node), [&](auto&) { return make(Op::ConstNone, to, range); });
    }
    if (from->is_optional()) {
      if (from->element->kind == TypeKind::Event && to->element->kind == TypeKind::Event) return node;
      return let(std::move(node), [&](const std::function<NodePtr()>& local) {
        NodePtr inner = coerce(make(Op::Unwrap, from->element, range, ops(local())), to->element);
        NodePtr some = make(Op::WrapSome, to, range, ops(std::move(inner)));
        return make(Op::If, to, range,
                    ops(make(Op::IsSome, types_.boolean(), range, ops(local())), std::move(some),
                        make(Op::ConstNone, to, range)));
      });
    }
    return make(Op::WrapSome, to, range, ops(coerce(std::move(node), to->element)));
  }
  if (from->kind == TypeKind::Int && to->kind == TypeKind::Float) {
    return make(Op::IntToFloat, to, range, ops(std::move(node)));
  }
  if (from->kind == TypeKind::Int && to->kind == TypeKind::Decimal) {
    return make(Op::IntToDecimal, to, range, ops(std::move(node)));
  }
  if (from->kind == TypeKind::List && to->kind == TypeKind::List) {
    if (node->op == Op::MakeList) {
      node->type = to;
      for (auto& element : node->operands) element = coerce(std::move(element), to->element);
      return node;
    }
    return make(Op::ConvertList, to, range, ops(std::move(node)));
  }
  if (from->kind == TypeKind::Map && to->kind == TypeKind::Map) return coerce_map(std::move(node), to);
  throw LowerFailure("cannot convert " + from->to_string() + " to " + to->to_string(), range);
}

NodePtr Lowerer::lower(const Expr& expr) {
  SourceRange range = expr.range;
  switch (expr.kind) {
    case ExprKind::Int: {
      auto node = make(Op::ConstInt, types_.integer(), range);
      node->int_value = expr.int_value;
      return node;
    }
    case ExprKind::Float: {
      auto node = make(Op::ConstFloat, types_.floating(), range);
      node->float_value = expr.float_value;
      return node;
    }
    case ExprKind::Decimal: {
      auto node = make(Op::ConstDecimal, types_.decimal(), range);
      node->str_value = expr.text;
      return node;
    }
    case ExprKind::String: {
      auto node = make(Op::ConstString, types_.string(), range);
      node->str_value = expr.text;
      return node;
    }
    case ExprKind::Bool: {
      auto node = make(Op::ConstBool, types_.boolean(), range);
      node->int_value = expr.int_value != 0;
      return node;
    }
    case ExprKind::None: return make(Op::ConstNone, types_.none(), range);
    case ExprKind::Duration:
    case ExprKind::Timestamp: {
      bool is_duration = expr.kind == ExprKind::Duration;
      auto node = make(is_duration ? Op::ConstDuration : Op::ConstTimestamp,
                       is_duration ? types_.duration() : types_.timestamp(), range);
      node->int_value = expr.int_value;
      return node;
    }
    case ExprKind::List: {
      const Type* type = type_of(expr);
      auto node = make(Op::MakeList, type, range);
      for (const auto& item : expr.operands) node->operands.push_back(coerce(lower(*item), type->element));
      return node;
    }
    case ExprKind::It: return event_param(range);
    case ExprKind::Name:
      switch (expr.ref) {
        case RefKind::Param: return event_param(range);
        case RefKind::LambdaParam: return lambda_param(expr);
        case RefKind::Const: return call(constant(static_cast<const ConstDecl*>(expr.ref_decl)), nullptr, range);
        case RefKind::Rule:
        case RefKind::Decision:  // a bare rule name in a condition: applied to `it`
          if (!event_) throw LowerFailure("a rule name outside a condition", range);
          return call(specialise(expr.ref_decl, event_), event_param(range), range);
        default: throw LowerFailure("unsupported name '" + expr.text + "'", range);
      }
    case ExprKind::Field: return lower_field(expr);
    case ExprKind::Call: return lower_call(expr);
    case ExprKind::Index: {
      if (expr.operands[0]->type && expr.operands[0]->type->kind == TypeKind::Map) return lower_map_index(expr);
      NodePtr list = lower(*expr.operands[0]);
      NodePtr index = lower(*expr.operands[1]);
      return make(Op::ListIndex, type_of(expr), range, ops(std::move(list), std::move(index)));
    }
    case ExprKind::Unary: {
      NodePtr operand = lower(*expr.operands[0]);
      if (expr.unary_op == UnaryOp::Not) return make(Op::Not, types_.boolean(), range, ops(std::move(operand)));
      TypeKind kind = operand->type->kind;
      Op op = kind == TypeKind::Float ? Op::FNeg : kind == TypeKind::Decimal ? Op::DNeg : Op::INeg;
      const Type* type = operand->type;
      return make(op, type, range, ops(std::move(operand)));
    }
    case ExprKind::Binary:
      if (expr.binary_op == BinaryOp::Coalesce) return lower_coalesce(expr);
      return lower_binary(expr);
    case ExprKind::If: {
      const Type* type = type_of(expr);
      NodePtr cond = lower(*expr.operands[0]);
      NodePtr a = coerce(lower(*expr.operands[1]), type);
      NodePtr b = coerce(lower(*expr.operands[2]), type);
      return make(Op::If, type, range, ops(std::move(cond), std::move(a), std::move(b)));
    }
    case ExprKind::Map: return lower_map(expr);
    case ExprKind::Record: return lower_record(expr);
    case ExprKind::OptionalField: return lower_optional_field(expr);
    case ExprKind::Lambda: throw LowerFailure("a lambda outside a list function", range);
  }
  throw LowerFailure("unsupported expression", range);
}

NodePtr Lowerer::lower_field(const Expr& expr) {
  SourceRange range = expr.range;
  switch (expr.ref) {
    case RefKind::EnumMember: {
      auto node = make(Op::ConstEnum, type_of(expr), range);
      node->index = expr.ref_index;
      return node;
    }
    case RefKind::Const: return call(constant(static_cast<const ConstDecl*>(expr.ref_decl)), nullptr, range);
    case RefKind::Rule:
    case RefKind::Decision:  // `module.Rule` as a bare condition
      if (!event_) throw LowerFailure("a rule name outside a condition", range);
      return call(specialise(expr.ref_decl, event_), event_param(range), range);
    default: break;
  }
  return load_field(lower(*expr.operands[0]), expr.text, range);
}

NodePtr Lowerer::lower_call(const Expr& expr) {
  const Expr& callee = *expr.operands[0];
  if (callee.ref == RefKind::Builtin) return lower_builtin(expr);
  if ((callee.ref == RefKind::Rule || callee.ref == RefKind::Decision) && expr.operands.size() == 2) {
    NodePtr argument = lower(*expr.operands[1]);
    if (argument->type->kind != TypeKind::Event) throw LowerFailure("a rule argument must be an event", expr.range);
    return call(specialise(callee.ref_decl, event_), std::move(argument), expr.range);
  }
  throw LowerFailure("unsupported call", expr.range);
}

NodePtr Lowerer::lower_builtin(const Expr& expr) {
  SourceRange range = expr.range;
  if (is_list_function(expr.operands[0]->builtin)) return lower_list_function(expr);
  const Type* type = type_of(expr);
  std::vector<NodePtr> args;
  // matches() keeps its pattern literal out of the operands: it is a table index.
  size_t arg_count = expr.operands[0]->builtin == Builtin::Matches ? 1 : expr.operands.size() - 1;
  for (size_t i = 1; i <= arg_count; ++i) args.push_back(lower(*expr.operands[i]));
  auto unary = [&](Op op) { return make(op, type, range, ops(std::move(args[0]))); };
  switch (expr.operands[0]->builtin) {
    case Builtin::Len: {
      TypeKind kind = args[0]->type->kind;
      return unary(kind == TypeKind::String ? Op::StrLen : kind == TypeKind::Map ? Op::MapLen : Op::ListLen);
    }
    case Builtin::Lower: return unary(Op::Lower);
    case Builtin::Upper: return unary(Op::Upper);
    case Builtin::StartsWith: return make(Op::StartsWith, type, range, std::move(args));
    case Builtin::EndsWith: return make(Op::EndsWith, type, range, std::move(args));
    case Builtin::Contains:
      if (args[0]->type->kind == TypeKind::String) return make(Op::StrContains, type, range, std::move(args));
      return lower_contains(std::move(args[0]), std::move(args[1]), range);
    case Builtin::Matches: {
      auto node = unary(Op::Matches);
      node->index = regex(expr.operands[2]->text);
      return node;
    }
    case Builtin::Abs: {
      TypeKind kind = args[0]->type->kind;
      return unary(kind == TypeKind::Float ? Op::FAbs : kind == TypeKind::Decimal ? Op::DAbs : Op::IAbs);
    }
    case Builtin::Min:
    case Builtin::Max: {
      NodePtr a = coerce(std::move(args[0]), type);
      NodePtr b = coerce(std::move(args[1]), type);
      return make(expr.operands[0]->builtin == Builtin::Min ? Op::Min : Op::Max, type, range,
                  ops(std::move(a), std::move(b)));
    }
    case Builtin::Round:
    case Builtin::Floor:
    case Builtin::Ceil: {
      if (args[0]->type->kind == TypeKind::Int) return std::move(args[0]);  // already whole
      Builtin b = expr.operands[0]->builtin;
      return unary(b == Builtin::Round ? Op::Round : b == Builtin::Floor ? Op::Floor : Op::Ceil);
    }
    case Builtin::IsSome: return unary(Op::IsSome);
    case Builtin::Hour: return unary(Op::Hour);
    case Builtin::Weekday: return unary(Op::Weekday);
    case Builtin::Date: return unary(Op::Date);
    case Builtin::Now: return make(Op::Now, type, range);
    case Builtin::Has: return make(Op::MapHas, type, range, std::move(args));
    case Builtin::Keys: return unary(Op::MapKeys);
    case Builtin::Any:
    case Builtin::All:
    case Builtin::Count:
    case Builtin::Sum:
    case Builtin::MinOf:
    case Builtin::MaxOf:
    case Builtin::Filter:
    case Builtin::MapEach: break;  // lower_list_function, above
    case Builtin::ToDecimal:
      if (args[0]->type->kind == TypeKind::Float) return unary(Op::FloatToDecimal);
      return coerce(std::move(args[0]), type);
    case Builtin::ToFloat:
      if (args[0]->type->kind == TypeKind::Decimal) return unary(Op::DecimalToFloat);
      return coerce(std::move(args[0]), type);
    case Builtin::RoundPlaces: return make(Op::DRound, type, range, std::move(args));
  }
  throw LowerFailure("unsupported builtin", range);
}

NodePtr Lowerer::lower_contains(NodePtr list, NodePtr needle, SourceRange range) {
  const Type* element = list->type->element;
  if (element->kind == TypeKind::Never) {
    // `x in []`: false, but both sides are still evaluated (they may fail).
    return let(std::move(list), [&](auto&) {
      return let(std::move(needle), [&](auto&) {
        auto node = make(Op::ConstBool, types_.boolean(), range);
        node->int_value = 0;
        return node;
      });
    });
  }
  bool promote_elements = element->kind == TypeKind::Int && needle->type->kind == TypeKind::Float;
  if (!promote_elements) needle = coerce(std::move(needle), element);
  auto node = make(Op::ListContains, types_.boolean(), range, ops(std::move(list), std::move(needle)));
  node->flag = promote_elements;
  return node;
}

NodePtr Lowerer::lower_coalesce(const Expr& expr) {
  const Type* type = type_of(expr);
  SourceRange range = expr.range;
  NodePtr a = lower(*expr.operands[0]);
  NodePtr b = lower(*expr.operands[1]);
  if (a->type->kind == TypeKind::NoneType) {
    // `none ?? b` is b, once the left side has been evaluated.
    return let(std::move(a), [&](auto&) { return coerce(std::move(b), type); });
  }
  const Type* inner = a->type->element;
  return let(std::move(a), [&](const std::function<NodePtr()>& local) {
    NodePtr value = coerce(make(Op::Unwrap, inner, range, ops(local())), type);
    return make(
        Op::If, type, range,
        ops(make(Op::IsSome, types_.boolean(), range, ops(local())), std::move(value), coerce(std::move(b), type)));
  });
}

NodePtr Lowerer::lower_binary(const Expr& expr) {
  SourceRange range = expr.range;
  BinaryOp op = expr.binary_op;
  NodePtr a = lower(*expr.operands[0]);
  NodePtr b = lower(*expr.operands[1]);
  const Type* boolean = types_.boolean();
  const Type* floating = types_.floating();
  auto number = [](const Type* t) { return t->is_numeric() || t->is_decimal(); };
  auto numeric_mix = [&] { return number(a->type) && number(b->type) && a->type != b->type; };
  // int widens to decimal where a decimal is involved, to float otherwise.
  auto widened = [&] { return a->type->is_decimal() || b->type->is_decimal() ? types_.decimal() : floating; };
  switch (op) {
    case BinaryOp::And: return make(Op::And, boolean, range, ops(std::move(a), std::move(b)));
    case BinaryOp::Or: return make(Op::Or, boolean, range, ops(std::move(a), std::move(b)));
    case BinaryOp::Add:
    case BinaryOp::Sub:
    case BinaryOp::Mul:
    case BinaryOp::Div:
    case BinaryOp::Mod: {
      const Type* type = type_of(expr);
      if (type->kind == TypeKind::String) return make(Op::Concat, type, range, ops(std::move(a), std::move(b)));
      static const Op kInt[] = {Op::IAdd, Op::ISub, Op::IMul, Op::IDiv, Op::IMod};
      static const Op kFloat[] = {Op::FAdd, Op::FSub, Op::FMul, Op::FDiv, Op::FMod};
      static const Op kDecimal[] = {Op::DAdd, Op::DSub, Op::DMul, Op::DDiv, Op::DRem};
      size_t i = static_cast<size_t>(op) - static_cast<size_t>(BinaryOp::Add);
      if (type->kind == TypeKind::Decimal) {
        return make(kDecimal[i], type, range, ops(coerce(std::move(a), type), coerce(std::move(b), type)));
      }
      if (type->kind == TypeKind::Float) {
        return make(kFloat[i], type, range, ops(coerce(std::move(a), floating), coerce(std::move(b), floating)));
      }
      if (!is_int64(a->type) || !is_int64(b->type)) throw LowerFailure("unsupported arithmetic operands", range);
      return make(kInt[i], type, range, ops(std::move(a), std::move(b)));
    }
    case BinaryOp::Eq:
    case BinaryOp::Ne:
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge: {
      if (numeric_mix()) {
        const Type* common = widened();
        a = coerce(std::move(a), common);
        b = coerce(std::move(b), common);
      } else if (a->type != b->type) {
        // One side is assignable to the other (none to T?, T to T?, [] to list<T>).
        if (is_assignable(b->type, a->type))
          b = coerce(std::move(b), a->type);
        else
          a = coerce(std::move(a), b->type);
      }
      static const Op kCompare[] = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
      size_t i = static_cast<size_t>(op) - static_cast<size_t>(BinaryOp::Eq);
      return make(kCompare[i], boolean, range, ops(std::move(a), std::move(b)));
    }
    case BinaryOp::In:
    case BinaryOp::NotIn: {
      NodePtr test = lower_contains(std::move(b), std::move(a), range);
      if (op == BinaryOp::In) return test;
      return make(Op::Not, boolean, range, ops(std::move(test)));
    }
    case BinaryOp::Coalesce: break;  // lower_coalesce
  }
  throw LowerFailure("unsupported operator", range);
}

}  // namespace flow::ir
