// A seeded generator of random well-typed Flow rules and decisions over one
// test event type, and of random events full of edge values (0, -1,
// INT64_MIN/MAX, NaN, ±inf, -0.0, empty and non-ASCII strings, absent
// optionals, empty lists), for the differential test of the two back ends.
//
// Expressions are kept as trees (a text pattern with $0..$9 holes plus
// typed arguments) so that a failing rule can be shrunk by replacing
// subtrees with smaller ones of the same type.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "eval/value.h"

namespace flow::difftest {

/// The Flow types the generator uses.
enum class Ty : uint8_t {
  Bool,
  Int,
  Float,
  Str,
  Ts,
  Dur,
  Color,
  OptInt,
  OptFloat,
  OptStr,
  OptBool,
  OptTs,
  ListInt,
  ListFloat,
  ListStr,
  ListOptInt,
  ListListInt,
  Dec,  // decimal
};
const char* flow_type(Ty type);

struct Expr {
  Ty type = Ty::Bool;
  std::string pattern;  // "($0 + $1)"
  std::vector<Expr> args;
  std::string text() const;
  size_t size() const;  // nodes
};

/// A rule (bool, `rule Rn(e: E) = body`) or a decision
/// (`decision Dn(e: E) -> T { when c => v ... else => body }`).
struct Rule {
  std::string name;
  bool is_rule = true;
  Ty result = Ty::Bool;
  std::vector<std::pair<Expr, Expr>> arms;
  Expr body;
  std::string source() const;
};

/// The module header and the event E every rule takes.
const std::string& prelude();
/// E's fields in declaration order, and their types.
const std::vector<std::pair<std::string, Ty>>& event_fields();

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  /// `count` rules named R<first>, D<first+1>, ...; later ones may call
  /// earlier ones (never the reverse, so there is no recursion).
  std::vector<Rule> rules(int count, int first = 0);
  /// One value per field of E (event_fields() order).
  std::vector<eval::Value> event();
  /// A now() value.
  int64_t now();

  /// A small expression of `type` (a field or literal), for shrinking.
  static Expr leaf_of(Ty type);

 private:
  Expr expr(Ty type, int depth);
  Expr leaf(Ty type);
  Expr index_expr(int depth);
  Expr optional_value(Ty type, int depth);
  Expr indexable(Ty list, int depth);
  Expr optional_cmp(Ty optional, Ty plain, int depth);
  Expr form(const char* pattern, Ty type, std::initializer_list<Ty> args, int depth);
  eval::Value value(Ty type);
  uint64_t below(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool chance(int percent) { return below(100) < static_cast<uint64_t>(percent); }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

  std::mt19937_64 rng_;
  std::vector<const Rule*> callable_;  // earlier rules of this batch
  std::vector<Rule> current_;
};

/// The names (Rn/Dn) of rules an expression text calls.
std::vector<std::string> called_rules(const std::string& text);

}  // namespace flow::difftest
