// The checking half of the decimal differential test: reads the cases
// decimal_differential.py computed with Python's `decimal` module (one per
// line on stdin, `op operands... expected`), runs each through flow_rt's
// decimal functions and reports every disagreement. Exits 1 when any case
// disagrees or a line cannot be read, else 0, after printing how many
// cases of each operation it checked.
//
// Operands are decimal texts (parsed with flow_rt_decimal_parse, which must
// succeed), ints in decimal, and doubles as C99 hex floats (`%a`, which
// strtod reads exactly). Expected results are Python's str() of the
// decimal, `-1`/`0`/`1` for comparisons, an int, a hex float, or an error:
// `!error` (parse), `!overflow`, `!div0`, `!invalid`. Beyond Python's
// answers it checks its own invariants: `eq` and the sign of `compare`
// agree, and equal values hash alike.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "rt_abi/flow_rt_decimal.h"

namespace {

std::string text(const FlowDecimal& x) {
  char buffer[FLOW_DECIMAL_TEXT_CAPACITY];
  uint32_t n = flow_rt_decimal_format(&x, buffer);
  return std::string(buffer, n);
}

std::string status_text(int32_t status) {
  switch (status) {
    case FLOW_RT_OVERFLOW: return "!overflow";
    case FLOW_RT_DIVISION_BY_ZERO: return "!div0";
    case FLOW_RT_INVALID_NUMBER: return "!invalid";
  }
  return "!status" + std::to_string(status);
}

// An operand that must parse.
bool operand(const std::string& s, FlowDecimal& out) {
  return flow_rt_decimal_parse(s.data(), s.size(), &out) == FLOW_DECIMAL_PARSE_OK;
}

std::string hex_float(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", v);
  return buffer;
}

bool same_double(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

using Binary = int32_t (*)(const FlowDecimal*, const FlowDecimal*, FlowDecimal*);

const std::map<std::string, Binary>& binary_ops() {
  static const std::map<std::string, Binary> ops = {
      {"add", flow_rt_decimal_add}, {"sub", flow_rt_decimal_sub}, {"mul", flow_rt_decimal_mul},
      {"div", flow_rt_decimal_div}, {"rem", flow_rt_decimal_rem},
  };
  return ops;
}

// Runs one case; returns what flow_rt computed, or "?" + a reason when the
// line is malformed. `expected` is the last field.
std::string run(const std::string& op, const std::vector<std::string>& args, const std::string& expected) {
  FlowDecimal a{}, b{}, r{};
  auto need = [&](size_t n) { return args.size() == n; };
  if (op == "parse" && need(1)) {
    int32_t status = flow_rt_decimal_parse(args[0].data(), args[0].size(), &r);
    return status == FLOW_DECIMAL_PARSE_OK ? text(r) : "!error";
  }
  if (auto it = binary_ops().find(op); it != binary_ops().end() && need(2)) {
    if (!operand(args[0], a) || !operand(args[1], b)) return "?operand does not parse";
    int32_t status = it->second(&a, &b, &r);
    return status == FLOW_RT_OK ? text(r) : status_text(status);
  }
  if ((op == "cmp" || op == "min" || op == "max") && need(2)) {
    if (!operand(args[0], a) || !operand(args[1], b)) return "?operand does not parse";
    if (op == "min") {
      flow_rt_decimal_min(&a, &b, &r);
      return text(r);
    }
    if (op == "max") {
      flow_rt_decimal_max(&a, &b, &r);
      return text(r);
    }
    int32_t c = flow_rt_decimal_compare(&a, &b);
    if (flow_rt_decimal_eq(&a, &b) != (c == 0 ? 1 : 0)) return "?eq disagrees with compare";
    if (c == 0 && flow_rt_decimal_hash(&a) != flow_rt_decimal_hash(&b)) return "?equal values hash differently";
    if (flow_rt_decimal_compare(&b, &a) != -c) return "?compare is not antisymmetric";
    return std::to_string(c);
  }
  if (op == "round" && need(2)) {
    if (!operand(args[0], a)) return "?operand does not parse";
    int64_t places = std::strtoll(args[1].c_str(), nullptr, 10);
    int32_t status = flow_rt_decimal_round(&a, places, &r);
    return status == FLOW_RT_OK ? text(r) : status_text(status);
  }
  if ((op == "floor" || op == "ceil") && need(1)) {
    if (!operand(args[0], a)) return "?operand does not parse";
    int64_t v = 0;
    int32_t status = op == "floor" ? flow_rt_decimal_floor(&a, &v) : flow_rt_decimal_ceil(&a, &v);
    return status == FLOW_RT_OK ? std::to_string(v) : status_text(status);
  }
  if ((op == "neg" || op == "abs" || op == "toint" || op == "tofloat") && need(1)) {
    if (!operand(args[0], a)) return "?operand does not parse";
    if (op == "neg") flow_rt_decimal_neg(&a, &r);
    if (op == "abs") flow_rt_decimal_abs(&a, &r);
    if (op == "toint") {
      int64_t v = 0;
      int32_t status = flow_rt_decimal_to_int(&a, &v);
      return status == FLOW_RT_OK ? std::to_string(v) : status_text(status);
    }
    if (op == "tofloat") {
      double v = flow_rt_decimal_to_float(&a);
      double want = std::strtod(expected.c_str(), nullptr);
      return same_double(v, want) ? expected : hex_float(v);
    }
    return text(r);
  }
  if (op == "fromint" && need(1)) {
    flow_rt_decimal_from_int(std::strtoll(args[0].c_str(), nullptr, 10), &r);
    return text(r);
  }
  if (op == "fromfloat" && need(1)) {
    int32_t status = flow_rt_decimal_from_float(std::strtod(args[0].c_str(), nullptr), &r);
    return status == FLOW_RT_OK ? text(r) : status_text(status);
  }
  return "?unknown operation or wrong operand count";
}

}  // namespace

int main() {
  std::map<std::string, uint64_t> counts;
  uint64_t failures = 0, total = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::vector<std::string> parts;
    for (std::string f; fields >> f;) parts.push_back(f);
    if (parts.size() < 3) {
      std::cerr << "malformed line: " << line << "\n";
      return 1;
    }
    std::string op = parts.front();
    std::string expected = parts.back();
    std::vector<std::string> args(parts.begin() + 1, parts.end() - 1);
    std::string got = run(op, args, expected);
    ++total;
    ++counts[op];
    if (got != expected) {
      if (++failures <= 20) std::cerr << "MISMATCH " << line << "  got " << got << "\n";
    }
  }
  for (const auto& [op, n] : counts) std::cout << op << ": " << n << "\n";
  std::cout << total << " cases, " << failures << " disagree with Python\n";
  return failures == 0 && total > 0 ? 0 : 1;
}
