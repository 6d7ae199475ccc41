// The interpreter proper: the walk over the node tree and the scalar
// operations (evaluation.h); records, maps and the list functions are in
// structured_ops.cpp.
#include "eval/interpreter.h"

#include <cmath>
#include <stdexcept>

#include "eval/evaluation.h"
#include "eval/value_io.h"

namespace flow::eval {

using ir::Node;
using ir::Op;

Value Evaluation::call(const ir::Function& fn, const uint8_t* event, const Node* site) {
  if (!fn.body) fail(EvalErrorKind::Internal, "function '" + fn.name + "' was not lowered", site, nullptr);
  Frame frame{fn, event, std::vector<Value>(fn.local_count)};
  bool traced = context_.trace && (fn.kind == ir::FunctionKind::Rule || fn.kind == ir::FunctionKind::Decision);
  try {
    Value result = eval(*fn.body, frame);
    if (traced) context_.trace->push_back({&fn, true, result});
    return result;
  } catch (const Failure&) {
    if (traced) context_.trace->push_back({&fn, false, Value()});
    throw;
  }
}

void Evaluation::fail(EvalErrorKind kind, std::string message, const Node* node, const Frame* frame) {
  EvalError error;
  error.kind = kind;
  error.message = std::move(message);
  if (node) error.range = node->range;
  if (frame) error.function = frame->function.name;
  throw Failure{std::move(error)};
}

void Evaluation::check(int32_t status, const Node& node, const Frame& frame) {
  if (status == FLOW_RT_OK) return;
  std::string message = flow_rt_status_message(status);
  if (status == FLOW_RT_OVERFLOW || status == FLOW_RT_DIVISION_BY_ZERO) {
    message += std::string(" in '") + ir::to_string(node.op) + "'";
  }
  fail(static_cast<EvalErrorKind>(status), message, &node, &frame);
}

Arena& Evaluation::scratch() {
  if (!scratch_) scratch_ = std::make_unique<Arena>();
  return *scratch_;
}

namespace {

std::string take(const FlowStr& s) {
  return s.size ? std::string(s.data, s.size) : std::string();
}

Value compare(const Node& node, const Value& a, const Value& b) {
  if (a.kind() == ValueKind::Float) {
    double x = a.as_float(), y = b.as_float();  // every ordering with NaN is false
    switch (node.op) {
      case Op::Lt: return Value::boolean(x < y);
      case Op::Le: return Value::boolean(x <= y);
      case Op::Gt: return Value::boolean(x > y);
      default: return Value::boolean(x >= y);
    }
  }
  int c = order(a, b);
  switch (node.op) {
    case Op::Lt: return Value::boolean(c < 0);
    case Op::Le: return Value::boolean(c <= 0);
    case Op::Gt: return Value::boolean(c > 0);
    default: return Value::boolean(c >= 0);
  }
}

Value min_max(const Node& node, const Value& a, const Value& b) {
  bool is_min = node.op == Op::Min;
  if (a.kind() == ValueKind::Float) {
    return Value::floating(is_min ? flow_rt_float_min(a.as_float(), b.as_float())
                                  : flow_rt_float_max(a.as_float(), b.as_float()));
  }
  int c = order(a, b);
  // On a tie either is the answer; take the first.
  return is_min ? (c <= 0 ? a : b) : (c >= 0 ? a : b);
}

}  // namespace

int order(const Value& a, const Value& b) {
  if (a.kind() == ValueKind::Decimal) return flow_rt_decimal_compare(&a.as_decimal(), &b.as_decimal());
  if (a.kind() == ValueKind::String) {
    const auto &x = a.as_string(), &y = b.as_string();
    return flow_rt_str_compare(x.data(), x.size(), y.data(), y.size());
  }
  return a.as_int() < b.as_int() ? -1 : a.as_int() > b.as_int() ? 1 : 0;
}

Value Evaluation::eval(const Node& node, Frame& frame) {
  auto arg = [&](size_t i) { return eval(*node.operands[i], frame); };
  // Both operands, left first. Never `f(arg(0), arg(1))` or `arg(0) + arg(1)`:
  // C++ leaves that order unspecified (GCC goes right to left), and the
  // first error must be the left operand's (docs/evaluation.md).
  auto both = [&] {
    Value a = arg(0);
    Value b = arg(1);
    return std::make_pair(std::move(a), std::move(b));
  };
  switch (node.op) {
    case Op::ConstBool: return Value::boolean(node.int_value != 0);
    case Op::ConstInt: return Value::integer(node.int_value);
    case Op::ConstFloat: return Value::floating(node.float_value);
    case Op::ConstString: return Value::string(node.str_value);
    case Op::ConstTimestamp: return Value::timestamp(node.int_value);
    case Op::ConstDuration: return Value::duration(node.int_value);
    case Op::ConstEnum: return Value::enumeration(node.index);
    case Op::ConstNone: return Value::none();
    case Op::EventParam:
      if (!frame.event) fail(EvalErrorKind::Internal, "no event given to '" + frame.function.name + "'", &node, &frame);
      return Value::event(frame.event);
    case Op::Now: return Value::timestamp(context_.now_us);
    case Op::Local: return frame.locals.at(static_cast<size_t>(node.index));
    case Op::Let: frame.locals.at(static_cast<size_t>(node.index)) = arg(0); return arg(1);
    case Op::If: return arg(0).as_bool() ? arg(1) : arg(2);
    case Op::And: return Value::boolean(arg(0).as_bool() && arg(1).as_bool());
    case Op::Or: return Value::boolean(arg(0).as_bool() || arg(1).as_bool());
    case Op::Not: return Value::boolean(!arg(0).as_bool());
    case Op::MakeList: {
      std::vector<Value> items;
      for (size_t i = 0; i < node.operands.size(); ++i) items.push_back(arg(i));
      return Value::list(std::move(items));
    }
    case Op::LoadField: return load_field(node, frame);
    case Op::Call: {
      const ir::Function& callee = module_.function(node.index);
      const uint8_t* event = node.operands.empty() ? nullptr : arg(0).as_event();
      return call(callee, event, &node);
    }
    case Op::IntToFloat: return Value::floating(static_cast<double>(arg(0).as_int()));
    case Op::WrapSome:
    case Op::ConvertList: return arg(0);  // T and T? values look the same here
    case Op::IsSome: return Value::boolean(!arg(0).is_none());
    case Op::Unwrap: {
      Value v = arg(0);
      if (v.is_none()) fail(EvalErrorKind::AbsentValue, "the value is none", &node, &frame);
      return v;
    }
    case Op::IAdd:
    case Op::ISub:
    case Op::IMul:
    case Op::IDiv:
    case Op::IMod: {
      auto [a, b] = both();
      return int_binary(node, frame, a.as_int(), b.as_int());
    }
    case Op::INeg:
    case Op::IAbs: {
      int64_t out = 0;
      int64_t a = arg(0).as_int();
      check(node.op == Op::INeg ? flow_rt_int_neg(a, &out) : flow_rt_int_abs(a, &out), node, frame);
      return Value::int64_of(node.type, out);
    }
    case Op::FAdd:
    case Op::FSub:
    case Op::FMul: {
      auto [a, b] = both();
      double x = a.as_float(), y = b.as_float();
      return Value::floating(node.op == Op::FAdd ? x + y : node.op == Op::FSub ? x - y : x * y);
    }
    case Op::FDiv:
    case Op::FMod: {
      double a = arg(0).as_float(), b = arg(1).as_float(), out = 0;
      check(node.op == Op::FDiv ? flow_rt_float_div(a, b, &out) : flow_rt_float_mod(a, b, &out), node, frame);
      return Value::floating(out);
    }
    case Op::FNeg: return Value::floating(-arg(0).as_float());
    case Op::FAbs: return Value::floating(std::fabs(arg(0).as_float()));
    case Op::Eq:
    case Op::Ne: {
      auto [a, b] = both();
      return Value::boolean(node.op == Op::Eq ? a == b : a != b);
    }
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
      auto [a, b] = both();
      return compare(node, a, b);
    }
    case Op::Concat: {
      Value a = arg(0), b = arg(1);
      FlowStr out{};
      const auto &x = a.as_string(), &y = b.as_string();
      check(flow_rt_str_concat(scratch().get(), x.data(), x.size(), y.data(), y.size(), &out), node, frame);
      return Value::string(take(out));
    }
    case Op::StrLen: {
      Value s = arg(0);
      return Value::integer(flow_rt_str_len(s.as_string().data(), s.as_string().size()));
    }
    case Op::Lower:
    case Op::Upper: {
      Value s = arg(0);
      FlowStr out{};
      const auto& x = s.as_string();
      check(node.op == Op::Lower ? flow_rt_str_lower(scratch().get(), x.data(), x.size(), &out)
                                 : flow_rt_str_upper(scratch().get(), x.data(), x.size(), &out),
            node, frame);
      return Value::string(take(out));
    }
    case Op::StartsWith:
    case Op::EndsWith:
    case Op::StrContains: {
      Value a = arg(0), b = arg(1);
      const auto &s = a.as_string(), &p = b.as_string();
      auto helper = node.op == Op::StartsWith ? flow_rt_str_starts_with
                    : node.op == Op::EndsWith ? flow_rt_str_ends_with
                                              : flow_rt_str_contains;
      return Value::boolean(helper(s.data(), s.size(), p.data(), p.size()) != 0);
    }
    case Op::Matches: {
      Value s = arg(0);
      if (node.index < 0 || static_cast<uint32_t>(node.index) >= flow_rt_regex_table_size(regexes_)) {
        fail(EvalErrorKind::Internal, "unknown regex id", &node, &frame);
      }
      return Value::boolean(flow_rt_regex_match(regexes_, static_cast<uint32_t>(node.index), s.as_string().data(),
                                                s.as_string().size()) != 0);
    }
    case Op::ListLen: return Value::integer(static_cast<int64_t>(arg(0).as_list().size()));
    case Op::ListIndex: {
      Value list = arg(0);
      int64_t i = arg(1).as_int();
      const auto& items = list.as_list();
      if (i < 0 || static_cast<uint64_t>(i) >= items.size()) {
        fail(EvalErrorKind::IndexOutOfRange,
             "list index " + std::to_string(i) + " out of range for a list of " + std::to_string(items.size()), &node,
             &frame);
      }
      return items[static_cast<size_t>(i)];
    }
    case Op::ListContains: {
      Value list = arg(0), needle = arg(1);
      for (const Value& item : list.as_list()) {
        bool equal = node.flag ? static_cast<double>(item.as_int()) == needle.as_float() : item == needle;
        if (equal) return Value::boolean(true);
      }
      return Value::boolean(false);
    }
    case Op::Min:
    case Op::Max: {
      auto [a, b] = both();
      return min_max(node, a, b);
    }
    case Op::Round:
    case Op::Floor:
    case Op::Ceil: {
      if (node.operands[0]->type->is_decimal()) return decimal_round_to_int(node, frame, arg(0));
      double x = arg(0).as_float();
      int64_t out = 0;
      check(node.op == Op::Round   ? flow_rt_float_round(x, &out)
            : node.op == Op::Floor ? flow_rt_float_floor(x, &out)
                                   : flow_rt_float_ceil(x, &out),
            node, frame);
      return Value::integer(out);
    }
    case Op::Hour: return Value::integer(flow_rt_time_hour(arg(0).as_int()));
    case Op::Weekday: return Value::integer(flow_rt_time_weekday(arg(0).as_int()));
    case Op::Date: {
      int64_t out = 0;
      check(flow_rt_time_date(arg(0).as_int(), &out), node, frame);
      return Value::timestamp(out);
    }
    case Op::ConstDecimal:
    case Op::IntToDecimal:
    case Op::FloatToDecimal:
    case Op::DecimalToFloat:
    case Op::DAdd:
    case Op::DSub:
    case Op::DMul:
    case Op::DDiv:
    case Op::DRem:
    case Op::DNeg:
    case Op::DAbs:
    case Op::DRound: return decimal_op(node, frame);
    case Op::MakeRecord: {
      std::vector<Value> fields;
      fields.reserve(node.operands.size());
      for (size_t i = 0; i < node.operands.size(); ++i) fields.push_back(arg(i));
      return Value::record(std::move(fields));
    }
    case Op::MakeMap: return make_map(node, frame);
    case Op::MapIndex:
    case Op::MapHas:
    case Op::MapLen:
    case Op::MapKeys: return map_op(node, frame);
    case Op::ListAny:
    case Op::ListAll:
    case Op::ListCount:
    case Op::ListSum:
    case Op::ListMinOf:
    case Op::ListMaxOf:
    case Op::ListFilter:
    case Op::ListMap: return list_function(node, frame);
  }
  fail(EvalErrorKind::Internal, std::string("IR operation '") + ir::to_string(node.op) + "' is not supported", &node,
       &frame);
}

Value Evaluation::decimal_op(const Node& node, Frame& frame) {
  auto arg = [&](size_t i) { return eval(*node.operands[i], frame); };
  FlowDecimal out{};
  switch (node.op) {
    case Op::ConstDecimal:
      if (flow_rt_decimal_parse(node.str_value.data(), node.str_value.size(), &out) != FLOW_DECIMAL_PARSE_OK) {
        fail(EvalErrorKind::Internal, "bad decimal literal '" + node.str_value + "'", &node, &frame);
      }
      break;
    case Op::IntToDecimal: flow_rt_decimal_from_int(arg(0).as_int(), &out); break;
    case Op::FloatToDecimal: check(flow_rt_decimal_from_float(arg(0).as_float(), &out), node, frame); break;
    case Op::DecimalToFloat: return Value::floating(flow_rt_decimal_to_float(&arg(0).as_decimal()));
    case Op::DNeg: flow_rt_decimal_neg(&arg(0).as_decimal(), &out); break;
    case Op::DAbs: flow_rt_decimal_abs(&arg(0).as_decimal(), &out); break;
    case Op::DRound: {
      Value x = arg(0);
      int64_t places = arg(1).as_int();
      check(flow_rt_decimal_round(&x.as_decimal(), places, &out), node, frame);
      break;
    }
    default: {
      Value a = arg(0);
      Value b = arg(1);
      auto helper = node.op == Op::DAdd   ? flow_rt_decimal_add
                    : node.op == Op::DSub ? flow_rt_decimal_sub
                    : node.op == Op::DMul ? flow_rt_decimal_mul
                    : node.op == Op::DDiv ? flow_rt_decimal_div
                                          : flow_rt_decimal_rem;
      check(helper(&a.as_decimal(), &b.as_decimal(), &out), node, frame);
      break;
    }
  }
  return Value::decimal(out);
}

/// round(d) half-even, floor(d), ceil(d): to an int; InvalidNumber outside int64.
Value Evaluation::decimal_round_to_int(const Node& node, Frame& frame, const Value& x) {
  int64_t out = 0;
  if (node.op == Op::Floor) {
    check(flow_rt_decimal_floor(&x.as_decimal(), &out), node, frame);
  } else if (node.op == Op::Ceil) {
    check(flow_rt_decimal_ceil(&x.as_decimal(), &out), node, frame);
  } else {
    FlowDecimal whole{};
    check(flow_rt_decimal_round(&x.as_decimal(), 0, &whole), node, frame);
    check(flow_rt_decimal_to_int(&whole, &out), node, frame);
  }
  return Value::integer(out);
}

Value Evaluation::load_field(const Node& node, Frame& frame) {
  Value base = eval(*node.operands[0], frame);
  const Type* type = node.operands[0]->type;
  const layout::StructLayout* layout = nullptr;
  if (type->kind == TypeKind::Event && base.as_event()) {
    layout = &module_.layouts.of(type->event_info);
  } else if (type->kind == TypeKind::Record && base.kind() == ValueKind::Record) {
    layout = &layout::record_layout(*type->record_info);
  } else {
    fail(EvalErrorKind::Internal, "field read without an event or a record", &node, &frame);
  }
  if (node.index < 0 || static_cast<size_t>(node.index) >= layout->fields.size() ||
      layout->fields[static_cast<size_t>(node.index)].offset != node.offset) {
    fail(EvalErrorKind::Internal, "field read does not match the layout of " + layout->name(), &node, &frame);
  }
  if (type->kind == TypeKind::Event) return read_field(*layout, base.as_event(), node.index);
  const auto& fields = base.as_record();
  if (static_cast<size_t>(node.index) >= fields.size()) {
    fail(EvalErrorKind::Internal, "a record value without field #" + std::to_string(node.index), &node, &frame);
  }
  return fields[static_cast<size_t>(node.index)];
}

Value Evaluation::int_binary(const Node& node, const Frame& frame, int64_t a, int64_t b) {
  int64_t out = 0;
  int32_t status = FLOW_RT_OK;
  switch (node.op) {
    case Op::IAdd: status = flow_rt_int_add(a, b, &out); break;
    case Op::ISub: status = flow_rt_int_sub(a, b, &out); break;
    case Op::IMul: status = flow_rt_int_mul(a, b, &out); break;
    case Op::IDiv: status = flow_rt_int_div(a, b, &out); break;
    default: status = flow_rt_int_mod(a, b, &out); break;
  }
  check(status, node, frame);
  return Value::int64_of(node.type, out);
}

Interpreter::Interpreter(const ir::Module& module) : module_(module) {
  std::vector<FlowStr> patterns;
  for (const auto& p : module.regexes) patterns.push_back(FlowStr{p.data(), p.size()});
  uint32_t bad = 0;
  regexes_ = flow_rt_regex_table_create(patterns.data(), static_cast<uint32_t>(patterns.size()), &bad);
  if (!regexes_) {
    throw std::runtime_error(bad < module.regexes.size() ? "invalid regular expression: " + module.regexes[bad]
                                                         : std::string("cannot build the regex table"));
  }
}

Interpreter::~Interpreter() {
  flow_rt_regex_table_destroy(regexes_);
}

EvalResult Interpreter::run(const ir::Function& function, const uint8_t* event, const EvalContext& context) const {
  Evaluation evaluation(module_, regexes_, context);
  try {
    return EvalResult::success(evaluation.call(function, event, nullptr));
  } catch (const Failure& failure) {
    return EvalResult::failure(failure.error);
  } catch (const std::bad_alloc&) {
    return EvalResult::failure({EvalErrorKind::OutOfMemory, "out of memory", {}, function.name});
  } catch (const std::out_of_range& e) {
    return EvalResult::failure({EvalErrorKind::Internal, e.what(), {}, function.name});
  }
}

}  // namespace flow::eval
