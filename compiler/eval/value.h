// Values of the reference interpreter and evaluation results. A Value is a
// tagged union of every Flow value: an optional T? is either none or a value
// of T (no separate "some" wrapper), a list owns its elements, an event is a
// pointer to an instance in its layout. A record owns its field values (in
// RecordInfo::fields order, none for an absent optional field); a map owns
// its keys and values, sorted by key bytewise.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "rt_abi/flow_rt.h"
#include "rt_abi/flow_rt_decimal.h"
#include "source/source_file.h"
#include "types/types.h"

namespace flow::eval {

enum class ValueKind : uint8_t {
  None,
  Bool,
  Int,
  Float,
  String,
  Timestamp,
  Duration,
  Enum,
  List,
  Event,
  Decimal,
  Record,
  Map
};
const char* to_string(ValueKind kind);

class Value {
 public:
  Value() = default;  // none
  static Value none() { return Value(); }
  static Value boolean(bool v);
  static Value integer(int64_t v);
  static Value floating(double v);
  static Value string(std::string v);
  static Value timestamp(int64_t micros);
  static Value duration(int64_t micros);
  static Value enumeration(int32_t member_index);
  static Value list(std::vector<Value> items);
  static Value event(const uint8_t* instance);
  static Value decimal(const FlowDecimal& v);
  /// Field values in declaration order.
  static Value record(std::vector<Value> fields);
  /// Keys sorted bytewise and unique, values[i] belonging to keys[i].
  static Value map(std::vector<std::string> keys, std::vector<Value> values);
  /// An int64 of kind Int, Timestamp or Duration, as `type` says.
  static Value int64_of(const Type* type, int64_t v);

  ValueKind kind() const { return kind_; }
  bool is_none() const { return kind_ == ValueKind::None; }
  bool as_bool() const { return int_ != 0; }
  int64_t as_int() const { return int_; }  // Int, Timestamp, Duration
  double as_float() const { return float_; }
  const std::string& as_string() const { return string_; }
  int32_t as_enum() const { return static_cast<int32_t>(int_); }
  const std::vector<Value>& as_list() const { return list_; }
  const uint8_t* as_event() const { return event_; }
  const FlowDecimal& as_decimal() const { return decimal_; }
  const std::vector<Value>& as_record() const { return list_; }  // field values
  const std::vector<std::string>& map_keys() const { return keys_; }
  const std::vector<Value>& map_values() const { return list_; }

  /// Flow's `==`: same kind and equal (IEEE for floats: NaN != NaN;
  /// structural for lists; none equals only none; events by identity;
  /// decimals by value: 1.0 == 1.00; records and maps structurally).
  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }
  /// Flow-like text without type information: enums print as `#index`.
  std::string to_string() const;

 private:
  ValueKind kind_ = ValueKind::None;
  int64_t int_ = 0;
  double float_ = 0;
  std::string string_;
  std::vector<Value> list_;  // list elements, record fields or map values
  std::vector<std::string> keys_;
  const uint8_t* event_ = nullptr;
  FlowDecimal decimal_{};
};

std::ostream& operator<<(std::ostream& out, const Value& value);

/// Flow literal text of a value of `type` (enum member names, e.g. Channel.Web).
std::string format_value(const Value& value, const Type* type);

/// Same numbering as FlowRtStatus, so runtime helper statuses map 1:1.
enum class EvalErrorKind : uint8_t {
  DivisionByZero = FLOW_RT_DIVISION_BY_ZERO,
  Overflow = FLOW_RT_OVERFLOW,
  IndexOutOfRange = FLOW_RT_INDEX_OUT_OF_RANGE,
  InvalidNumber = FLOW_RT_INVALID_NUMBER,
  AbsentValue = FLOW_RT_ABSENT_VALUE,
  OutOfMemory = FLOW_RT_OUT_OF_MEMORY,
  Internal = 100,  // malformed IR or input: a bug, reported instead of crashing
};
const char* to_string(EvalErrorKind kind);

struct EvalError {
  EvalErrorKind kind = EvalErrorKind::Internal;
  std::string message;   // "integer overflow in '+'"
  SourceRange range;     // the expression that failed
  std::string function;  // the IR function it failed in
};

/// A value or an evaluation error.
class EvalResult {
 public:
  static EvalResult success(Value value) {
    EvalResult r;
    r.ok_ = true;
    r.value_ = std::move(value);
    return r;
  }
  static EvalResult failure(EvalError error) {
    EvalResult r;
    r.error_ = std::move(error);
    return r;
  }
  bool ok() const { return ok_; }
  const Value& value() const { return value_; }
  const EvalError& error() const { return error_; }

 private:
  bool ok_ = false;
  Value value_;
  EvalError error_;
};

}  // namespace flow::eval
