// A seeded generator of random well-typed Flow rules and decisions over one
// test event type, and of random events full of edge values (0, -1,
// INT64_MIN/MAX, NaN, ±inf, -0.0, empty and non-ASCII strings, absent
// optionals, empty lists and maps), for the differential test of the two
// back ends. The event nests records three deep (a record holding a list of
// records holding an optional record), maps of strings, ints and records,
// decimals and lists of optional records; expressions use field paths,
// `?.`, record literals with spreads and defaults, map literals and look-ups,
// and every list function with a lambda (random_structured.cpp).
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
  // Structured data (language.md §4.1): the records A, It and Bx of prelude().
  Addr,         // A
  OptAddr,      // A?
  Item,         // It
  ListItem,     // list<It>
  Box,          // Bx
  MapStr,       // map<string, string>
  MapInt,       // map<string, int>
  MapAddr,      // map<string, A>
  ListDec,      // list<decimal>
  ListOptAddr,  // list<A?>
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

  // Structured data (random_structured.cpp)
  /// An expression of `type` built from records, maps or a list function;
  /// `type` may be any Ty that has such forms (has_structured_forms).
  Expr structured(Ty type, int depth);
  static bool has_structured_forms(Ty type);
  static bool is_structured(Ty type);
  /// A parameter of an enclosing lambda, or a field of one, of `type`.
  bool lambda_leaf(Ty type, Expr& out);
  /// `fn(list, vN => body)`: a list function over `list`, or a random list
  /// when `list` is no list type.
  Expr list_function(const std::string& fn, Ty result, Ty body, int depth, Ty list = Ty::Bool);
  /// An expression of the optional type `optional` that is not a bare `none`.
  Expr definite(Ty optional, int depth);
  Expr map_key(int depth);
  eval::Value structured_value(Ty type);
  std::vector<std::pair<std::string, Ty>> lambdas_;  // parameters in scope, innermost last
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
