// Lowering of structured data (language.md §4.1): record literals with
// spreads and defaults, map literals and look-ups, optional paths `a?.f`,
// and the list functions with their lambdas. docs/ir.md lists the nodes.
//
// Evaluation order stays the source's: a record literal's initialisers and
// spread sources are evaluated once each, left to right, before the record
// is built (bound to locals where the record's field order differs), and
// then the defaults of the fields nothing initialised. A lambda's parameter
// is a Local of the enclosing function, bound per element by the list node.
#include <algorithm>

#include "ir/lower_internal.h"

namespace flow::ir {

using namespace ast;

namespace {

/// Whether evaluating `node` can neither fail nor depend on order: it may
/// then be copied instead of bound to a local.
bool is_constant(const Node& node) {
  switch (node.op) {
    case Op::ConstBool:
    case Op::ConstInt:
    case Op::ConstFloat:
    case Op::ConstString:
    case Op::ConstTimestamp:
    case Op::ConstDuration:
    case Op::ConstEnum:
    case Op::ConstNone:
    case Op::ConstDecimal:
    case Op::EventParam:
    case Op::Local: return true;
    default: return false;
  }
}

}  // namespace

NodePtr Lowerer::let_each(std::vector<NodePtr> values,
                          const std::function<NodePtr(const std::vector<std::function<NodePtr()>>&)>& body) {
  std::vector<std::function<NodePtr()>> getters;
  std::vector<int> slots(values.size(), -1);
  for (size_t i = 0; i < values.size(); ++i) {
    const Node* value = values[i].get();
    if (is_constant(*value)) {
      getters.emplace_back([value] { return clone(*value); });
      continue;
    }
    int slot = static_cast<int>(locals_++);
    slots[i] = slot;
    const Type* type = value->type;
    SourceRange range = value->range;
    getters.emplace_back([slot, type, range] {
      auto local = make(Op::Local, type, range);
      local->index = slot;
      return local;
    });
  }
  NodePtr result = body(getters);
  // The lets wrap the body innermost-last, so the first value is bound first.
  for (size_t i = values.size(); i-- > 0;) {
    if (slots[i] < 0) continue;
    SourceRange range = values[i]->range;
    const Type* type = result->type;
    auto let = make(Op::Let, type, range);
    let->operands.push_back(std::move(values[i]));
    let->operands.push_back(std::move(result));
    let->index = slots[i];
    result = std::move(let);
  }
  return result;
}

NodePtr Lowerer::lower_optional_field(const Expr& expr) {
  SourceRange range = expr.range;
  NodePtr base = lower(*expr.operands[0]);
  // `?.` on a value that is never absent is an ordinary read (a warning).
  if (!base->type->is_optional()) return load_field(std::move(base), expr.text, range);
  const Type* result = type_of(expr);
  const Type* inner = base->type->element;
  return let(std::move(base), [&](const std::function<NodePtr()>& local) {
    // An optional field already is the T? the path yields: no double wrap.
    NodePtr read = coerce(load_field(make(Op::Unwrap, inner, range, ops(local())), expr.text, range), result);
    return make(Op::If, result, range,
                ops(make(Op::IsSome, types_.boolean(), range, ops(local())), std::move(read),
                    make(Op::ConstNone, result, range)));
  });
}

NodePtr Lowerer::lower_record(const Expr& expr) {
  SourceRange range = expr.range;
  const Type* type = type_of(expr);
  auto* decl = dyn_cast<RecordDecl>(expr.type_name.resolved);
  if (type->kind != TypeKind::Record || !decl) throw LowerFailure("a record literal without its record", range);
  const RecordInfo& info = *type->record_info;
  size_t count = expr.inits.size();

  // Which initialiser sets each field: its own, else the last spread that
  // has a field of that name (checked against the spread's declared type).
  std::vector<int> source(info.fields.size(), -1);
  bool spreads = false;
  bool in_field_order = true;
  int previous = -1;
  for (size_t i = 0; i < count; ++i) {
    if (expr.inits[i].is_spread) {
      spreads = true;
      continue;
    }
    int field = expr.init_fields.at(i);
    source.at(static_cast<size_t>(field)) = static_cast<int>(i);
    in_field_order &= field > previous;
    previous = field;
  }
  for (size_t f = 0; f < info.fields.size(); ++f) {
    if (source[f] >= 0) continue;
    for (size_t i = count; i-- > 0;) {
      if (!expr.inits[i].is_spread) continue;
      const FieldTable* from = fields_of(expr.operands[i]->type);
      if (from && from->field_index(info.fields[f].name) >= 0) {
        source[f] = static_cast<int>(i);
        break;
      }
    }
  }

  std::vector<NodePtr> values;
  for (size_t i = 0; i < count; ++i) values.push_back(lower(*expr.operands[i]));
  auto build = [&](const std::function<NodePtr(size_t)>& value_of) {
    auto record = make(Op::MakeRecord, type, range);
    for (size_t f = 0; f < info.fields.size(); ++f) {
      const FieldInfo& field = info.fields[f];
      NodePtr value;
      if (source[f] >= 0) {
        auto i = static_cast<size_t>(source[f]);
        value = value_of(i);
        if (expr.inits[i].is_spread) value = load_field(std::move(value), field.name, expr.inits[i].range);
        value = coerce(std::move(value), field.type);
      } else if (field.has_default) {
        const RecordField& declared = decl->fields.at(f);
        value = call(field_default(declared.decl, declared.owner, field.type), nullptr, range);
      } else if (field.type->is_optional()) {
        value = make(Op::ConstNone, field.type, range);
      } else {
        throw LowerFailure(info.name + " { ... } does not initialise '" + field.name + "'", range);
      }
      record->operands.push_back(std::move(value));
    }
    return record;
  };
  if (!spreads && in_field_order) {
    // Each initialiser is read once, in field order, which is the source's.
    return build([&](size_t i) { return std::move(values[i]); });
  }
  return let_each(std::move(values), [&](const std::vector<std::function<NodePtr()>>& get) {
    return build([&](size_t i) { return get[i](); });
  });
}

NodePtr Lowerer::lower_map(const Expr& expr) {
  const Type* type = type_of(expr);
  auto node = make(Op::MakeMap, type, expr.range);
  for (size_t i = 0; i + 1 < expr.operands.size(); i += 2) {
    node->operands.push_back(lower(*expr.operands[i]));
    node->operands.push_back(coerce(lower(*expr.operands[i + 1]), type->element));
  }
  return node;
}

NodePtr Lowerer::coerce_map(NodePtr node, const Type* to) {
  SourceRange range = node->range;
  if (node->op == Op::MakeMap) {
    node->type = to;
    for (size_t i = 1; i < node->operands.size(); i += 2) {
      node->operands[i] = coerce(std::move(node->operands[i]), to->element);
    }
    return node;
  }
  // A map<string, never> is always empty: evaluated, then an empty map.
  if (node->type->element->kind == TypeKind::Never) {
    return let(std::move(node), [&](auto&) { return make(Op::MakeMap, to, range); });
  }
  throw LowerFailure("converting a " + node->type->to_string() + " to " + to->to_string() + " is not supported", range);
}

NodePtr Lowerer::lower_map_index(const Expr& expr) {
  NodePtr map = lower(*expr.operands[0]);
  NodePtr key = lower(*expr.operands[1]);
  return make(Op::MapIndex, type_of(expr), expr.range, ops(std::move(map), std::move(key)));
}

NodePtr Lowerer::lambda_param(const Expr& expr) {
  auto it = lambda_locals_.find(expr.binder);
  if (it == lambda_locals_.end() || expr.ref_index != 0) {
    throw LowerFailure("'" + expr.text + "' is not the parameter of a lambda being lowered", expr.range);
  }
  auto node = make(Op::Local, it->second.second, expr.range);
  node->index = it->second.first;
  return node;
}

NodePtr Lowerer::lower_list_function(const Expr& expr) {
  SourceRange range = expr.range;
  Builtin builtin = expr.operands[0]->builtin;
  const Expr& lambda = *expr.operands.at(2);
  if (lambda.kind != ExprKind::Lambda || lambda.params.size() != 1) {
    throw LowerFailure("a list function without its lambda", range);
  }
  const Type* type = type_of(expr);
  NodePtr list = lower(*expr.operands[1]);
  if (list->type->kind != TypeKind::List) throw LowerFailure("a list function over a non-list", range);
  int slot = static_cast<int>(locals_++);
  lambda_locals_[&lambda] = {slot, list->type->element};
  NodePtr body = lower(*lambda.operands[0]);
  lambda_locals_.erase(&lambda);
  Op op = Op::ListAny;
  switch (builtin) {
    case Builtin::Any: op = Op::ListAny; break;
    case Builtin::All: op = Op::ListAll; break;
    case Builtin::Count: op = Op::ListCount; break;
    case Builtin::Sum: op = Op::ListSum; break;
    case Builtin::MinOf: op = Op::ListMinOf; break;
    case Builtin::MaxOf: op = Op::ListMaxOf; break;
    case Builtin::Filter: op = Op::ListFilter; break;
    case Builtin::MapEach:
      op = Op::ListMap;
      body = coerce(std::move(body), type->element);
      break;
    default: throw LowerFailure("not a list function", range);
  }
  if (op == Op::ListSum) body = coerce(std::move(body), type);
  if (op == Op::ListMinOf || op == Op::ListMaxOf) body = coerce(std::move(body), type->element);
  auto node = make(op, type, range, ops(std::move(list), std::move(body)));
  node->index = slot;
  return node;
}

}  // namespace flow::ir
