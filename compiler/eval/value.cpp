// Value construction, Flow equality and printing.
#include "eval/value.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ostream>

#include "base/time_format.h"

namespace flow::eval {

const char* to_string(ValueKind kind) {
  switch (kind) {
    case ValueKind::None: return "none";
    case ValueKind::Bool: return "bool";
    case ValueKind::Int: return "int";
    case ValueKind::Float: return "float";
    case ValueKind::String: return "string";
    case ValueKind::Timestamp: return "timestamp";
    case ValueKind::Duration: return "duration";
    case ValueKind::Enum: return "enum";
    case ValueKind::List: return "list";
    case ValueKind::Event: return "event";
    case ValueKind::Decimal: return "decimal";
    case ValueKind::Record: return "record";
    case ValueKind::Map: return "map";
  }
  return "?";
}

const char* to_string(EvalErrorKind kind) {
  switch (kind) {
    case EvalErrorKind::DivisionByZero: return "division by zero";
    case EvalErrorKind::Overflow: return "integer overflow";
    case EvalErrorKind::IndexOutOfRange: return "index out of range";
    case EvalErrorKind::InvalidNumber: return "invalid number";
    case EvalErrorKind::AbsentValue: return "absent value";
    case EvalErrorKind::OutOfMemory: return "out of memory";
    case EvalErrorKind::Internal: return "internal error";
  }
  return "?";
}

Value Value::boolean(bool v) {
  Value r;
  r.kind_ = ValueKind::Bool;
  r.int_ = v ? 1 : 0;
  return r;
}
Value Value::integer(int64_t v) {
  Value r;
  r.kind_ = ValueKind::Int;
  r.int_ = v;
  return r;
}
Value Value::floating(double v) {
  Value r;
  r.kind_ = ValueKind::Float;
  r.float_ = v;
  return r;
}
Value Value::string(std::string v) {
  Value r;
  r.kind_ = ValueKind::String;
  r.string_ = std::move(v);
  return r;
}
Value Value::timestamp(int64_t micros) {
  Value r = integer(micros);
  r.kind_ = ValueKind::Timestamp;
  return r;
}
Value Value::duration(int64_t micros) {
  Value r = integer(micros);
  r.kind_ = ValueKind::Duration;
  return r;
}
Value Value::enumeration(int32_t member_index) {
  Value r = integer(member_index);
  r.kind_ = ValueKind::Enum;
  return r;
}
Value Value::list(std::vector<Value> items) {
  Value r;
  r.kind_ = ValueKind::List;
  r.list_ = std::move(items);
  return r;
}
Value Value::event(const uint8_t* instance) {
  Value r;
  r.kind_ = ValueKind::Event;
  r.event_ = instance;
  return r;
}
Value Value::decimal(const FlowDecimal& v) {
  Value r;
  r.kind_ = ValueKind::Decimal;
  r.decimal_ = v;
  return r;
}
Value Value::record(std::vector<Value> fields) {
  Value r;
  r.kind_ = ValueKind::Record;
  r.list_ = std::move(fields);
  return r;
}
Value Value::map(std::vector<std::string> keys, std::vector<Value> values) {
  Value r;
  r.kind_ = ValueKind::Map;
  r.keys_ = std::move(keys);
  r.list_ = std::move(values);
  return r;
}
Value Value::int64_of(const Type* type, int64_t v) {
  if (type->kind == TypeKind::Timestamp) return timestamp(v);
  if (type->kind == TypeKind::Duration) return duration(v);
  return integer(v);
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case ValueKind::None: return true;
    case ValueKind::Float: return a.float_ == b.float_;
    case ValueKind::String: return a.string_ == b.string_;
    case ValueKind::List:
    case ValueKind::Record: return a.list_ == b.list_;
    case ValueKind::Map: return a.keys_ == b.keys_ && a.list_ == b.list_;
    case ValueKind::Event: return a.event_ == b.event_;
    case ValueKind::Decimal: return flow_rt_decimal_eq(&a.decimal_, &b.decimal_) != 0;
    default: return a.int_ == b.int_;
  }
}

namespace {

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string float_text(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  std::string text = buffer;
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

std::string format(const Value& value, const Type* type) {
  const Type* inner = type && type->is_optional() ? type->element : type;
  switch (value.kind()) {
    case ValueKind::None: return "none";
    case ValueKind::Bool: return value.as_bool() ? "true" : "false";
    case ValueKind::Int: return std::to_string(value.as_int());
    case ValueKind::Float: return float_text(value.as_float());
    case ValueKind::String: return quote(value.as_string());
    case ValueKind::Timestamp: return "@" + format_timestamp(value.as_int());
    case ValueKind::Duration: return format_duration(value.as_int());
    case ValueKind::Enum: {
      if (inner && inner->kind == TypeKind::Enum && value.as_enum() >= 0 &&
          static_cast<size_t>(value.as_enum()) < inner->enum_info->members.size()) {
        return inner->enum_info->name + "." + inner->enum_info->members[static_cast<size_t>(value.as_enum())];
      }
      return "#" + std::to_string(value.as_enum());
    }
    case ValueKind::List: {
      const Type* element = inner && inner->kind == TypeKind::List ? inner->element : nullptr;
      std::string out = "[";
      for (size_t i = 0; i < value.as_list().size(); ++i) {
        if (i) out += ", ";
        out += format(value.as_list()[i], element);
      }
      return out + "]";
    }
    case ValueKind::Event: return "<event>";
    case ValueKind::Record: {
      const RecordInfo* record = inner && inner->kind == TypeKind::Record ? inner->record_info : nullptr;
      std::string out = record ? record->name + " { " : "{ ";
      const auto& fields = value.as_record();
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ", ";
        bool named = record && i < record->fields.size();
        out += named ? record->fields[i].name : "#" + std::to_string(i);
        out += ": " + format(fields[i], named ? record->fields[i].type : nullptr);
      }
      return out + (fields.empty() ? "}" : " }");
    }
    case ValueKind::Map: {
      const Type* element = inner && inner->kind == TypeKind::Map ? inner->element : nullptr;
      std::string out = "{";
      for (size_t i = 0; i < value.map_keys().size(); ++i) {
        out += i ? ", " : "";
        out += quote(value.map_keys()[i]) + ": " + format(value.map_values()[i], element);
      }
      return out + "}";
    }
    case ValueKind::Decimal: {
      char buffer[FLOW_DECIMAL_TEXT_CAPACITY];
      return std::string(buffer, flow_rt_decimal_format(&value.as_decimal(), buffer)) + "d";
    }
  }
  return "?";
}

}  // namespace

std::string Value::to_string() const {
  return format(*this, nullptr);
}

std::string format_value(const Value& value, const Type* type) {
  return format(value, type);
}

std::ostream& operator<<(std::ostream& out, const Value& value) {
  return out << value.to_string();
}

}  // namespace flow::eval
