// The random rule and event generator of random_program.h.
#include "random_program.h"

#include <cmath>
#include <limits>
#include <regex>

#include "rt_abi/flow_rt_decimal.h"

namespace flow::difftest {

namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kDay = 86'400 * kSecond;

const std::vector<std::string> kIntLiterals = {"0",
                                               "1",
                                               "2",
                                               "3",
                                               "7",
                                               "-1",
                                               "-3",
                                               "100",
                                               "1000000",
                                               "9223372036854775807",
                                               "(-9223372036854775807 - 1)",
                                               "4611686018427387904"};
const std::vector<std::string> kFloatLiterals = {"0.0",
                                                 "-0.0",
                                                 "0.5",
                                                 "1.5",
                                                 "2.5",
                                                 "-2.5",
                                                 "0.1",
                                                 "3.0",
                                                 "1e308",
                                                 "1e-308",
                                                 "9.3e18",
                                                 "(1e308 * 10.0)",
                                                 "(-1e308 * 10.0)",
                                                 "(1e308 * 10.0 - 1e308 * 10.0)"};
const std::vector<std::string> kDecimalLiterals = {
    "0.0d", "12.50d", "0.1d", "0.2d", "-2.5d", "100.00d", "1.000d", "99999999999999999999999999999999.99d"};
const std::vector<std::string> kStringLiterals = {
    "\"\"",   "\"a\"",  "\"hello\"",    "\"h\\u{e9}llo\"", "\"stra\\u{df}e\"", "\"STRASSE\"", "\"\\u{65e5}\\u{672c}\"",
    "\"NL\"", "\"nl\"", "\"\\u{130}\"", "\"\\u{1f600}\"",  "\"a\\nb\"",        "\"I\"",       "\"l\""};
const std::vector<std::string> kTimestampLiterals = {"@1970-01-01T00:00:00Z", "@2026-01-31T12:34:56Z",
                                                     "@1969-12-31T23:59:59Z", "@2000-02-29T23:00:00Z"};
const std::vector<std::string> kDurationLiterals = {"1ms", "250ms", "90s", "15m", "2h", "3d", "106751991d"};
const std::vector<std::string> kPatterns = {"\"^h\"", "\"l+\"",        "\"^[A-Z]{2}$\"", "\"\\\\d\"",  "\".\"",
                                            "\"^$\"", "\"(?i)hello\"", "\"^.{5}$\"",     "\"\\u{e9}\""};

const std::vector<std::string> kCompare = {"==", "!=", "<", "<=", ">", ">="};
const std::vector<std::string> kEquality = {"==", "!="};

std::string join_compare(const std::string& op) {
  return "($0 " + op + " $1)";
}

}  // namespace

const char* flow_type(Ty type) {
  switch (type) {
    case Ty::Bool: return "bool";
    case Ty::Int: return "int";
    case Ty::Float: return "float";
    case Ty::Str: return "string";
    case Ty::Ts: return "timestamp";
    case Ty::Dur: return "duration";
    case Ty::Color: return "Color";
    case Ty::OptInt: return "int?";
    case Ty::OptFloat: return "float?";
    case Ty::OptStr: return "string?";
    case Ty::OptBool: return "bool?";
    case Ty::OptTs: return "timestamp?";
    case Ty::ListInt: return "list<int>";
    case Ty::ListFloat: return "list<float>";
    case Ty::ListStr: return "list<string>";
    case Ty::ListOptInt: return "list<int?>";
    case Ty::ListListInt: return "list<list<int>>";
    case Ty::Dec: return "decimal";
    case Ty::Addr: return "A";
    case Ty::OptAddr: return "A?";
    case Ty::Item: return "It";
    case Ty::ListItem: return "list<It>";
    case Ty::Box: return "Bx";
    case Ty::MapStr: return "map<string, string>";
    case Ty::MapInt: return "map<string, int>";
    case Ty::MapAddr: return "map<string, A>";
    case Ty::ListDec: return "list<decimal>";
    case Ty::ListOptAddr: return "list<A?>";
  }
  return "?";
}

std::string Expr::text() const {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '$' && i + 1 < pattern.size() && pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      out += args.at(static_cast<size_t>(pattern[i + 1] - '0')).text();
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

size_t Expr::size() const {
  size_t n = 1;
  for (const auto& a : args) n += a.size();
  return n;
}

std::string Rule::source() const {
  if (is_rule) return "rule " + name + "(e: E) = " + body.text() + "\n";
  std::string out = "decision " + name + "(e: E) -> " + flow_type(result) + " {\n";
  for (const auto& [when, value] : arms) out += "  when " + when.text() + " => " + value.text() + "\n";
  return out + "  else => " + body.text() + "\n}\n";
}

const std::string& prelude() {
  static const std::string text = R"(module d
enum Color { Red, Green, Blue }
record A { city: string, zip: int?, tags: list<string> = [] }
record It { sku: string, qty: int, price: decimal, w: float, ship: A?, notes: list<int?> }
record Bx { label: string?, items: list<It>, dims: map<string, int>, home: A }
event E {
  i: int, j: int, k: int, f: float, g: float, s: string, t: string, b: bool, c: bool,
  ts: timestamp, d: duration, col: Color,
  oi: int?, of: float?, os: string?, ob: bool?, ots: timestamp?,
  li: list<int>, lf: list<float>, ls: list<string>, loi: list<int?>, lli: list<list<int>>,
  m: decimal, n: decimal,
  its: list<It>, a: A, oa: A?, bx: Bx, ms: map<string, string>, mi: map<string, int>,
  ma: map<string, A>, ld: list<decimal>, los: list<A?>
}
)";
  return text;
}

const std::vector<std::pair<std::string, Ty>>& event_fields() {
  static const std::vector<std::pair<std::string, Ty>> fields = {
      {"i", Ty::Int},          {"j", Ty::Int},           {"k", Ty::Int},        {"f", Ty::Float},
      {"g", Ty::Float},        {"s", Ty::Str},           {"t", Ty::Str},        {"b", Ty::Bool},
      {"c", Ty::Bool},         {"ts", Ty::Ts},           {"d", Ty::Dur},        {"col", Ty::Color},
      {"oi", Ty::OptInt},      {"of", Ty::OptFloat},     {"os", Ty::OptStr},    {"ob", Ty::OptBool},
      {"ots", Ty::OptTs},      {"li", Ty::ListInt},      {"lf", Ty::ListFloat}, {"ls", Ty::ListStr},
      {"loi", Ty::ListOptInt}, {"lli", Ty::ListListInt}, {"m", Ty::Dec},        {"n", Ty::Dec},
      {"its", Ty::ListItem},   {"a", Ty::Addr},          {"oa", Ty::OptAddr},   {"bx", Ty::Box},
      {"ms", Ty::MapStr},      {"mi", Ty::MapInt},       {"ma", Ty::MapAddr},   {"ld", Ty::ListDec},
      {"los", Ty::ListOptAddr}};
  return fields;
}

std::vector<std::string> called_rules(const std::string& text) {
  static const std::regex call("\\b([RD][0-9]+)\\(e\\)");
  std::vector<std::string> names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), call); it != std::sregex_iterator(); ++it) {
    names.push_back((*it)[1].str());
  }
  return names;
}

// ---- Expressions ------------------------------------------------------------

Expr Generator::leaf_of(Ty type) {
  switch (type) {
    case Ty::Bool: return {type, "e.b", {}};
    case Ty::Int: return {type, "e.i", {}};
    case Ty::Float: return {type, "e.f", {}};
    case Ty::Str: return {type, "e.s", {}};
    case Ty::Ts: return {type, "e.ts", {}};
    case Ty::Dur: return {type, "e.d", {}};
    case Ty::Color: return {type, "e.col", {}};
    case Ty::OptInt: return {type, "e.oi", {}};
    case Ty::OptFloat: return {type, "e.of", {}};
    case Ty::OptStr: return {type, "e.os", {}};
    case Ty::OptBool: return {type, "e.ob", {}};
    case Ty::OptTs: return {type, "e.ots", {}};
    case Ty::ListInt: return {type, "e.li", {}};
    case Ty::ListFloat: return {type, "e.lf", {}};
    case Ty::ListStr: return {type, "e.ls", {}};
    case Ty::ListOptInt: return {type, "e.loi", {}};
    case Ty::ListListInt: return {type, "e.lli", {}};
    case Ty::Dec: return {type, "e.m", {}};
    case Ty::Addr: return {type, "e.a", {}};
    case Ty::OptAddr: return {type, "e.oa", {}};
    case Ty::Item: return {type, "It { sku: \"k\", qty: 1, price: 1.5d, w: 0.5, ship: none, notes: [] }", {}};
    case Ty::ListItem: return {type, "e.its", {}};
    case Ty::Box: return {type, "e.bx", {}};
    case Ty::MapStr: return {type, "e.ms", {}};
    case Ty::MapInt: return {type, "e.mi", {}};
    case Ty::MapAddr: return {type, "e.ma", {}};
    case Ty::ListDec: return {type, "e.ld", {}};
    case Ty::ListOptAddr: return {type, "e.los", {}};
  }
  return {type, "e.b", {}};
}

Expr Generator::leaf(Ty type) {
  // Inside a lambda, often its parameter (or a field of it).
  Expr parameter;
  if (!lambdas_.empty() && chance(60) && lambda_leaf(type, parameter)) return parameter;
  // Now and then an earlier rule or decision of this type.
  if (chance(12)) {
    std::vector<size_t> candidates;
    for (size_t i = 0; i < current_.size(); ++i) {
      if (current_[i].result == type) candidates.push_back(i);
    }
    if (!candidates.empty()) return {type, current_[pick(candidates)].name + "(e)", {}};
  }
  bool literal = chance(40);
  switch (type) {
    case Ty::Bool: return {type, literal ? (chance(50) ? "true" : "false") : (chance(50) ? "e.b" : "e.c"), {}};
    case Ty::Int: return {type, literal ? pick(kIntLiterals) : pick(std::vector<std::string>{"e.i", "e.j", "e.k"}), {}};
    case Ty::Float: return {type, literal ? pick(kFloatLiterals) : (chance(50) ? "e.f" : "e.g"), {}};
    case Ty::Str: return {type, literal ? pick(kStringLiterals) : (chance(50) ? "e.s" : "e.t"), {}};
    case Ty::Ts: return {type, literal ? (chance(30) ? "now()" : pick(kTimestampLiterals)) : "e.ts", {}};
    case Ty::Dur: return {type, literal ? pick(kDurationLiterals) : "e.d", {}};
    case Ty::Color:
      return {type, literal ? pick(std::vector<std::string>{"Color.Red", "Color.Green", "Color.Blue"}) : "e.col", {}};
    case Ty::OptInt:
    case Ty::OptFloat:
    case Ty::OptStr:
    case Ty::OptBool:
    case Ty::OptTs:
      if (chance(15)) return {type, "none", {}};
      return leaf_of(type);
    case Ty::ListInt:
    case Ty::ListStr:
    case Ty::ListFloat:
    case Ty::ListListInt:
      if (chance(10)) return {type, "[]", {}};
      return leaf_of(type);
    case Ty::ListOptInt: return leaf_of(type);
    case Ty::Dec: return {type, literal ? pick(kDecimalLiterals) : (chance(50) ? "e.m" : "e.n"), {}};
    case Ty::OptAddr:
      if (chance(15)) return {type, "none", {}};
      return leaf_of(type);
    case Ty::ListItem:
    case Ty::ListDec:
    case Ty::ListOptAddr:
      if (chance(8)) return {type, "[]", {}};
      return leaf_of(type);
    case Ty::MapStr:
    case Ty::MapInt:
    case Ty::MapAddr:
      if (chance(8)) return {type, "{}", {}};
      return leaf_of(type);
    case Ty::Item:
      // Items from the event more often than the literal; an index may be out of range.
      if (chance(60)) return {type, chance(50) ? "e.its[0]" : "e.bx.items[1]", {}};
      return leaf_of(type);
    case Ty::Addr:
    case Ty::Box: return leaf_of(type);
  }
  return leaf_of(type);
}

Expr Generator::form(const char* pattern, Ty type, std::initializer_list<Ty> args, int depth) {
  Expr e{type, pattern, {}};
  for (Ty a : args) e.args.push_back(expr(a, depth - 1));
  return e;
}

Expr Generator::index_expr(int depth) {
  // Mostly in range (0..3) so element reads are exercised, not only the error.
  if (chance(70)) return {Ty::Int, std::to_string(below(4)), {}};
  return expr(Ty::Int, depth - 1);
}

Expr Generator::optional_value(Ty type, int depth) {
  // A T? expression whose static type is T?, never `none`: a field, a
  // decision, or an `if` with one present branch.
  Ty inner = type == Ty::OptInt     ? Ty::Int
             : type == Ty::OptFloat ? Ty::Float
             : type == Ty::OptStr   ? Ty::Str
             : type == Ty::OptBool  ? Ty::Bool
                                    : Ty::Ts;
  if (depth <= 1 || chance(50)) return leaf_of(type);
  return form(chance(50) ? "(if $0 then none else $1)" : "(if $0 then $1 else none)", type, {Ty::Bool, inner}, depth);
}

namespace {
/// Whether an expression's static type is list<never>: `[]`, or an `if`
/// between two such.
bool bare_empty(const Expr& e) {
  if (e.pattern == "[]") return true;
  return e.pattern == "(if $0 then $1 else $2)" && bare_empty(e.args[1]) && bare_empty(e.args[2]);
}
}  // namespace

Expr Generator::indexable(Ty list, int depth) {
  // `[][i]` has no element type to lower to: index anything but a bare `[]`.
  Expr e = expr(list, depth - 1);
  return bare_empty(e) ? leaf_of(list) : e;
}

Expr Generator::optional_cmp(Ty optional, Ty plain, int depth) {
  Expr e{Ty::Bool, join_compare(pick(kEquality)), {}};
  e.args.push_back(optional_value(optional, depth));
  e.args.push_back(chance(50) ? expr(plain, depth - 1) : expr(optional, depth - 1));
  if (chance(50)) std::swap(e.args[0], e.args[1]);
  return e;
}

Expr Generator::expr(Ty type, int depth) {
  if (depth <= 0 || chance(20)) return leaf(type);
  if (is_structured(type) || (has_structured_forms(type) && chance(25))) return structured(type, depth);
  auto f = [&](const char* pattern, std::initializer_list<Ty> args) { return form(pattern, type, args, depth); };
  auto cmp = [&](const std::vector<std::string>& ops, Ty a, Ty b) {
    Expr e{Ty::Bool, join_compare(pick(ops)), {}};
    e.args.push_back(expr(a, depth - 1));
    e.args.push_back(expr(b, depth - 1));
    return e;
  };
  switch (type) {
    case Ty::Int:
      switch (below(22)) {
        case 0: return f("($0 + $1)", {Ty::Int, Ty::Int});
        case 1: return f("($0 - $1)", {Ty::Int, Ty::Int});
        case 2: return f("($0 * $1)", {Ty::Int, Ty::Int});
        case 3: return f("($0 / $1)", {Ty::Int, Ty::Int});
        case 4: return f("($0 % $1)", {Ty::Int, Ty::Int});
        case 5: return f("(-$0)", {Ty::Int});
        case 6: return f("abs($0)", {Ty::Int});
        case 7: return f(chance(50) ? "min($0, $1)" : "max($0, $1)", {Ty::Int, Ty::Int});
        case 8: return f("len($0)", {Ty::Str});
        case 9: return f("len($0)", {chance(50) ? Ty::ListInt : Ty::ListStr});
        case 10: return f(chance(50) ? "round($0)" : "floor($0)", {Ty::Float});
        case 11: return f("ceil($0)", {Ty::Float});
        case 12: return f(chance(50) ? "hour($0)" : "weekday($0)", {Ty::Ts});
        case 13: return f("($0 ?? $1)", {Ty::OptInt, Ty::Int});
        case 14: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Int, Ty::Int});
        case 15: {
          Expr e{type, "$0[$1]", {}};
          e.args.push_back(indexable(Ty::ListInt, depth));
          e.args.push_back(index_expr(depth));
          return e;
        }
        case 16: {
          Expr e{type, "$0[$1][$2]", {}};
          e.args.push_back(indexable(Ty::ListListInt, depth));
          e.args.push_back(index_expr(depth));
          e.args.push_back(index_expr(depth));
          return e;
        }
        case 17: return f("round($0)", {Ty::Int});
        case 18: return f("len($0)", {chance(50) ? Ty::ListOptInt : Ty::ListListInt});
        case 19: return f(chance(34) ? "round($0)" : chance(50) ? "floor($0)" : "ceil($0)", {Ty::Dec});
        default: return leaf(type);
      }
    case Ty::Float:
      switch (below(18)) {
        case 0: return f("($0 + $1)", {Ty::Float, Ty::Float});
        case 1: return f("($0 + $1)", {Ty::Int, Ty::Float});
        case 2: return f("($0 - $1)", {Ty::Float, Ty::Int});
        case 3: return f("($0 * $1)", {Ty::Float, Ty::Float});
        case 4: return f("($0 / $1)", {Ty::Float, Ty::Float});
        case 5: return f("($0 / $1)", {Ty::Int, Ty::Float});
        case 6: return f("($0 % $1)", {Ty::Float, Ty::Float});
        case 7: return f("(-$0)", {Ty::Float});
        case 8: return f("abs($0)", {Ty::Float});
        case 9: return f(chance(50) ? "min($0, $1)" : "max($0, $1)", {Ty::Float, Ty::Float});
        case 10: return f(chance(50) ? "min($0, $1)" : "max($0, $1)", {Ty::Float, Ty::Int});
        case 11: return f("($0 ?? $1)", {Ty::OptFloat, Ty::Float});
        case 12: {
          // float? ?? int is a float, but none ?? int an int: no bare none here.
          Expr e{type, "($0 ?? $1)", {}};
          e.args.push_back(optional_value(Ty::OptFloat, depth));
          e.args.push_back(expr(Ty::Int, depth - 1));
          return e;
        }
        case 13: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Float, Ty::Float});
        case 14: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Int, Ty::Float});
        case 15: {
          Expr e{type, "$0[$1]", {}};
          e.args.push_back(indexable(Ty::ListFloat, depth));
          e.args.push_back(index_expr(depth));
          return e;
        }
        case 16: return f("float($0)", {Ty::Dec});
        default: return leaf(type);
      }
    case Ty::Dec:
      switch (below(16)) {
        case 0: return f("($0 + $1)", {Ty::Dec, Ty::Dec});
        case 1: return f("($0 - $1)", {Ty::Dec, Ty::Int});
        case 2: return f("($0 * $1)", {Ty::Dec, Ty::Dec});
        case 3: return f("($0 * $1)", {Ty::Int, Ty::Dec});
        case 4: return f("($0 / $1)", {Ty::Dec, Ty::Dec});
        case 5: return f("(-$0)", {Ty::Dec});
        case 6: return f("abs($0)", {Ty::Dec});
        case 7: return f(chance(50) ? "min($0, $1)" : "max($0, $1)", {Ty::Dec, chance(50) ? Ty::Dec : Ty::Int});
        case 8: {
          Expr e{type, "round($0, " + std::to_string(static_cast<int>(below(5)) - 1) + ")", {}};
          e.args.push_back(expr(Ty::Dec, depth - 1));
          return e;
        }
        case 9: return f("decimal($0)", {Ty::Float});
        case 10: return f("decimal($0)", {Ty::Int});
        case 11: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Dec, chance(50) ? Ty::Dec : Ty::Int});
        case 12: return f("[$0, $1][1]", {Ty::Dec, Ty::Int});
        case 13:
          return chance(75) ? f("($0 % $1)", {Ty::Dec, chance(50) ? Ty::Dec : Ty::Int})
                            : f("($0 % $1)", {Ty::Int, Ty::Dec});
        default: return leaf(type);
      }
    case Ty::Bool:
      switch (below(34)) {
        case 0: return f("($0 and $1)", {Ty::Bool, Ty::Bool});
        case 1: return f("($0 or $1)", {Ty::Bool, Ty::Bool});
        case 2: return f("(not $0)", {Ty::Bool});
        case 3: return cmp(kCompare, Ty::Int, Ty::Int);
        case 4: return cmp(kCompare, Ty::Float, Ty::Float);
        case 5: return cmp(kCompare, chance(50) ? Ty::Int : Ty::Float, chance(50) ? Ty::Int : Ty::Float);
        case 6: return cmp(kCompare, Ty::Str, Ty::Str);
        case 7: return cmp(kCompare, Ty::Ts, Ty::Ts);
        case 8: return cmp(kCompare, Ty::Dur, Ty::Dur);
        case 9: return cmp(kEquality, Ty::Color, Ty::Color);
        case 10: return cmp(kEquality, Ty::Bool, Ty::Bool);
        case 11: return optional_cmp(Ty::OptInt, Ty::Int, depth);
        case 12: return optional_cmp(Ty::OptStr, Ty::Str, depth);
        case 13: return optional_cmp(Ty::OptFloat, Ty::Float, depth);
        case 14:
          return f(chance(50) ? "($0 == none)" : "(none != $0)",
                   {pick(std::vector<Ty>{Ty::OptInt, Ty::OptStr, Ty::OptBool, Ty::OptTs})});
        case 15: {
          Ty list = pick(std::vector<Ty>{Ty::ListInt, Ty::ListStr, Ty::ListFloat, Ty::ListOptInt, Ty::ListListInt});
          return cmp(kEquality, list, list);
        }
        case 16: return cmp(kEquality, Ty::ListOptInt, Ty::ListInt);  // converts the list<int>
        case 17: return f(chance(70) ? "($0 in $1)" : "($0 not in $1)", {Ty::Int, Ty::ListInt});
        case 18: return f("($0 in $1)", {Ty::Float, Ty::ListInt});  // elements promoted
        case 19: return f("($0 in $1)", {Ty::Int, Ty::ListFloat});  // needle promoted
        case 20: {
          if (chance(50)) return f("($0 in $1)", {Ty::Str, Ty::ListStr});
          Expr e{type, "contains($1, $0)", {}};  // contains() cannot take a bare []
          e.args.push_back(expr(Ty::Str, depth - 1));
          e.args.push_back(indexable(Ty::ListStr, depth));
          return e;
        }
        case 21: return f(chance(50) ? "(none in $0)" : "($1 in $0)", {Ty::ListOptInt, Ty::Int});
        case 22: return f("($0 in [Color.Red, $1])", {Ty::Color, Ty::Color});
        case 23:
          return f(chance(50) ? "($0 in [$1, $2, \"NL\"])" : "($0 not in [$1, $2])", {Ty::Str, Ty::Str, Ty::Str});
        case 24: return f(chance(50) ? "($0 in [])" : "($0 in [$1, 2, $2])", {Ty::Int, Ty::Int, Ty::Int});
        case 25: return f(chance(50) ? "starts_with($0, $1)" : "ends_with($0, $1)", {Ty::Str, Ty::Str});
        case 26: return f("contains($0, $1)", {Ty::Str, Ty::Str});
        case 27: {
          Expr e{type, "matches($0, " + pick(kPatterns) + ")", {}};
          e.args.push_back(expr(Ty::Str, depth - 1));
          return e;
        }
        case 28: {
          Expr e{type, "is_some($0)", {}};
          e.args.push_back(
              optional_value(pick(std::vector<Ty>{Ty::OptInt, Ty::OptStr, Ty::OptFloat, Ty::OptBool}), depth));
          return e;
        }
        case 29: return f("($0 ?? $1)", {Ty::OptBool, Ty::Bool});
        case 30: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Bool, Ty::Bool});
        case 31: return optional_cmp(Ty::OptTs, Ty::Ts, depth);
        case 32: return cmp(kCompare, Ty::Dec, chance(50) ? Ty::Dec : Ty::Int);
        case 33: return f("($0 in [$1, 2.50d])", {Ty::Dec, Ty::Dec});
        default: return leaf(type);
      }
    case Ty::Str:
      switch (below(10)) {
        case 0: return f("($0 + $1)", {Ty::Str, Ty::Str});
        case 1: return f("lower($0)", {Ty::Str});
        case 2: return f("upper($0)", {Ty::Str});
        case 3: return f(chance(50) ? "min($0, $1)" : "max($0, $1)", {Ty::Str, Ty::Str});
        case 4: return f("($0 ?? $1)", {Ty::OptStr, Ty::Str});
        case 5: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Str, Ty::Str});
        case 6: {
          Expr e{type, "$0[$1]", {}};
          e.args.push_back(indexable(Ty::ListStr, depth));
          e.args.push_back(index_expr(depth));
          return e;
        }
        default: return leaf(type);
      }
    case Ty::Ts:
      switch (below(9)) {
        case 0: return f("($0 + $1)", {Ty::Ts, Ty::Dur});
        case 1: return f("($0 + $1)", {Ty::Dur, Ty::Ts});
        case 2: return f("($0 - $1)", {Ty::Ts, Ty::Dur});
        case 3: return f("date($0)", {Ty::Ts});
        case 4: return f(chance(50) ? "min($0, $1)" : "max($0, $1)", {Ty::Ts, Ty::Ts});
        case 5: return f("($0 ?? $1)", {Ty::OptTs, Ty::Ts});
        case 6: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Ts, Ty::Ts});
        default: return leaf(type);
      }
    case Ty::Dur:
      switch (below(12)) {
        case 0: return f("($0 - $1)", {Ty::Ts, Ty::Ts});
        case 1: return f("($0 + $1)", {Ty::Dur, Ty::Dur});
        case 2: return f("($0 - $1)", {Ty::Dur, Ty::Dur});
        case 3: return f("($0 * $1)", {Ty::Dur, Ty::Int});
        case 4: return f("($0 * $1)", {Ty::Int, Ty::Dur});
        case 5: return f("($0 / $1)", {Ty::Dur, Ty::Int});
        case 6: return f("(-$0)", {Ty::Dur});
        case 7: return f("abs($0)", {Ty::Dur});
        case 8: return f(chance(50) ? "min($0, $1)" : "max($0, $1)", {Ty::Dur, Ty::Dur});
        case 9: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Dur, Ty::Dur});
        default: return leaf(type);
      }
    case Ty::Color:
      if (chance(40)) return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Color, Ty::Color});
      return leaf(type);
    case Ty::OptInt:
    case Ty::OptFloat:
    case Ty::OptStr:
    case Ty::OptBool:
    case Ty::OptTs: {
      Ty inner = type == Ty::OptInt     ? Ty::Int
                 : type == Ty::OptFloat ? Ty::Float
                 : type == Ty::OptStr   ? Ty::Str
                 : type == Ty::OptBool  ? Ty::Bool
                                        : Ty::Ts;
      switch (below(4)) {
        case 0: return f(chance(50) ? "(if $0 then none else $1)" : "(if $0 then $1 else none)", {Ty::Bool, inner});
        case 1: return f("(if $0 then $1 else $2)", {Ty::Bool, type, type});
        default: return leaf(type);
      }
    }
    case Ty::ListInt:
      switch (below(7)) {
        case 0: return f("[$0]", {Ty::Int});
        case 1: return f("[$0, $1]", {Ty::Int, Ty::Int});
        case 2: return f("[$0, 5, $1]", {Ty::Int, Ty::Int});
        case 3: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::ListInt, Ty::ListInt});
        case 4: {
          Expr e{type, "$0[$1]", {}};
          e.args.push_back(indexable(Ty::ListListInt, depth));
          e.args.push_back(index_expr(depth));
          return e;
        }
        default: return leaf(type);
      }
    case Ty::ListFloat:
      switch (below(4)) {
        case 0: return f("[$0, $1]", {Ty::Float, Ty::Int});
        case 1: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::ListFloat, Ty::ListFloat});
        default: return leaf(type);
      }
    case Ty::ListStr:
      switch (below(4)) {
        case 0: return f("[$0, $1]", {Ty::Str, Ty::Str});
        case 1: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::ListStr, Ty::ListStr});
        default: return leaf(type);
      }
    case Ty::ListOptInt:
      switch (below(4)) {
        case 0: return f(chance(50) ? "[$0, e.oi]" : "[e.oi, $0, 4]", {Ty::Int});
        case 1: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::ListOptInt, Ty::ListOptInt});
        default: return leaf(type);
      }
    case Ty::ListListInt:
      switch (below(4)) {
        case 0:
        case 1: {
          // The first element fixes the element type: not a bare [].
          Expr e{type, below(2) ? "[$0, $1]" : "[$0, []]", {}};
          e.args.push_back(indexable(Ty::ListInt, depth));
          e.args.push_back(expr(Ty::ListInt, depth - 1));
          return e;
        }
        default: return leaf(type);
      }
    default: return structured(type, depth);  // records, maps and their lists
  }
}

std::vector<Rule> Generator::rules(int count, int first) {
  static const std::vector<Ty> kResults = {Ty::Int,     Ty::Float,   Ty::Str,        Ty::Bool,        Ty::Ts,
                                           Ty::Dur,     Ty::Color,   Ty::OptInt,     Ty::OptStr,      Ty::OptFloat,
                                           Ty::ListInt, Ty::ListStr, Ty::ListOptInt, Ty::ListListInt, Ty::Dec,
                                           Ty::Addr,    Ty::OptAddr, Ty::Item,       Ty::ListItem,    Ty::Box,
                                           Ty::MapStr,  Ty::MapInt,  Ty::MapAddr,    Ty::ListDec,     Ty::ListOptAddr};
  current_.clear();
  for (int n = 0; n < count; ++n) {
    Rule rule;
    rule.is_rule = chance(45);
    rule.name = (rule.is_rule ? "R" : "D") + std::to_string(first + n);
    int depth = 2 + static_cast<int>(below(3));
    if (rule.is_rule) {
      rule.body = expr(Ty::Bool, depth);
    } else {
      rule.result = pick(kResults);
      // A value of T where T? (or list<T?>) is expected is wrapped (converted).
      auto value = [&] {
        if (rule.result == Ty::OptInt && chance(30)) return expr(Ty::Int, depth);
        if (rule.result == Ty::OptStr && chance(30)) return expr(Ty::Str, depth);
        if (rule.result == Ty::ListOptInt && chance(30)) return expr(Ty::ListInt, depth);
        if (rule.result == Ty::OptAddr && chance(30)) return expr(Ty::Addr, depth);
        return expr(rule.result, depth);
      };
      int arms = static_cast<int>(below(3));
      for (int a = 0; a < arms; ++a) {
        Expr when = expr(Ty::Bool, depth - 1);
        rule.arms.emplace_back(std::move(when), value());
      }
      rule.body = value();
    }
    current_.push_back(std::move(rule));
  }
  return current_;
}

// ---- Events -----------------------------------------------------------------

int64_t Generator::now() {
  static const std::vector<int64_t> kNow = {0, -1, 1'769'862'896 * kSecond, -kDay / 2, kMax, kMin};
  if (chance(70)) return kNow[below(2) + 2];
  return kNow[below(kNow.size())];
}

eval::Value Generator::value(Ty type) {
  using eval::Value;
  switch (type) {
    case Ty::Bool: return Value::boolean(chance(50));
    case Ty::Int: {
      static const std::vector<int64_t> kEdge = {
          0, 1, -1, 2, 3, 7, -7, 100, kMin, kMax, kMin + 1, kMax - 1, int64_t{1} << 32, -(int64_t{1} << 53)};
      if (chance(75)) return Value::integer(kEdge[below(kEdge.size())]);
      return Value::integer(static_cast<int64_t>(rng_()) >> below(63));
    }
    case Ty::Float: {
      static const std::vector<double> kEdge = {0.0,
                                                -0.0,
                                                0.5,
                                                1.5,
                                                -2.5,
                                                2.5,
                                                3.0,
                                                1e308,
                                                -1e-300,
                                                9007199254740992.0,
                                                9.3e18,
                                                -9.3e18,
                                                std::numeric_limits<double>::quiet_NaN(),
                                                std::numeric_limits<double>::infinity(),
                                                -std::numeric_limits<double>::infinity(),
                                                9223372036854775807.0,
                                                -9223372036854775808.0,
                                                0.49999999999999994};
      if (chance(75)) return Value::floating(kEdge[below(kEdge.size())]);
      return Value::floating((static_cast<double>(rng_() % 2'000'001) - 1'000'000.0) / 8.0);
    }
    case Ty::Str: {
      static const std::vector<std::string> kEdge = {"",
                                                     "a",
                                                     "l",
                                                     "hello",
                                                     "Hello",
                                                     "h\xC3\xA9llo",
                                                     "stra\xC3\x9F"
                                                     "e",
                                                     "STRASSE",
                                                     "\xE6\x97\xA5\xE6\x9C\xAC",
                                                     "NL",
                                                     "nl",
                                                     "NL-1234",
                                                     "\xC4\xB0",
                                                     "\xF0\x9F\x98\x80",
                                                     "I",
                                                     "a\nb",
                                                     "\xC3",
                                                     "\xFF\xFE",
                                                     "\xC7\x85",
                                                     "\xCE\xA3\xCE\x91"};
      return Value::string(kEdge[below(kEdge.size())]);
    }
    case Ty::Ts: {
      static const std::vector<int64_t> kEdge = {0,           -1,
                                                 1,           kMin,
                                                 kMax,        1'769'862'896 * kSecond,
                                                 -kDay - 1,   kMin + kDay - 1,
                                                 kMax - kDay, 951'865'200 * kSecond};
      return Value::timestamp(kEdge[below(kEdge.size())]);
    }
    case Ty::Dur: {
      static const std::vector<int64_t> kEdge = {0, -1, 1, kMin, kMax, 90 * kSecond, kDay, -kDay, 1000};
      return Value::duration(kEdge[below(kEdge.size())]);
    }
    case Ty::Color: return Value::enumeration(static_cast<int32_t>(below(3)));
    case Ty::OptInt: return chance(40) ? Value::none() : value(Ty::Int);
    case Ty::OptFloat: return chance(40) ? Value::none() : value(Ty::Float);
    case Ty::OptStr: return chance(40) ? Value::none() : value(Ty::Str);
    case Ty::OptBool: return chance(40) ? Value::none() : value(Ty::Bool);
    case Ty::OptTs: return chance(40) ? Value::none() : value(Ty::Ts);
    case Ty::Dec: {
      static const std::vector<std::string> kEdge = {"0",
                                                     "-0",
                                                     "12.50",
                                                     "0.1",
                                                     "1E+3",
                                                     "-2.5",
                                                     "100.00",
                                                     "1E-6176",
                                                     "9999999999999999999999999999999999",
                                                     "9.999999999999999999999999999999999E+6144",
                                                     "-7",
                                                     "0.005"};
      const std::string& text = kEdge[below(kEdge.size())];
      FlowDecimal d{};
      flow_rt_decimal_parse(text.data(), text.size(), &d);
      return Value::decimal(d);
    }
    case Ty::ListInt:
    case Ty::ListFloat:
    case Ty::ListStr:
    case Ty::ListOptInt:
    case Ty::ListListInt: {
      Ty element = type == Ty::ListInt      ? Ty::Int
                   : type == Ty::ListFloat  ? Ty::Float
                   : type == Ty::ListStr    ? Ty::Str
                   : type == Ty::ListOptInt ? Ty::OptInt
                                            : Ty::ListInt;
      size_t count = chance(30) ? 0 : 1 + below(4);
      std::vector<Value> items;
      for (size_t i = 0; i < count; ++i) items.push_back(value(element));
      return Value::list(std::move(items));
    }
    default: return structured_value(type);
  }
}

std::vector<eval::Value> Generator::event() {
  std::vector<eval::Value> values;
  for (const auto& [name, type] : event_fields()) values.push_back(value(type));
  return values;
}

}  // namespace flow::difftest
