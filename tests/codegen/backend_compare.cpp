// Result comparison for the dual-back-end tests.
#include "backend_compare.h"

#include <cmath>
#include <cstring>

namespace flow::testing {

namespace {
bool same_values(const std::vector<eval::Value>& x, const std::vector<eval::Value>& y) {
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!same_value(x[i], y[i])) return false;
  }
  return true;
}
}  // namespace

bool same_value(const eval::Value& a, const eval::Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case eval::ValueKind::None: return true;
    case eval::ValueKind::Float: {
      double x = a.as_float(), y = b.as_float();
      if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
      return std::memcmp(&x, &y, sizeof x) == 0;  // -0.0 and 0.0 differ here
    }
    case eval::ValueKind::String: return a.as_string() == b.as_string();
    case eval::ValueKind::List:
    case eval::ValueKind::Record:  // field values in declaration order
      return same_values(a.as_list(), b.as_list());
    case eval::ValueKind::Map: return a.map_keys() == b.map_keys() && same_values(a.map_values(), b.map_values());
    case eval::ValueKind::Event: return a.as_event() == b.as_event();
    case eval::ValueKind::Decimal:  // same bits: the exponent too (12.50 is not 12.5 here)
      return std::memcmp(&a.as_decimal(), &b.as_decimal(), sizeof(FlowDecimal)) == 0;
    default: return a.as_int() == b.as_int();
  }
}

bool same_result(const eval::EvalResult& a, const eval::EvalResult& b) {
  if (a.ok() != b.ok()) return false;
  if (a.ok()) return same_value(a.value(), b.value());
  const eval::EvalError& x = a.error();
  const eval::EvalError& y = b.error();
  return x.kind == y.kind && x.message == y.message && x.function == y.function && x.range.file == y.range.file &&
         x.range.begin == y.range.begin && x.range.end == y.range.end;
}

std::string describe(const eval::EvalResult& result) {
  if (result.ok()) return "value " + result.value().to_string();
  const eval::EvalError& e = result.error();
  std::string out = std::string("error ") + eval::to_string(e.kind) + ": " + e.message;
  if (e.range.valid()) {
    auto begin = e.range.file->line_column(e.range.begin);
    auto end = e.range.file->line_column(e.range.end);
    out += " at " + std::to_string(begin.line) + ":" + std::to_string(begin.column) + "-" + std::to_string(end.line) +
           ":" + std::to_string(end.column);
  }
  if (!e.function.empty()) out += " in " + e.function;
  return out;
}

}  // namespace flow::testing
