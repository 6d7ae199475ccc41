// Op and FunctionKind names, Module look-ups, and node cloning.
#include "ir/ir.h"

namespace flow::ir {

const char* to_string(Op op) {
  switch (op) {
    case Op::ConstBool: return "bool";
    case Op::ConstInt: return "int";
    case Op::ConstFloat: return "float";
    case Op::ConstString: return "string";
    case Op::ConstTimestamp: return "timestamp";
    case Op::ConstDuration: return "duration";
    case Op::ConstEnum: return "enum";
    case Op::ConstNone: return "none";
    case Op::EventParam: return "event";
    case Op::Now: return "now";
    case Op::Local: return "local";
    case Op::Let: return "let";
    case Op::If: return "if";
    case Op::And: return "and";
    case Op::Or: return "or";
    case Op::Not: return "not";
    case Op::MakeList: return "list";
    case Op::LoadField: return "field";
    case Op::Call: return "call";
    case Op::IntToFloat: return "int_to_float";
    case Op::WrapSome: return "some";
    case Op::IsSome: return "is_some";
    case Op::Unwrap: return "unwrap";
    case Op::ConvertList: return "convert_list";
    case Op::IAdd: return "iadd";
    case Op::ISub: return "isub";
    case Op::IMul: return "imul";
    case Op::IDiv: return "idiv";
    case Op::IMod: return "imod";
    case Op::INeg: return "ineg";
    case Op::IAbs: return "iabs";
    case Op::FAdd: return "fadd";
    case Op::FSub: return "fsub";
    case Op::FMul: return "fmul";
    case Op::FDiv: return "fdiv";
    case Op::FMod: return "fmod";
    case Op::FNeg: return "fneg";
    case Op::FAbs: return "fabs";
    case Op::Eq: return "eq";
    case Op::Ne: return "ne";
    case Op::Lt: return "lt";
    case Op::Le: return "le";
    case Op::Gt: return "gt";
    case Op::Ge: return "ge";
    case Op::Concat: return "concat";
    case Op::StrLen: return "str_len";
    case Op::Lower: return "lower";
    case Op::Upper: return "upper";
    case Op::StartsWith: return "starts_with";
    case Op::EndsWith: return "ends_with";
    case Op::StrContains: return "str_contains";
    case Op::Matches: return "matches";
    case Op::ListLen: return "list_len";
    case Op::ListIndex: return "list_index";
    case Op::ListContains: return "list_contains";
    case Op::Min: return "min";
    case Op::Max: return "max";
    case Op::Round: return "round";
    case Op::Floor: return "floor";
    case Op::Ceil: return "ceil";
    case Op::Hour: return "hour";
    case Op::Weekday: return "weekday";
    case Op::Date: return "date";
    case Op::ConstDecimal: return "decimal";
    case Op::IntToDecimal: return "int_to_decimal";
    case Op::FloatToDecimal: return "float_to_decimal";
    case Op::DecimalToFloat: return "decimal_to_float";
    case Op::DAdd: return "dadd";
    case Op::DSub: return "dsub";
    case Op::DMul: return "dmul";
    case Op::DDiv: return "ddiv";
    case Op::DNeg: return "dneg";
    case Op::DAbs: return "dabs";
    case Op::DRound: return "dround";
    case Op::MakeRecord: return "make_record";
    case Op::MakeMap: return "make_map";
    case Op::MapIndex: return "map_index";
    case Op::MapHas: return "map_has";
    case Op::MapLen: return "map_len";
    case Op::MapKeys: return "map_keys";
    case Op::ListAny: return "list_any";
    case Op::ListAll: return "list_all";
    case Op::ListCount: return "list_count";
    case Op::ListSum: return "list_sum";
    case Op::ListMinOf: return "list_min_of";
    case Op::ListMaxOf: return "list_max_of";
    case Op::ListFilter: return "list_filter";
    case Op::ListMap: return "list_map";
    case Op::DRem: return "drem";
  }
  return "?";
}

bool is_list_function(Op op) {
  return op >= Op::ListAny && op <= Op::ListMap;
}

const char* to_string(FunctionKind kind) {
  switch (kind) {
    case FunctionKind::Rule: return "rule";
    case FunctionKind::Decision: return "decision";
    case FunctionKind::Const: return "const";
    case FunctionKind::Condition: return "condition";
    case FunctionKind::EmitInit: return "emit_init";
    case FunctionKind::EmitGuard: return "emit_guard";
    case FunctionKind::FieldDefault: return "default";
  }
  return "?";
}

namespace {
template <typename Map, typename Key>
const Function* find(const Module& module, const Map& map, const Key& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &module.function(it->second);
}
}  // namespace

const Function* Module::field_default(const EventInfo* event, int field) const {
  return find(*this, field_defaults, std::make_pair(event, field));
}

const Function* Module::field_default(const RecordInfo* record, int field) const {
  return find(*this, record_field_defaults, std::make_pair(record, field));
}

const EmitPlan* Module::emit(const std::string& service, int emit_index, const EventInfo* trigger) const {
  auto it = this->emit_index.find({service, emit_index, trigger});
  return it == this->emit_index.end() ? nullptr : &emits[it->second];
}

NodePtr clone(const Node& node) {
  auto copy = std::make_unique<Node>(node.op, node.type, node.range);
  copy->int_value = node.int_value;
  copy->float_value = node.float_value;
  copy->str_value = node.str_value;
  copy->index = node.index;
  copy->offset = node.offset;
  copy->flag = node.flag;
  for (const auto& operand : node.operands) copy->operands.push_back(clone(*operand));
  return copy;
}

}  // namespace flow::ir
