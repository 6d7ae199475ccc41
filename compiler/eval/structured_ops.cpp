// The interpreter's maps and list functions (ir.h, "Records and maps" and
// "List functions"; docs/evaluation.md states the semantics). A map value
// keeps its keys sorted bytewise (std::string's order is unsigned bytewise,
// a proper prefix first, as flow_rt_str_compare's), so a look-up is a binary
// search. The list functions bind each element to the node's local and
// evaluate the body, in order; `any` and `all` stop at the element that
// decides and record it as the witness when the context asks for witnesses.
#include <algorithm>
#include <map>

#include "eval/evaluation.h"

namespace flow::eval {

using ir::Node;
using ir::Op;

Value Evaluation::make_map(const Node& node, Frame& frame) {
  // Left to right; a repeated key keeps its last value.
  std::map<std::string, Value> entries;
  for (size_t i = 0; i + 1 < node.operands.size(); i += 2) {
    Value key = eval(*node.operands[i], frame);
    Value value = eval(*node.operands[i + 1], frame);
    entries[key.as_string()] = std::move(value);
  }
  std::vector<std::string> keys;
  std::vector<Value> values;
  keys.reserve(entries.size());
  values.reserve(entries.size());
  for (auto& [key, value] : entries) {
    keys.push_back(key);
    values.push_back(std::move(value));
  }
  return Value::map(std::move(keys), std::move(values));
}

Value Evaluation::map_op(const Node& node, Frame& frame) {
  Value map = eval(*node.operands[0], frame);
  const auto& keys = map.map_keys();
  switch (node.op) {
    case Op::MapLen: return Value::integer(static_cast<int64_t>(keys.size()));
    case Op::MapKeys: {
      std::vector<Value> items;
      items.reserve(keys.size());
      for (const auto& key : keys) items.push_back(Value::string(key));
      return Value::list(std::move(items));
    }
    default: break;
  }
  Value key = eval(*node.operands[1], frame);
  auto it = std::lower_bound(keys.begin(), keys.end(), key.as_string());
  bool found = it != keys.end() && *it == key.as_string();
  if (node.op == Op::MapHas) return Value::boolean(found);
  return found ? map.map_values()[static_cast<size_t>(it - keys.begin())] : Value::none();
}

Value Evaluation::body_at(const Node& node, Frame& frame, const std::vector<Value>& items, size_t i) {
  frame.locals.at(static_cast<size_t>(node.index)) = items[i];
  return eval(*node.operands[1], frame);
}

Value Evaluation::list_function(const Node& node, Frame& frame) {
  Value list = eval(*node.operands[0], frame);
  const auto& items = list.as_list();
  auto witness = [&](size_t i) {
    if (context_.witnesses) context_.witnesses->push_back({&node, &frame.function, i, items[i]});
  };
  switch (node.op) {
    case Op::ListAny:
      for (size_t i = 0; i < items.size(); ++i) {
        if (body_at(node, frame, items, i).as_bool()) {
          witness(i);
          return Value::boolean(true);
        }
      }
      return Value::boolean(false);
    case Op::ListAll:
      for (size_t i = 0; i < items.size(); ++i) {
        if (!body_at(node, frame, items, i).as_bool()) {
          witness(i);
          return Value::boolean(false);
        }
      }
      return Value::boolean(true);
    case Op::ListCount: {
      int64_t count = 0;
      for (size_t i = 0; i < items.size(); ++i) count += body_at(node, frame, items, i).as_bool() ? 1 : 0;
      return Value::integer(count);
    }
    case Op::ListSum: return list_sum(node, frame, items);
    case Op::ListMinOf:
    case Op::ListMaxOf: return list_extreme(node, frame, items);
    case Op::ListFilter: {
      std::vector<Value> kept;
      for (size_t i = 0; i < items.size(); ++i) {
        if (body_at(node, frame, items, i).as_bool()) kept.push_back(items[i]);
      }
      return Value::list(std::move(kept));
    }
    case Op::ListMap: {
      std::vector<Value> mapped;
      mapped.reserve(items.size());
      for (size_t i = 0; i < items.size(); ++i) mapped.push_back(body_at(node, frame, items, i));
      return Value::list(std::move(mapped));
    }
    default: break;
  }
  fail(EvalErrorKind::Internal, std::string("'") + ir::to_string(node.op) + "' is not a list function", &node, &frame);
}

Value Evaluation::list_sum(const Node& node, Frame& frame, const std::vector<Value>& items) {
  switch (node.type->kind) {
    case TypeKind::Int: {
      int64_t sum = 0;
      for (size_t i = 0; i < items.size(); ++i) {
        int64_t x = body_at(node, frame, items, i).as_int();
        check(flow_rt_int_add(sum, x, &sum), node, frame);
      }
      return Value::integer(sum);
    }
    case TypeKind::Float: {
      double sum = 0.0;
      for (size_t i = 0; i < items.size(); ++i) sum += body_at(node, frame, items, i).as_float();
      return Value::floating(sum);
    }
    case TypeKind::Decimal: {
      FlowDecimal sum{};
      flow_rt_decimal_from_int(0, &sum);
      for (size_t i = 0; i < items.size(); ++i) {
        Value x = body_at(node, frame, items, i);
        check(flow_rt_decimal_add(&sum, &x.as_decimal(), &sum), node, frame);
      }
      return Value::decimal(sum);
    }
    default: break;
  }
  fail(EvalErrorKind::Internal, "sum() of " + node.type->to_string(), &node, &frame);
}

Value Evaluation::list_extreme(const Node& node, Frame& frame, const std::vector<Value>& items) {
  bool is_min = node.op == Op::ListMinOf;
  Value best;  // none until the first element
  for (size_t i = 0; i < items.size(); ++i) {
    Value x = body_at(node, frame, items, i);
    if (i == 0) {
      best = std::move(x);
    } else if (x.kind() == ValueKind::Float) {
      // As min()/max() of two floats: NaN wins, -0.0 is below 0.0.
      double a = best.as_float(), b = x.as_float();
      best = Value::floating(is_min ? flow_rt_float_min(a, b) : flow_rt_float_max(a, b));
    } else {
      int c = order(x, best);
      if (is_min ? c < 0 : c > 0) best = std::move(x);  // the first stays on ties
    }
  }
  return best;
}

}  // namespace flow::eval
