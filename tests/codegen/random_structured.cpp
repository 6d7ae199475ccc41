// The structured-data half of the random program generator
// (random_program.h): expressions over the records A, It and Bx, the maps
// and the lists of records of prelude(), the list functions with their
// lambdas, and event values of those types.
//
// A lambda's parameter is named v<depth> (v0 outermost), so nested lambdas
// never shadow one another; while its body is generated, leaves of a
// matching type are often the parameter or a field of it, so bodies really
// depend on the element. Lists handed to a list function, a field access or
// an index are never a bare `[]` (its element type is unknown), and neither
// are maps a look-up reads.
#include <algorithm>

#include "random_program.h"
#include "rt_abi/flow_rt_decimal.h"

namespace flow::difftest {

namespace {

/// The element type of the list types a lambda can range over.
bool element_of(Ty list, Ty& element) {
  switch (list) {
    case Ty::ListItem: element = Ty::Item; return true;
    case Ty::ListInt: element = Ty::Int; return true;
    case Ty::ListStr: element = Ty::Str; return true;
    case Ty::ListFloat: element = Ty::Float; return true;
    case Ty::ListDec: element = Ty::Dec; return true;
    case Ty::ListOptAddr: element = Ty::OptAddr; return true;
    case Ty::ListOptInt: element = Ty::OptInt; return true;
    case Ty::ListListInt: element = Ty::ListInt; return true;
    default: return false;
  }
}

/// Whether `e` has no element or value type of its own (`[]`, `{}`, or an
/// `if` between such).
bool bare_empty(const Expr& e) {
  if (e.pattern == "[]" || e.pattern == "{}") return true;
  return e.pattern == "(if $0 then $1 else $2)" && bare_empty(e.args[1]) && bare_empty(e.args[2]);
}

/// `literal` with the key arguments `keys` of a map literal made unique as
/// literals (the checker refuses a key written twice): a repeated one becomes
/// lower(key), the same key at run time.
Expr unique_keys(Expr literal, std::initializer_list<size_t> keys, std::vector<std::string> written) {
  for (size_t k : keys) {
    Expr& key = literal.args[k];
    if (std::find(written.begin(), written.end(), key.pattern) != written.end()) {
      key = Expr{Ty::Str, "lower(" + key.pattern + ")", {}};
    } else if (key.pattern.front() == '"') {
      written.push_back(key.pattern);
    }
  }
  return literal;
}

/// Whether `e`'s static type is `none` rather than an optional (`none`, or
/// an `if` between such), which `?.` and is_some cannot take.
bool bare_none(const Expr& e) {
  if (e.pattern == "none") return true;
  return e.pattern == "(if $0 then $1 else $2)" && bare_none(e.args[1]) && bare_none(e.args[2]);
}

const std::vector<std::string> kKeys = {"", "a", "b", "ab", "B", "k", "\xC3\xA9"};

}  // namespace

bool Generator::is_structured(Ty type) {
  switch (type) {
    case Ty::Addr:
    case Ty::OptAddr:
    case Ty::Item:
    case Ty::ListItem:
    case Ty::Box:
    case Ty::MapStr:
    case Ty::MapInt:
    case Ty::MapAddr:
    case Ty::ListDec:
    case Ty::ListOptAddr: return true;
    default: return false;
  }
}

bool Generator::has_structured_forms(Ty type) {
  switch (type) {
    case Ty::Int:
    case Ty::Bool:
    case Ty::Str:
    case Ty::Dec:
    case Ty::Float:
    case Ty::OptInt:
    case Ty::OptStr:
    case Ty::ListInt:
    case Ty::ListStr: return true;
    default: return is_structured(type);
  }
}

bool Generator::lambda_leaf(Ty type, Expr& out) {
  std::vector<std::string> found;
  for (const auto& [name, element] : lambdas_) {
    if (element == type) found.push_back(name);
    if (element == Ty::Item) {
      static const std::vector<std::pair<const char*, Ty>> kFields = {
          {".sku", Ty::Str}, {".qty", Ty::Int},      {".price", Ty::Dec},
          {".w", Ty::Float}, {".ship", Ty::OptAddr}, {".notes", Ty::ListOptInt}};
      for (const auto& [field, field_type] : kFields) {
        if (field_type == type) found.push_back(name + field);
      }
    }
    if (element == Ty::OptAddr) {
      if (type == Ty::OptStr) found.push_back(name + "?.city");
      if (type == Ty::OptInt) found.push_back(name + "?.zip");
      if (type == Ty::Bool) found.push_back("(" + name + " == none)");
    }
    if (element == Ty::OptInt && type == Ty::Int) found.push_back("(" + name + " ?? -1)");
  }
  if (found.empty()) return false;
  out = Expr{type, pick(found), {}};
  return true;
}

Expr Generator::map_key(int depth) {
  if (chance(70)) return {Ty::Str, "\"" + pick(kKeys) + "\"", {}};
  return expr(Ty::Str, depth - 1);
}

Expr Generator::list_function(const std::string& fn, Ty result, Ty body, int depth, Ty list) {
  static const std::vector<Ty> kLists = {Ty::ListItem, Ty::ListItem,    Ty::ListItem,  Ty::ListInt,    Ty::ListStr,
                                         Ty::ListDec,  Ty::ListOptAddr, Ty::ListFloat, Ty::ListOptInt, Ty::ListListInt};
  Ty element = Ty::Int;
  if (!element_of(list, element)) {
    list = pick(kLists);
    element_of(list, element);
  }
  std::string parameter = "v" + std::to_string(lambdas_.size());
  Expr e{result, fn + "($0, " + parameter + " => $1)", {}};
  Expr over = expr(list, depth - 1);
  e.args.push_back(bare_empty(over) ? leaf_of(list) : std::move(over));
  lambdas_.emplace_back(parameter, element);
  Expr value = expr(body, depth - 1);
  // map() must give values of a type: not a bare none.
  e.args.push_back(bare_none(value) ? Expr{body, "(if true then none else " + leaf_of(body).text() + ")", {}}
                                    : std::move(value));
  lambdas_.pop_back();
  return e;
}

Expr Generator::definite(Ty optional, int depth) {
  Expr e = expr(optional, depth - 1);
  return bare_none(e) ? leaf_of(optional) : e;
}

Expr Generator::structured(Ty type, int depth) {
  auto f = [&](const char* pattern, std::initializer_list<Ty> args) { return form(pattern, type, args, depth); };
  // A list, map or record operand that is never a bare [] or {}.
  auto solid = [&](Ty t) {
    Expr e = expr(t, depth - 1);
    return bare_empty(e) ? leaf_of(t) : e;
  };
  auto with = [&](const char* pattern, std::vector<Expr> args) { return Expr{type, pattern, std::move(args)}; };
  auto index = [&] {
    if (chance(70)) return Expr{Ty::Int, std::to_string(below(3)), {}};
    return expr(Ty::Int, depth - 1);
  };
  switch (type) {
    case Ty::Int:
      switch (below(10)) {
        case 0: return with("$0.qty", {solid(Ty::Item)});
        case 1: return with("len($0)", {expr(pick(std::vector<Ty>{Ty::MapStr, Ty::MapInt, Ty::ListItem}), depth - 1)});
        case 2: return list_function("count", Ty::Int, Ty::Bool, depth);
        case 3: return list_function("sum", Ty::Int, Ty::Int, depth);
        case 4: {
          Expr e = list_function(chance(50) ? "min_of" : "max_of", Ty::OptInt, Ty::Int, depth);
          return with("($0 ?? $1)", {std::move(e), expr(Ty::Int, depth - 1)});
        }
        case 5: return with("($0[$1] ?? $2)", {solid(Ty::MapInt), map_key(depth), expr(Ty::Int, depth - 1)});
        case 6: return with("($0.zip ?? $1)", {solid(Ty::Addr), expr(Ty::Int, depth - 1)});
        case 7: return with("($0?.zip ?? $1)", {definite(Ty::OptAddr, depth), expr(Ty::Int, depth - 1)});
        case 8: return with("($0.dims[$1] ?? 0)", {solid(Ty::Box), map_key(depth)});
        default: return with("($0.notes[$1] ?? 7)", {solid(Ty::Item), index()});
      }
    case Ty::Bool:
      switch (below(9)) {
        case 0: return list_function("any", Ty::Bool, Ty::Bool, depth);
        case 1: return list_function("all", Ty::Bool, Ty::Bool, depth);
        case 2: return with("has($0, $1)", {solid(chance(50) ? Ty::MapStr : Ty::MapInt), map_key(depth)});
        case 3:
        case 4: {
          Ty t = pick(std::vector<Ty>{Ty::Addr, Ty::Item, Ty::OptAddr, Ty::ListItem, Ty::MapStr, Ty::MapInt, Ty::Box,
                                      Ty::ListDec, Ty::MapAddr, Ty::ListOptAddr});
          Expr e{type, chance(50) ? "($0 == $1)" : "($0 != $1)", {}};
          // A record against an optional one converts; else the same type.
          bool widened = t == Ty::OptAddr && chance(40);
          e.args.push_back(widened ? definite(t, depth) : solid(t));
          e.args.push_back(widened ? solid(Ty::Addr) : solid(t));
          return e;
        }
        case 5: return with("is_some($0?.city)", {definite(Ty::OptAddr, depth)});
        case 6: return with("($0 == none)", {expr(Ty::OptAddr, depth - 1)});
        case 7: return with("($0 in keys($1))", {expr(Ty::Str, depth - 1), solid(Ty::MapStr)});
        default: return with("($0 in $1.tags)", {expr(Ty::Str, depth - 1), solid(Ty::Addr)});
      }
    case Ty::Str:
      switch (below(8)) {
        case 0: return with("$0.sku", {solid(Ty::Item)});
        case 1: return with("$0.city", {solid(Ty::Addr)});
        case 2: return with("($0?.city ?? $1)", {definite(Ty::OptAddr, depth), expr(Ty::Str, depth - 1)});
        case 3: return with("($0[$1] ?? $2)", {solid(Ty::MapStr), map_key(depth), expr(Ty::Str, depth - 1)});
        case 4: {
          Expr e = list_function(chance(50) ? "min_of" : "max_of", Ty::OptStr, Ty::Str, depth);
          return with("($0 ?? $1)", {std::move(e), expr(Ty::Str, depth - 1)});
        }
        case 5: return with("keys($0)[$1]", {solid(Ty::MapStr), index()});
        case 6: return with("($0.label ?? \"-\")", {solid(Ty::Box)});
        default: return with("$0.home.city", {solid(Ty::Box)});
      }
    case Ty::Dec:
      switch (below(5)) {
        case 0: return list_function("sum", Ty::Dec, Ty::Dec, depth);
        case 1: return with("$0.price", {solid(Ty::Item)});
        case 2: {
          Expr e = list_function(chance(50) ? "min_of" : "max_of", Ty::Dec, Ty::Dec, depth);
          e.pattern = "(" + e.pattern + " ?? 0.5d)";
          return e;
        }
        case 3: return with("$0.items[$1].price", {solid(Ty::Box), index()});
        default: return with("($0 * $1.qty)", {expr(Ty::Dec, depth - 1), solid(Ty::Item)});
      }
    case Ty::Float:
      switch (below(3)) {
        case 0: return list_function("sum", Ty::Float, Ty::Float, depth);
        case 1: return with("$0.w", {solid(Ty::Item)});
        default: {
          Expr e = list_function(chance(50) ? "min_of" : "max_of", Ty::Float, Ty::Float, depth);
          e.pattern = "(" + e.pattern + " ?? -1.5)";
          return e;
        }
      }
    case Ty::OptInt:
      if (chance(50)) return with("$0?.zip", {definite(Ty::OptAddr, depth)});
      return list_function(chance(50) ? "min_of" : "max_of", Ty::OptInt, Ty::Int, depth);
    case Ty::OptStr:
      if (chance(50)) return with("$0[$1]", {solid(Ty::MapStr), map_key(depth)});
      return with("$0?.city", {definite(Ty::OptAddr, depth)});
    case Ty::ListInt:
      if (chance(60)) return list_function("map", Ty::ListInt, Ty::Int, depth);
      return list_function("filter", Ty::ListInt, Ty::Bool, depth, Ty::ListInt);
    case Ty::ListStr:
      switch (below(3)) {
        case 0: return with("keys($0)", {solid(Ty::MapStr)});
        case 1: return list_function("map", Ty::ListStr, Ty::Str, depth);
        default: return with("$0.tags", {solid(Ty::Addr)});
      }
    case Ty::Addr:
      switch (below(7)) {
        case 0: return with("$0.home", {solid(Ty::Box)});
        case 1: return f("A { city: $0, zip: $1 }", {Ty::Str, Ty::OptInt});
        case 2: return f("A { city: $0, zip: none, tags: $1 }", {Ty::Str, Ty::ListStr});
        case 3: return with("A { ...$0, city: $1 }", {solid(Ty::Addr), expr(Ty::Str, depth - 1)});
        case 4: return with("($0 ?? $1)", {expr(Ty::OptAddr, depth - 1), expr(Ty::Addr, depth - 1)});
        case 5: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Addr, Ty::Addr});
        default: return with("($0[$1] ?? $2)", {solid(Ty::MapAddr), map_key(depth), expr(Ty::Addr, depth - 1)});
      }
    case Ty::OptAddr:
      switch (below(5)) {
        case 0: return with("$0.ship", {solid(Ty::Item)});
        case 1: return with("$0[$1]", {solid(Ty::MapAddr), map_key(depth)});
        case 2: return with("$0[$1]", {solid(Ty::ListOptAddr), index()});
        case 3: return f(chance(50) ? "(if $0 then none else $1)" : "(if $0 then $1 else none)", {Ty::Bool, Ty::Addr});
        default: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::OptAddr, Ty::OptAddr});
      }
    case Ty::Item:
      switch (below(4)) {
        case 0: return with("$0[$1]", {solid(Ty::ListItem), index()});
        case 1:
          return f("It { sku: $0, qty: $1, price: $2, w: $3, ship: $4, notes: [] }",
                   {Ty::Str, Ty::Int, Ty::Dec, Ty::Float, Ty::OptAddr});
        case 2: return with("It { ...$0, qty: $1 }", {solid(Ty::Item), expr(Ty::Int, depth - 1)});
        default: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::Item, Ty::Item});
      }
    case Ty::ListItem:
      switch (below(5)) {
        case 0: return with("$0.items", {solid(Ty::Box)});
        case 1: return list_function("filter", Ty::ListItem, Ty::Bool, depth, Ty::ListItem);
        case 2: return f("[$0, $1]", {Ty::Item, Ty::Item});
        case 3: return list_function("map", Ty::ListItem, Ty::Item, depth);
        default: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::ListItem, Ty::ListItem});
      }
    case Ty::Box:
      if (chance(50)) return with("Bx { ...$0, label: none }", {solid(Ty::Box)});
      return f("Bx { label: $0, items: $1, dims: $2, home: $3 }", {Ty::OptStr, Ty::ListItem, Ty::MapInt, Ty::Addr});
    case Ty::MapStr:
      switch (below(4)) {
        case 0: return with("{\"a\": $0, \"b\": $1}", {expr(Ty::Str, depth - 1), expr(Ty::Str, depth - 1)});
        case 1:  // keys may repeat at run time: the last value wins
          return unique_keys(
              with("{$0: $1, \"a\": $2, $3: $4}", {map_key(depth), expr(Ty::Str, depth - 1), expr(Ty::Str, depth - 1),
                                                   map_key(depth), expr(Ty::Str, depth - 1)}),
              {0, 3}, {"\"a\""});
        case 2: return f("(if $0 then $1 else $2)", {Ty::Bool, Ty::MapStr, Ty::MapStr});
        default: return leaf(type);
      }
    case Ty::MapInt:
      switch (below(3)) {
        case 0: return with("$0.dims", {solid(Ty::Box)});
        case 1:
          return unique_keys(
              with("{\"b\": $0, $1: $2}", {expr(Ty::Int, depth - 1), map_key(depth), expr(Ty::Int, depth - 1)}), {1},
              {"\"b\""});
        default: return leaf(type);
      }
    case Ty::MapAddr:
      if (chance(50)) return with("{$0: $1}", {map_key(depth), expr(Ty::Addr, depth - 1)});
      return leaf(type);
    case Ty::ListDec:
      switch (below(4)) {
        case 0: return list_function("map", Ty::ListDec, Ty::Dec, depth);
        case 1: return f("[$0, $1]", {Ty::Dec, Ty::Int});
        case 2: return list_function("filter", Ty::ListDec, Ty::Bool, depth, Ty::ListDec);
        default: return leaf(type);
      }
    case Ty::ListOptAddr:
      switch (below(3)) {
        case 0: return list_function("map", Ty::ListOptAddr, Ty::OptAddr, depth);
        case 1: return f("[$0, none]", {Ty::Addr});
        default: return leaf(type);
      }
    default: return leaf(type);
  }
}

eval::Value Generator::structured_value(Ty type) {
  using eval::Value;
  auto list_of = [&](Ty element) {
    size_t count = chance(30) ? 0 : 1 + below(3);
    std::vector<Value> items;
    for (size_t i = 0; i < count; ++i) items.push_back(value(element));
    return Value::list(std::move(items));
  };
  auto map_of = [&](Ty element) {
    std::vector<std::string> keys;
    size_t count = chance(25) ? 0 : 1 + below(3);
    for (size_t i = 0; i < count; ++i) keys.push_back(pick(kKeys));
    std::sort(keys.begin(), keys.end());  // bytewise, as std::string compares
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::vector<Value> values;
    for (size_t i = 0; i < keys.size(); ++i) values.push_back(value(element));
    return Value::map(std::move(keys), std::move(values));
  };
  switch (type) {
    case Ty::Addr: return Value::record({value(Ty::Str), value(Ty::OptInt), list_of(Ty::Str)});
    case Ty::OptAddr: return chance(40) ? Value::none() : value(Ty::Addr);
    case Ty::Item:
      return Value::record(
          {value(Ty::Str), value(Ty::Int), value(Ty::Dec), value(Ty::Float), value(Ty::OptAddr), list_of(Ty::OptInt)});
    case Ty::ListItem: return list_of(Ty::Item);
    case Ty::Box: return Value::record({value(Ty::OptStr), list_of(Ty::Item), map_of(Ty::Int), value(Ty::Addr)});
    case Ty::MapStr: return map_of(Ty::Str);
    case Ty::MapInt: return map_of(Ty::Int);
    case Ty::MapAddr: return map_of(Ty::Addr);
    case Ty::ListDec: return list_of(Ty::Dec);
    case Ty::ListOptAddr: return list_of(Ty::OptAddr);
    default: return Value::none();
  }
}

}  // namespace flow::difftest
