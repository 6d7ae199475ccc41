// Structured data on the reference interpreter (language.md §4.1, ir.h
// "Records and maps" and "List functions", docs/evaluation.md): field paths
// through records, lists of records and maps, optional paths at depth,
// record literals with spreads, overrides and defaults, map literals and
// look-ups, the list functions with lambdas (capturing the rule's parameter
// and outer lambdas' parameters), structural equality, and the witnesses
// of `any`/`all`. Events are filled from eval::Values (value_io), so the
// values read back went through the real layouts.
#include <catch2/catch.hpp>

#include <cmath>

#include "eval_fixture.h"
#include "ir/ir_printer.h"

using namespace flow;
using namespace flow::testing;
using eval::EvalErrorKind;
using eval::Value;

namespace {

const char* kOrderPrelude = R"(module t
record Address { street: string, city: string, country: string = "NL" }
record Item { sku: string, qty: int, price: decimal, weight: float = 1.0, tags: list<string> = [] }
record Party { name: string, home: Address?, alt: Address? }
record Crate { label: string, items: list<Item>, origin: Address?, sizes: map<string, list<int>> }
event O {
  key id: string
  ship_to: Address
  bill_to: Address?
  items: list<Item>
  labels: map<string, string>
  stock: map<string, Item>
  party: Party?
  limit: int
  maybe_items: list<Item?>
  nums: list<int>
  floats: list<float>
  crates: list<Crate>
}
)";

Value address(const std::string& street, const std::string& city, const std::string& country = "NL") {
  return Value::record({S(street), S(city), S(country)});
}

Value decimal(const std::string& text) {
  FlowDecimal d{};
  REQUIRE(flow_rt_decimal_parse(text.data(), text.size(), &d) == FLOW_DECIMAL_PARSE_OK);
  return Value::decimal(d);
}

Value item(const std::string& sku, int64_t qty, const std::string& price, double weight = 1.0,
           std::vector<Value> tags = {}) {
  return Value::record({S(sku), I(qty), decimal(price), F(weight), L(std::move(tags))});
}

/// The field values of the test event O, by name; tests change some.
struct Order {
  Value ship_to = address("Main 1", "Utrecht");
  Value bill_to = None();
  Value items = L({item("a", 2, "1.50"), item("b", 10, "2.25", 0.5, {S("bulk")}), item("c", 1, "10")});
  Value labels = Value::map({"prio", "source"}, {S("high"), S("web")});
  Value stock = Value::map({"a", "z"}, {item("a", 5, "1.50"), item("z", 0, "0.01")});
  Value party = None();
  Value limit = I(5);
  Value maybe_items = L({None(), item("m", 3, "3")});
  Value nums = L({I(3), I(1), I(4), I(1), I(5)});
  Value floats = L({F(0.5), F(0.25)});
  Value crates =
      L({Value::record({S("c1"), L({item("x", 4, "0.10"), item("y", 6, "0.20")}), None(),
                        Value::map({"h", "w"}, {L({I(1), I(2)}), L({})})}),
         Value::record({S("c2"), L({item("z", 1, "9.99")}), address("Dock 9", "Antwerp", "BE"), Value::map({}, {})})});
};

/// Writes the fields of O into `b` (an O, or an event that includes O).
void fill_order(layout::EventBuilder& b, const Order& o) {
  auto set = [&](const char* name, const Value& v) { eval::write_field(b, b.field(name), v); };
  set("id", S("o-1"));
  set("ship_to", o.ship_to);
  set("bill_to", o.bill_to);
  set("items", o.items);
  set("labels", o.labels);
  set("stock", o.stock);
  set("party", o.party);
  set("limit", o.limit);
  set("maybe_items", o.maybe_items);
  set("nums", o.nums);
  set("floats", o.floats);
  set("crates", o.crates);
}

const uint8_t* order_event(Compiled& c, const Order& o) {
  auto b = c.builder("O");
  fill_order(b, o);
  return b.instance();
}

/// `decision D(o: O) -> type { else => expr }` with `extra` declarations.
std::unique_ptr<Compiled> compile_order(const std::string& expr, const std::string& type,
                                        const std::string& extra = "") {
  std::string source =
      std::string(kOrderPrelude) + extra + "\ndecision D(o: O) -> " + type + " { else => " + expr + " }\n";
  INFO("source: " << source);
  return compile(source);
}

eval::EvalResult run_order(const std::string& expr, const std::string& type, const Order& order = {},
                           const std::string& extra = "") {
  auto c = compile_order(expr, type, extra);
  return c->run(c->rule("D"), order_event(*c, order));
}

Value order_value(const std::string& expr, const std::string& type, const Order& order = {},
                  const std::string& extra = "") {
  eval::EvalResult r = run_order(expr, type, order, extra);
  INFO(expr << " failed: " << (r.ok() ? "" : r.error().message));
  REQUIRE(r.ok());
  return r.value();
}

EvalErrorKind order_error(const std::string& expr, const std::string& type, const Order& order = {}) {
  eval::EvalResult r = run_order(expr, type, order);
  INFO(expr << " = " << (r.ok() ? r.value().to_string() : ""));
  REQUIRE_FALSE(r.ok());
  return r.error().kind;
}

/// The value as Flow literal text (decimals keep their exponent).
std::string text(const std::string& expr, const std::string& type, const Order& order = {},
                 const std::string& extra = "") {
  return order_value(expr, type, order, extra).to_string();
}

}  // namespace

TEST_CASE("field paths read records, list elements and map values") {
  CHECK(order_value("o.ship_to.city", "string") == S("Utrecht"));
  CHECK(order_value("o.ship_to", "Address") == address("Main 1", "Utrecht"));
  CHECK(order_value("o.items[1].qty", "int") == I(10));
  CHECK(text("o.items[1].price", "decimal") == "2.25d");
  CHECK(order_value("o.items[1].tags[0]", "string") == S("bulk"));
  CHECK(order_value("len(o.items[2].tags)", "int") == I(0));
  CHECK(order_value("(o.stock[\"a\"] ?? o.items[0]).qty", "int") == I(5));
  CHECK(order_value("o.maybe_items[1] ?? o.items[0]", "Item") == item("m", 3, "3"));
  CHECK(order_error("o.items[3].qty", "int") == EvalErrorKind::IndexOutOfRange);
}

TEST_CASE("records in lists in records in lists, and maps of lists inside them") {
  CHECK(order_value("o.crates[1].items[0].sku", "string") == S("z"));
  CHECK(text("o.crates[0].items[1].price", "decimal") == "0.20d");
  CHECK(order_value("o.crates[1].origin?.country", "string?") == S("BE"));
  CHECK(order_value("o.crates[0].origin?.country", "string?").is_none());
  CHECK(order_value("o.crates[0].sizes[\"h\"] ?? []", "list<int>") == L({I(1), I(2)}));
  CHECK(order_value("len(o.crates[0].sizes[\"w\"] ?? [9])", "int") == I(0));
  CHECK(order_value("sum(o.crates, c => sum(c.items, i => i.qty))", "int") == I(11));
  CHECK(text("sum(o.crates, c => sum(c.items, i => i.price * i.qty))", "decimal") == "11.59d");
  CHECK(order_value("any(o.crates, c => c.origin?.country == \"BE\")", "bool") == B(true));
  CHECK(order_value("map(o.crates, c => len(c.sizes))", "list<int>") == L({I(2), I(0)}));
  CHECK(order_value("map(filter(o.crates, c => is_some(c.origin)), c => c.label)", "list<string>") == L({S("c2")}));
  CHECK(order_value("o.crates[0] == o.crates[0]", "bool") == B(true));
  CHECK(order_value("o.crates[0] == o.crates[1]", "bool") == B(false));
  CHECK(order_value("Crate { ...o.crates[0], label: \"c1\" } == o.crates[0]", "bool") == B(true));
  CHECK(order_value("Crate { ...o.crates[0], sizes: {\"h\": [1, 2], \"w\": []} } == o.crates[0]", "bool") == B(true));
  CHECK(order_value("Crate { ...o.crates[0], sizes: {\"h\": [1, 2]} } == o.crates[0]", "bool") == B(false));
  // A record with a NaN field is not equal to itself, as the float is not.
  Order nan;
  nan.floats = L({F(std::nan(""))});
  const std::string with_nan = "Item { sku: \"n\", qty: 1, price: 1.0d, weight: o.floats[0] }";
  CHECK(order_value(with_nan + " == " + with_nan, "bool", nan) == B(false));
  CHECK(order_value(with_nan + " != " + with_nan, "bool", nan) == B(true));
  CHECK(order_value(with_nan + " == " + with_nan, "bool") == B(true));
}

TEST_CASE("optional paths are none when any step is absent, without double wrapping") {
  Order none_party;
  CHECK(order_value("o.bill_to?.city", "string?", none_party).is_none());
  CHECK(order_value("o.party?.home", "Address?", none_party).is_none());
  Order billed;
  billed.bill_to = address("Side 2", "Gent", "BE");
  CHECK(order_value("o.bill_to?.city", "string?", billed) == S("Gent"));
  CHECK(order_value("o.bill_to?.city ?? \"-\"", "string", billed) == S("Gent"));
  CHECK(order_value("o.bill_to?.city ?? \"-\"", "string") == S("-"));

  // Depth: party? -> home? -> city; each absent step gives none.
  const std::string path = "(o.party?.home)?.city";
  CHECK(order_value(path, "string?").is_none());
  Order no_home;
  no_home.party = Value::record({S("Ann"), None(), None()});
  CHECK(order_value(path, "string?", no_home).is_none());
  CHECK(order_value("o.party?.name", "string?", no_home) == S("Ann"));
  Order home;
  home.party = Value::record({S("Ann"), address("Home 3", "Delft"), None()});
  CHECK(order_value(path, "string?", home) == S("Delft"));
  CHECK(order_value("is_some(o.party?.home)", "bool", home) == B(true));
  CHECK(order_value("is_some(o.party?.alt)", "bool", home) == B(false));

  // `?.` on a value that is never absent is an ordinary read.
  auto c = compile_order("o.ship_to?.city", "string");
  CHECK(c->run(c->rule("D"), order_event(*c, {})).value() == S("Utrecht"));
}

TEST_CASE("record literals: spreads, overrides, defaults and evaluation order") {
  CHECK(order_value("Address { street: \"s\", city: \"c\" }", "Address") == address("s", "c", "NL"));
  CHECK(order_value("Address { city: \"c\", street: \"s\", country: \"DE\" }", "Address") == address("s", "c", "DE"));
  CHECK(order_value("Address { ...o.ship_to, city: \"Gent\" }", "Address") == address("Main 1", "Gent"));
  // A later spread overrides an earlier one; explicit fields override both.
  Order billed;
  billed.bill_to = address("Side 2", "Gent", "BE");
  CHECK(order_value("Address { ...o.ship_to, ...(o.bill_to ?? o.ship_to) }", "Address", billed) ==
        address("Side 2", "Gent", "BE"));
  CHECK(order_value("Address { country: \"FR\", ...o.ship_to, ...(o.bill_to ?? o.ship_to) }", "Address", billed) ==
        address("Side 2", "Gent", "FR"));
  // Defaults, including list defaults and defaults of an included record.
  CHECK(order_value("Item { sku: \"x\", qty: 1, price: 2.0d }", "Item") == item("x", 1, "2.0"));
  CHECK(order_value("Wide { sku: \"x\", qty: 1, price: 2.0d }", "Wide", {},
                    "record Wide { ...Item, note: string = \"n\" }") ==
        Value::record({S("x"), I(1), decimal("2.0"), F(1.0), L({}), S("n")}));
  // A spread from the event copies the fields the record has.
  CHECK(order_value("Lim { ...o }", "Lim", {}, "record Lim { id: string, limit: int, extra: int? }") ==
        Value::record({S("o-1"), I(5), None()}));
  // Nested record literals and lists of them.
  CHECK(order_value("[Item { sku: \"x\", qty: o.limit, price: 1.0d }, o.items[0]][0].qty", "int") == I(5));
  CHECK(order_value("Party { name: \"P\", home: Address { ...o.ship_to, country: \"BE\" } }.home?.country",
                    "string?") == S("BE"));

  // Initialisers are evaluated left to right, each once: the first error is
  // the leftmost one in the source, whatever the record's field order.
  auto c = compile_order("Address { city: \"x\" + o.items[7].sku, street: o.items[9].sku }", "Address");
  eval::EvalResult r = c->run(c->rule("D"), order_event(*c, {}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("index 7") != std::string::npos);
}

TEST_CASE("record defaults are functions the decoders can call") {
  auto c = compile_order("o.limit", "int", "record Wide { ...Item, note: string = \"n\" }");
  auto* item_decl = ast::dyn_cast<ast::RecordDecl>(c->decl("Item"));
  REQUIRE(item_decl);
  const ir::Function* weight = c->module().field_default(&item_decl->info, 3);
  REQUIRE(weight);
  CHECK(c->run(*weight, nullptr).value() == F(1.0));
  CHECK(c->module().field_default(&item_decl->info, 0) == nullptr);
  // An included default is the same function.
  auto* wide = ast::dyn_cast<ast::RecordDecl>(c->decl("Wide"));
  CHECK(c->module().field_default(&wide->info, 3) == weight);
  CHECK(c->index().field_default(wide, 5) != nullptr);
  CHECK(c->run(*c->module().field_default(&wide->info, 4), nullptr).value() == L({}));
}

TEST_CASE("an event field default may be a record literal with its own defaults") {
  auto c = compile(std::string(kOrderPrelude) + R"(
event P { key id: string, at: Address = Address { street: "s", city: "c" }, tags: map<string, int> = {"b": 2, "a": 1} }
rule R(p: P) = p.at.country == "NL"
)");
  const auto* p = c->event("P");
  const ir::Function* at = c->module().field_default(&p->info, 1);
  REQUIRE(at);
  CHECK(c->run(*at, nullptr).value() == address("s", "c", "NL"));
  const ir::Function* tags = c->module().field_default(&p->info, 2);
  REQUIRE(tags);
  CHECK(c->run(*tags, nullptr).value() == Value::map({"a", "b"}, {I(1), I(2)}));
}

TEST_CASE("map literals, look-ups, has, len and keys") {
  CHECK(order_value("o.labels[\"prio\"]", "string?") == S("high"));
  CHECK(order_value("o.labels[\"nope\"]", "string?").is_none());
  CHECK(order_value("o.labels[\"\"]", "string?").is_none());
  CHECK(order_value("has(o.labels, \"source\")", "bool") == B(true));
  CHECK(order_value("has(o.labels, \"sourc\")", "bool") == B(false));
  CHECK(order_value("len(o.labels)", "int") == I(2));
  CHECK(order_value("keys(o.labels)", "list<string>") == L({S("prio"), S("source")}));
  CHECK(order_value("o.stock[\"z\"]?.qty", "int?") == I(0));
  CHECK(order_value("o.stock[\"y\"]?.qty", "int?").is_none());
  // Literals are sorted bytewise (a prefix first, then by unsigned byte);
  // a repeated key keeps its last value.
  CHECK(order_value("{\"b\": 1, \"a\": 2, \"ab\": 3, \"\\u{e9}\": 4, \"B\": 5}", "map<string, int>") ==
        Value::map({"B", "a", "ab", "b", "\xc3\xa9"}, {I(5), I(2), I(3), I(1), I(4)}));
  CHECK(order_value("{o.id: 1, \"o-1\": 2}", "map<string, int>") == Value::map({"o-1"}, {I(2)}));
  CHECK(order_value("keys({\"z\": 0, \"y\": 0})", "list<string>") == L({S("y"), S("z")}));
  CHECK(order_value("len({})", "int") == I(0));
  CHECK(order_value("{\"a\": 1}[\"a\"] ?? 0", "int") == I(1));
  CHECK(order_value("{\"k\": [1, 2]}[\"k\"] ?? []", "list<int>") == L({I(1), I(2)}));
  CHECK(order_value("{\"i\": 1, \"f\": 2.5}", "map<string, float>") == Value::map({"f", "i"}, {F(2.5), F(1.0)}));
  CHECK(order_value("{\"k\": Address { street: \"s\", city: o.ship_to.city }}[\"k\"]?.city", "string?") ==
        S("Utrecht"));
  CHECK(order_value("o.labels == {\"source\": \"web\", \"prio\": \"high\"}", "bool") == B(true));
  CHECK(order_value("o.labels != {\"source\": \"web\"}", "bool") == B(true));
  CHECK(order_value("o.labels == {}", "bool") == B(false));
  Order empty;
  empty.labels = Value::map({}, {});
  CHECK(order_value("o.labels == {}", "bool", empty) == B(true));
  CHECK(order_value("keys(o.labels)", "list<string>", empty) == L({}));
}

TEST_CASE("records and maps compare structurally") {
  CHECK(order_value("o.ship_to == Address { street: \"Main 1\", city: \"Utrecht\" }", "bool") == B(true));
  CHECK(order_value("o.ship_to == Address { street: \"Main 1\", city: \"Utrecht\", country: \"BE\" }", "bool") ==
        B(false));
  CHECK(order_value("o.ship_to != o.ship_to", "bool") == B(false));
  CHECK(order_value("o.bill_to == none", "bool") == B(true));
  CHECK(order_value("o.bill_to == o.ship_to", "bool") == B(false));
  CHECK(order_value("o.items[0] == Item { sku: \"a\", qty: 2, price: 1.5d }", "bool") == B(true));  // 1.5 == 1.50
  CHECK(order_value("o.items == o.items", "bool") == B(true));
  CHECK(order_value("o.stock[\"a\"] == o.items[0]", "bool") == B(false));  // qty 5 vs 2
  CHECK(order_value("o.items[0] in o.items", "bool") == B(true));
  CHECK(order_value("Item { sku: \"a\", qty: 2, price: 1.50d } in o.items", "bool") == B(true));
  CHECK(order_value("Item { sku: \"a\", qty: 3, price: 1.50d } in o.items", "bool") == B(false));
  CHECK(order_value("contains(o.items, o.stock[\"a\"] ?? o.items[2])", "bool") == B(false));
  CHECK(order_value("o.ship_to not in [o.bill_to ?? o.ship_to]", "bool") == B(false));
}

TEST_CASE("any and all stop at the element that decides") {
  CHECK(order_value("any(o.items, i => i.qty >= 10)", "bool") == B(true));
  CHECK(order_value("any(o.items, i => i.qty > 10)", "bool") == B(false));
  CHECK(order_value("all(o.items, i => i.qty >= 1)", "bool") == B(true));
  CHECK(order_value("all(o.items, i => i.qty >= 2)", "bool") == B(false));
  Order none;
  none.items = L({});
  CHECK(order_value("any(o.items, i => true)", "bool", none) == B(false));
  CHECK(order_value("all(o.items, i => false)", "bool", none) == B(true));
  // Early stop: the element after the deciding one would fail.
  CHECK(order_value("any(o.nums, n => 12 / (n - 4) < -5)", "bool") == B(true));  // 3 decides; 4 would divide by 0
  CHECK(order_error("all(o.nums, n => 12 / (n - 4) < 0)", "bool") == EvalErrorKind::DivisionByZero);
  CHECK(order_value("all(o.nums, n => n != 1 and 12 / (n - 4) < 0)", "bool") == B(false));  // 1 decides first
  CHECK(order_error("count(o.nums, n => 12 / (n - 4) > 0)", "int") == EvalErrorKind::DivisionByZero);
}

TEST_CASE("lambdas read the rule's parameter and outer lambdas' parameters") {
  CHECK(order_value("count(o.items, i => i.qty >= o.limit)", "int") == I(1));
  CHECK(order_value("filter(o.nums, n => n > o.limit - 2)", "list<int>") == L({I(4), I(5)}));
  // Nested: for each item, any number equal to its quantity.
  CHECK(order_value("map(o.items, i => any(o.nums, n => n == i.qty))", "list<bool>") ==
        L({B(false), B(false), B(true)}));
  CHECK(order_value("all(o.items, i => all(i.tags, t => len(t) > i.qty - 10))", "bool") == B(true));
  CHECK(order_value("map(o.nums, n => count(o.nums, m => m < n))", "list<int>") == L({I(2), I(0), I(3), I(0), I(4)}));
  // Two lambdas in sequence reuse nothing of each other.
  CHECK(order_value("sum(o.nums, n => n) + sum(o.items, i => i.qty)", "int") == I(14 + 13));
  // A lambda in a rule called from a lambda-free decision, and in a constant.
  CHECK(order_value("Bulk(o)", "bool", {}, "rule Bulk(x: O) = any(x.items, i => i.qty >= x.limit)\n") == B(true));
  CHECK(order_value("Evens", "list<int>", {}, "const Evens = filter([1, 2, 3, 4], n => n % 2 == 0)\n") ==
        L({I(2), I(4)}));
  // Over optional elements and records in maps.
  CHECK(order_value("count(o.maybe_items, m => is_some(m))", "int") == I(1));
  CHECK(order_value("map(o.maybe_items, m => m?.sku)", "list<string?>") == L({None(), S("m")}));
  CHECK(order_value("map(keys(o.stock), k => o.stock[k]?.qty ?? -1)", "list<int>") == L({I(5), I(0)}));
}

TEST_CASE("count, filter and map") {
  CHECK(order_value("count(o.nums, n => n == 1)", "int") == I(2));
  CHECK(order_value("filter(o.items, i => i.qty < 5)", "list<Item>") == L({item("a", 2, "1.50"), item("c", 1, "10")}));
  CHECK(order_value("map(o.items, i => i.sku)", "list<string>") == L({S("a"), S("b"), S("c")}));
  CHECK(order_value("map(o.nums, n => n * 0.5)", "list<float>") == L({F(1.5), F(0.5), F(2.0), F(0.5), F(2.5)}));
  CHECK(order_value("map(o.items, i => Address { street: i.sku, city: \"c\" })", "list<Address>") ==
        L({address("a", "c"), address("b", "c"), address("c", "c")}));
  CHECK(order_value("map(o.nums, n => if n > 3 then n else none)", "list<int?>") ==
        L({None(), None(), I(4), None(), I(5)}));
  CHECK(order_value("filter(filter(o.nums, n => n > 9), n => n > 1)", "list<int>") == L({}));
  CHECK(order_value("map([1, 2], n => [n, n])", "list<list<int>>") == L({L({I(1), I(1)}), L({I(2), I(2)})}));
}

TEST_CASE("sum of ints, floats and decimals; int overflow is an error") {
  CHECK(order_value("sum(o.nums, n => n)", "int") == I(14));
  CHECK(order_value("sum(o.floats, x => x)", "float") == F(0.75));
  CHECK(text("sum(o.items, i => i.price * i.qty)", "decimal") == "35.50d");
  CHECK(text("sum(o.items, i => i.price)", "decimal") == "13.75d");
  Order none;
  none.items = L({});
  none.nums = L({});
  none.floats = L({});
  CHECK(order_value("sum(o.nums, n => n)", "int", none) == I(0));
  CHECK(order_value("sum(o.floats, n => n)", "float", none) == F(0.0));
  CHECK(text("sum(o.items, i => i.price)", "decimal", none) == "0d");
  // Floats add left to right: (1e16 + 1) + 1 loses both ones.
  Order floats;
  floats.floats = L({F(1e16), F(1.0), F(1.0)});
  CHECK(order_value("sum(o.floats, x => x)", "float", floats) == F(1e16));
  Order big;
  big.nums = L({I(INT64_MAX), I(1), I(-5)});
  CHECK(order_error("sum(o.nums, n => n)", "int", big) == EvalErrorKind::Overflow);
  CHECK(order_value("sum(o.nums, n => n - 1)", "int", big) == I(INT64_MAX - 1 + 0 - 6));
  CHECK(text("sum(o.nums, n => decimal(n))", "decimal", big) == "9223372036854775803d");
}

TEST_CASE("min_of and max_of: none when empty, the first on ties") {
  CHECK(order_value("min_of(o.nums, n => n)", "int?") == I(1));
  CHECK(order_value("max_of(o.nums, n => n)", "int?") == I(5));
  CHECK(order_value("max_of(o.items, i => i.sku)", "string?") == S("c"));
  CHECK(order_value("min_of(o.items, i => i.qty * 0 + 1)", "int?") == I(1));
  // Decimals that tie by value keep the first's exponent.
  Order ties;
  ties.items = L({item("a", 1, "2.0"), item("b", 1, "1.50"), item("c", 1, "1.5"), item("d", 1, "2.00")});
  CHECK(text("min_of(o.items, i => i.price)", "decimal?", ties) == "1.50d");
  CHECK(text("max_of(o.items, i => i.price)", "decimal?", ties) == "2.0d");
  Order none;
  none.items = L({});
  none.nums = L({});
  CHECK(order_value("min_of(o.nums, n => n)", "int?", none).is_none());
  CHECK(order_value("max_of(o.items, i => i.price)", "decimal?", none).is_none());
  CHECK(order_value("min_of(o.nums, n => n) ?? -1", "int", none) == I(-1));
  // Floats as min()/max(): -0.0 is below 0.0, NaN wins.
  Order zeros;
  zeros.floats = L({F(0.0), F(-0.0)});
  Value lowest = order_value("min_of(o.floats, x => x)", "float?", zeros);
  CHECK(std::signbit(lowest.as_float()));
  Order nan;
  nan.floats = L({F(1.0), F(std::nan("")), F(2.0)});
  CHECK(std::isnan(order_value("max_of(o.floats, x => x)", "float?", nan).as_float()));
  CHECK(order_value("min_of(o.nums, n => @2026-01-01T00:00:00Z + n * 1h)", "timestamp?") == Ts("2026-01-01T01:00:00Z"));
  CHECK(order_value("max_of(o.nums, n => n * 1m)", "duration?") == D(300'000'000));
}

TEST_CASE("any and all record their witness") {
  auto c = compile_order("any(o.items, i => i.qty >= o.limit) and all(o.nums, n => n < 5)", "bool");
  const uint8_t* event = order_event(*c, {});
  std::vector<eval::Witness> witnesses;
  eval::EvalContext context;
  context.witnesses = &witnesses;
  eval::EvalResult r = c->interpreter->run(c->rule("D"), event, context);
  REQUIRE(r.ok());
  CHECK(r.value() == B(false));
  REQUIRE(witnesses.size() == 2);
  CHECK(witnesses[0].node->op == ir::Op::ListAny);
  CHECK(witnesses[0].index == 1);
  CHECK(witnesses[0].element == item("b", 10, "2.25", 0.5, {S("bulk")}));
  CHECK(witnesses[0].function == &c->rule("D"));
  CHECK(witnesses[1].node->op == ir::Op::ListAll);
  CHECK(witnesses[1].index == 4);
  CHECK(witnesses[1].element == I(5));
  // The range is the call in the source.
  auto lc = witnesses[1].node->range.file->line_column(witnesses[1].node->range.begin);
  CHECK(lc.column > 40);

  // No witness when nothing decides: a false any, a true all, an empty list.
  witnesses.clear();
  auto quiet = compile_order("any(o.items, i => i.qty > 99) or all(o.nums, n => n > 0)", "bool");
  REQUIRE(quiet->interpreter->run(quiet->rule("D"), order_event(*quiet, {}), context).ok());
  CHECK(witnesses.empty());
  // Nested: the inner quantifier decides (per outer element) before the outer one.
  auto nested = compile_order("any(o.items, i => any(i.tags, t => t == \"bulk\"))", "bool");
  REQUIRE(nested->interpreter->run(nested->rule("D"), order_event(*nested, {}), context).value() == B(true));
  REQUIRE(witnesses.size() == 2);
  CHECK(witnesses[0].element == S("bulk"));
  CHECK(witnesses[0].index == 0);
  CHECK(witnesses[1].index == 1);
  CHECK(witnesses[1].node->op == ir::Op::ListAny);
  // Without the context's vector, nothing is recorded (and nothing breaks).
  CHECK(nested->run(nested->rule("D"), order_event(*nested, {})).value() == B(true));
}

TEST_CASE("structured nodes print in the IR") {
  auto c = compile_order("any(o.items, i => i.qty >= o.limit)", "bool");
  std::string printed = ir::print_function(c->rule("D"));
  CHECK(printed.find("(list_any:bool $0") != std::string::npos);
  CHECK(printed.find("(field:int #1 @16 (local:Item $0))") != std::string::npos);
  auto r = compile_order("Address { ...o.ship_to, city: \"x\" }", "Address");
  printed = ir::print_function(r->rule("D"));
  CHECK(printed.find("make_record:Address") != std::string::npos);
  auto m = compile_order("{\"a\": 1}[\"a\"]", "int?");
  printed = ir::print_function(m->rule("D"));
  INFO(printed);
  CHECK(printed.find("(map_index:int? (make_map:map<string, int> (string:string \"a\") (int:int 1))") !=
        std::string::npos);
}

TEST_CASE("conditions quantify over `it`; emit initialisers build nested records for the target event") {
  auto c = compile(std::string(kOrderPrelude) + R"(
event Shipped { key id: string, to: Address, first: Item?, count: int, labels: map<string, string>,
              notes: map<string, string> = {"via": "post"} }
service Ship {
  consumes o: O
  publishes Shipped
  emit Shipped { ...o, to: Address { ...o.ship_to, street: upper(o.ship_to.street) }, first: o.items[0],
                 count: count(o.items, i => i.qty > 1) }
}
flow F { start O on O when any(it.items, i => i.qty > it.limit) -> Ship }
)");
  const uint8_t* trigger = order_event(*c, {});
  const ir::Function* condition = c->index().condition(ast::dyn_cast<ast::FlowDecl>(c->decl("F")), 0);
  REQUIRE(condition);
  CHECK(c->run(*condition, trigger).value() == B(true));
  const ir::EmitPlan* plan = c->index().emit(ast::dyn_cast<ast::ServiceDecl>(c->decl("Ship")), 0, c->event("O"));
  REQUIRE(plan);
  auto target = c->builder("Shipped");
  for (size_t f = 0; f < plan->fields.size(); ++f) {
    const auto& source = plan->fields[f];
    REQUIRE(source.kind != ir::EmitPlan::Source::Absent);
    bool init = source.kind == ir::EmitPlan::Source::Init;
    eval::EvalResult r = c->run(c->module().function(source.function), init ? trigger : nullptr);
    INFO(plan->target->fields[f].name << ": " << (r.ok() ? "" : r.error().message));
    REQUIRE(r.ok());
    eval::write_field(target, static_cast<int>(f), r.value());
  }
  const auto& layout = c->layout("Shipped");
  CHECK(eval::read_field(layout, target.instance(), 0) == S("o-1"));
  CHECK(eval::read_field(layout, target.instance(), 1) == address("MAIN 1", "Utrecht"));
  CHECK(eval::read_field(layout, target.instance(), 2) == item("a", 2, "1.50"));
  CHECK(eval::read_field(layout, target.instance(), 3) == I(2));
  CHECK(eval::read_field(layout, target.instance(), 4) == Value::map({"prio", "source"}, {S("high"), S("web")}));
  CHECK(plan->fields[5].kind == ir::EmitPlan::Source::Default);
  CHECK(eval::read_field(layout, target.instance(), 5) == Value::map({"via"}, {S("post")}));
}

// Interpreter only for now, like the rest of this file: the JIT takes
// floor()/ceil() of a decimal when it takes the structured ops.
TEST_CASE("floor and ceil of a decimal give an int") {
  CHECK(order_value("floor(o.items[1].price)", "int") == I(2));
  CHECK(order_value("ceil(o.items[1].price)", "int") == I(3));
  CHECK(order_value("floor(-o.items[1].price)", "int") == I(-3));
  CHECK(order_value("ceil(-o.items[1].price)", "int") == I(-2));
  CHECK(order_value("ceil(o.items[2].price)", "int") == I(10));
  CHECK(order_value("round(2.5d) + floor(0.001d) + ceil(0.001d)", "int") == I(2 + 0 + 1));
  CHECK(order_value("sum(o.items, i => floor(i.price * i.qty))", "int") == I(3 + 22 + 10));
  CHECK(order_error("floor(10000000000000000000.5d)", "int") == EvalErrorKind::InvalidNumber);
  CHECK(order_error("ceil(-10000000000000000000.5d)", "int") == EvalErrorKind::InvalidNumber);
}

TEST_CASE("a rule with lambdas specialised for an event that includes its parameter type") {
  ir::LowerOptions options;
  options.all_specialisations = true;
  auto c = compile(std::string(kOrderPrelude) + R"(
event Big { flag: bool, ...O }
rule Bulk(o: O) = any(o.items, i => i.qty >= o.limit) and o.ship_to?.city == "Utrecht"
)",
                   options);
  const ir::Function& on_big = c->rule("Bulk", "Big");
  CHECK(on_big.event == &c->event("Big")->info);
  auto b = c->builder("Big");
  Order o;
  o.limit = I(11);
  // The same values as order_event writes, at Big's offsets.
  eval::write_field(b, b.field("flag"), B(true));
  fill_order(b, o);
  CHECK(c->run(on_big, b.instance()).value() == B(false));  // no quantity reaches 11
  eval::write_field(b, b.field("limit"), I(10));
  CHECK(c->run(on_big, b.instance()).value() == B(true));
}
