// The JIT on records, maps and the list functions with a lambda, from IR
// built by hand (the IR ops of ir.h, as lowering produces them), checked
// against values worked out by hand: field paths through records, optional
// records, record literals and equality, map literals (sorted, last write
// wins), m[k], has, len, keys, map equality, conversions, every quantifier
// with its edge cases and errors, and record-valued results. The source-level
// tests of the same constructs run on both back ends (structured_jit_test.cpp).
#include <catch2/catch.hpp>

#include "backend_compare.h"
#include "codegen/ir_fingerprint.h"
#include "codegen/jit.h"
#include "codegen/llvm_codegen.h"
#include "dual_fixture.h"
#include "eval/value_io.h"
#include "layout/event_builder.h"
#include "rt_abi/flow_rt_decimal.h"

using namespace flow;
using eval::Value;
using ir::NodePtr;
using ir::Op;

namespace {

Value I(int64_t v) {
  return Value::integer(v);
}
Value S(const std::string& v) {
  return Value::string(v);
}
Value B(bool v) {
  return Value::boolean(v);
}
Value Dec(const std::string& text) {
  FlowDecimal d{};
  REQUIRE(flow_rt_decimal_parse(text.data(), text.size(), &d) == FLOW_DECIMAL_PARSE_OK);
  return Value::decimal(d);
}
Value L(std::vector<Value> items) {
  return Value::list(std::move(items));
}
Value R(std::vector<Value> fields) {
  return Value::record(std::move(fields));
}

/// The types, records and event of the tests, a module to add functions to,
/// and instances of the event.
///   record Address  { street: string, city: string, zip: string? }
///   record LineItem { sku: string, qty: int, price: decimal, weight: float,
///                     tags: list<string>, ship: Address? }
///   event Order { id: string, ship_to: Address, bill_to: Address?,
///                 items: list<LineItem>, labels: map<string, string>,
///                 scores: map<string, int?>, stops: list<Address?> }
struct Fixture {
  TypeContext types;
  RecordInfo address, item;
  EventInfo order;
  const Type *t_address, *t_item, *t_order;
  ir::Module module;
  Arena arena;

  /// `longer_items`: LineItem gets one more field at its end, so its size
  /// (a list's stride) changes and no earlier field moves.
  explicit Fixture(bool longer_items = false) {
    address.name = address.qualified_name = "Address";
    address.fields = {{"street", types.string()}, {"city", types.string()}, {"zip", opt(types.string())}};
    address.index_fields();
    t_address = types.record(&address);
    item.name = item.qualified_name = "LineItem";
    item.fields = {{"sku", types.string()},
                   {"qty", types.integer()},
                   {"price", types.decimal()},
                   {"weight", types.floating()},
                   {"tags", types.list(types.string())},
                   {"ship", opt(t_address)}};
    if (longer_items) item.fields.push_back({"note", types.string()});
    item.index_fields();
    t_item = types.record(&item);
    order.name = order.qualified_name = "Order";
    order.fields = {{"id", types.string()},
                    {"ship_to", t_address},
                    {"bill_to", opt(t_address)},
                    {"items", types.list(t_item)},
                    {"labels", types.map(types.string())},
                    {"scores", types.map(opt(types.integer()))},
                    {"stops", types.list(opt(t_address))}};
    order.index_fields();
    t_order = types.event(&order);
    module.layouts.add(&order);
  }

  const Type* opt(const Type* t) { return types.optional(t); }

  // ---- IR nodes
  static NodePtr node(Op op, const Type* type, std::vector<NodePtr> operands = {}) {
    auto n = std::make_unique<ir::Node>(op, type);
    n->operands = std::move(operands);
    return n;
  }
  NodePtr event() { return node(Op::EventParam, t_order); }
  NodePtr integer(int64_t v) {
    auto n = node(Op::ConstInt, types.integer());
    n->int_value = v;
    return n;
  }
  NodePtr string(const std::string& v) {
    auto n = node(Op::ConstString, types.string());
    n->str_value = v;
    return n;
  }
  NodePtr decimal(const std::string& text) {
    auto n = node(Op::ConstDecimal, types.decimal());
    n->str_value = text;
    return n;
  }
  NodePtr none(const Type* optional) { return node(Op::ConstNone, optional); }
  NodePtr some(NodePtr value) {
    const Type* t = opt(value->type);
    return node(Op::WrapSome, t, vec(std::move(value)));
  }
  NodePtr local(int index, const Type* type) {
    auto n = node(Op::Local, type);
    n->index = index;
    return n;
  }
  /// owner.name, for an event or record owner.
  NodePtr field(NodePtr owner, const std::string& name) {
    const layout::StructLayout& layout = owner->type->kind == TypeKind::Record
                                             ? layout::record_layout(*owner->type->record_info)
                                             : module.layouts.of(owner->type->event_info);
    int index = layout.field_index(name);
    REQUIRE(index >= 0);
    auto n = node(Op::LoadField, layout.fields[static_cast<size_t>(index)].type);
    n->index = index;
    n->offset = layout.fields[static_cast<size_t>(index)].offset;
    n->operands.push_back(std::move(owner));
    return n;
  }
  NodePtr e(const std::string& name) { return field(event(), name); }
  NodePtr index(NodePtr list, int64_t i) {
    const Type* element = list->type->element;
    return node(Op::ListIndex, element, vec(std::move(list), integer(i)));
  }
  /// A list function over `list` with the element as local `param`.
  NodePtr quantifier(Op op, const Type* type, NodePtr list, int param, NodePtr body) {
    auto n = node(op, type, vec(std::move(list), std::move(body)));
    n->index = param;
    return n;
  }
  NodePtr binary(Op op, const Type* type, NodePtr a, NodePtr z) {
    return node(op, type, vec(std::move(a), std::move(z)));
  }

  template <typename... Nodes>
  static std::vector<NodePtr> vec(Nodes&&... nodes) {
    std::vector<NodePtr> out;
    (out.push_back(std::move(nodes)), ...);
    return out;
  }

  /// Adds `decision F<n>(o: Order) -> result` with `body`; returns its id.
  int add(NodePtr body, uint32_t locals = 4) {
    auto fn = std::make_unique<ir::Function>();
    fn->id = static_cast<uint32_t>(module.functions.size());
    fn->kind = ir::FunctionKind::Decision;
    fn->name = "decision F" + std::to_string(fn->id) + "[Order]";
    fn->event = &order;
    fn->result = body->type;
    fn->local_count = locals;
    fn->body = std::move(body);
    module.functions.push_back(std::move(fn));
    return static_cast<int>(module.functions.size() - 1);
  }

  // ---- Instances
  Value address_value(const std::string& street, const std::string& city, const Value& zip) {
    return R({S(street), S(city), zip});
  }
  Value item_value(const std::string& sku, int64_t qty, const std::string& price, double weight,
                   std::vector<Value> tags, const Value& ship) {
    return R({S(sku), I(qty), Dec(price), Value::floating(weight), L(std::move(tags)), ship});
  }
  const uint8_t* instance(const std::vector<Value>& values) {
    layout::EventBuilder builder(module.layouts.of(&order), arena);
    for (size_t i = 0; i < values.size(); ++i) eval::write_field(builder, static_cast<int>(i), values[i]);
    return builder.instance();
  }
  /// The standard order: two items, a labels map, a bill_to only when asked.
  const uint8_t* standard(bool with_bill_to = true) {
    Value home = address_value("Main 1", "Utrecht", S("3511"));
    return instance({S("o-1"), home, with_bill_to ? address_value("Dam 1", "Amsterdam", Value::none()) : Value::none(),
                     L({item_value("A", 2, "12.50", 1.5, {S("fragile")}, Value::none()),
                        item_value("B", 12, "0.10", 0.25, {}, address_value("Side 2", "Delft", Value::none()))}),
                     Value::map({"gift", "lang"}, {S("yes"), S("nl")}), Value::map({"a", "b"}, {I(1), Value::none()}),
                     L({Value::none(), home})});
  }
};

/// Compiles the fixture's module and runs function `id` on `event`.
eval::EvalResult run(Fixture& f, int id, const uint8_t* event) {
  auto program = codegen::CompiledProgram::compile(f.module, testing::test_jit_options());
  return program->run(id, event, {});
}

Value value_of(Fixture& f, int id, const uint8_t* event) {
  eval::EvalResult r = run(f, id, event);
  INFO(testing::describe(r));
  REQUIRE(r.ok());
  return r.value();
}

void check_value(const Value& got, const Value& expected) {
  INFO("got " << got.to_string() << ", expected " << expected.to_string());
  CHECK(testing::same_value(got, expected));
}

}  // namespace

TEST_CASE("JIT: field paths through records and optional records") {
  Fixture f;
  // o.ship_to.city
  int city = f.add(f.field(f.e("ship_to"), "city"));
  // o.items[1].qty
  int qty = f.add(f.field(f.index(f.e("items"), 1), "qty"));
  // o.bill_to?.city: let b = o.bill_to in if is_some(b) then some(unwrap(b).city) else none
  const Type* opt_string = f.opt(f.types.string());
  NodePtr then_branch =
      f.some(f.field(f.node(Op::Unwrap, f.t_address, Fixture::vec(f.local(0, f.opt(f.t_address)))), "city"));
  NodePtr cond = f.node(Op::IsSome, f.types.boolean(), Fixture::vec(f.local(0, f.opt(f.t_address))));
  NodePtr if_node =
      f.node(Op::If, opt_string, Fixture::vec(std::move(cond), std::move(then_branch), f.none(opt_string)));
  auto let = f.node(Op::Let, opt_string, Fixture::vec(f.e("bill_to"), std::move(if_node)));
  let->index = 0;
  int bill_city = f.add(std::move(let));
  // o.ship_to.zip (a string? inside a record), o.items[0].ship (an absent record)
  int zip = f.add(f.field(f.e("ship_to"), "zip"));
  int ship = f.add(f.field(f.index(f.e("items"), 0), "ship"));
  int ship1 = f.add(f.field(f.index(f.e("items"), 1), "ship"));
  // whole records and lists of records as results
  int ship_to = f.add(f.e("ship_to"));
  int items = f.add(f.e("items"));
  int stops = f.add(f.e("stops"));

  const uint8_t* o = f.standard();
  check_value(value_of(f, city, o), S("Utrecht"));
  check_value(value_of(f, qty, o), I(12));
  check_value(value_of(f, bill_city, o), S("Amsterdam"));
  check_value(value_of(f, bill_city, f.standard(false)), Value::none());
  check_value(value_of(f, zip, o), S("3511"));
  check_value(value_of(f, ship, o), Value::none());
  check_value(value_of(f, ship1, o), f.address_value("Side 2", "Delft", Value::none()));
  check_value(value_of(f, ship_to, o), f.address_value("Main 1", "Utrecht", S("3511")));
  Value all_items = value_of(f, items, o);
  REQUIRE(all_items.as_list().size() == 2);
  check_value(all_items.as_list()[0], f.item_value("A", 2, "12.50", 1.5, {S("fragile")}, Value::none()));
  check_value(value_of(f, stops, o), L({Value::none(), f.address_value("Main 1", "Utrecht", S("3511"))}));
}

TEST_CASE("JIT: record literals, equality and record-valued results") {
  Fixture f;
  // Address { street: "Main 1", city: o.ship_to.city, zip: some("3511") } == o.ship_to
  auto literal = [&](const std::string& street, NodePtr zip) {
    return f.node(Op::MakeRecord, f.t_address,
                  Fixture::vec(f.string(street), f.field(f.e("ship_to"), "city"), std::move(zip)));
  };
  const Type* boolean = f.types.boolean();
  int same = f.add(f.binary(Op::Eq, boolean, literal("Main 1", f.some(f.string("3511"))), f.e("ship_to")));
  int other_street = f.add(f.binary(Op::Eq, boolean, literal("Main 2", f.some(f.string("3511"))), f.e("ship_to")));
  int absent_zip = f.add(f.binary(Op::Ne, boolean, literal("Main 1", f.none(f.opt(f.types.string()))), f.e("ship_to")));
  int made = f.add(literal("X", f.none(f.opt(f.types.string()))));
  // A record built around a record: LineItem { ..., ship: some(o.ship_to) }, then read back.
  auto item =
      f.node(Op::MakeRecord, f.t_item,
             Fixture::vec(f.string("C"), f.integer(3), f.decimal("1.5"), f.node(Op::ConstFloat, f.types.floating()),
                          f.node(Op::MakeList, f.types.list(f.types.string()), Fixture::vec(f.string("t"))),
                          f.some(f.e("ship_to"))));
  int nested = f.add(f.field(f.node(Op::Unwrap, f.t_address, Fixture::vec(f.field(std::move(item), "ship"))), "zip"));
  // Lists of records compare element by element; optional records by presence.
  int lists = f.add(f.binary(Op::Eq, boolean, f.e("items"), f.e("items")));
  int bill = f.add(f.binary(Op::Eq, boolean, f.e("bill_to"), f.some(f.e("ship_to"))));
  // [o.ship_to, made] as a list<Address?> (records copied into the list)
  const Type* opt_address = f.opt(f.t_address);
  int wide =
      f.add(f.node(Op::ConvertList, f.types.list(opt_address),
                   Fixture::vec(f.node(Op::MakeList, f.types.list(f.t_address),
                                       Fixture::vec(f.e("ship_to"), literal("Y", f.none(f.opt(f.types.string()))))))));

  const uint8_t* o = f.standard();
  check_value(value_of(f, same, o), B(true));
  check_value(value_of(f, other_street, o), B(false));
  check_value(value_of(f, absent_zip, o), B(true));
  check_value(value_of(f, made, o), f.address_value("X", "Utrecht", Value::none()));
  Value zip = value_of(f, nested, o);
  check_value(zip, S("3511"));
  check_value(value_of(f, lists, o), B(true));
  check_value(value_of(f, bill, o), B(false));
  check_value(value_of(f, bill, f.standard(false)), B(false));
  check_value(value_of(f, wide, o),
              L({f.address_value("Main 1", "Utrecht", S("3511")), f.address_value("Y", "Utrecht", Value::none())}));
}

TEST_CASE("JIT: map literals, lookups, keys and equality") {
  Fixture f;
  const Type* string_map = f.types.map(f.types.string());
  const Type* opt_string = f.opt(f.types.string());
  // {"lang": "en", "gift": "yes", "lang": "nl"}: sorted, the last "lang" wins
  auto literal = [&] {
    return f.node(Op::MakeMap, string_map,
                  Fixture::vec(f.string("lang"), f.string("en"), f.string("gift"), f.string("yes"), f.string("lang"),
                               f.string("nl")));
  };
  int made = f.add(literal());
  int equal = f.add(f.binary(Op::Eq, f.types.boolean(), literal(), f.e("labels")));
  int lang = f.add(f.binary(Op::MapIndex, opt_string, f.e("labels"), f.string("lang")));
  int missing = f.add(f.binary(Op::MapIndex, opt_string, f.e("labels"), f.string("langs")));
  int has = f.add(f.binary(Op::MapHas, f.types.boolean(), f.e("labels"), f.string("gift")));
  int len = f.add(f.node(Op::MapLen, f.types.integer(), Fixture::vec(f.e("labels"))));
  int keys = f.add(f.node(Op::MapKeys, f.types.list(f.types.string()), Fixture::vec(f.e("labels"))));
  // map<string, int?>: a stored none and a missing key both read as none
  const Type* opt_int = f.opt(f.types.integer());
  int stored_none = f.add(f.binary(Op::MapIndex, opt_int, f.e("scores"), f.string("b")));
  int stored = f.add(f.binary(Op::MapIndex, opt_int, f.e("scores"), f.string("a")));
  int has_b = f.add(f.binary(Op::MapHas, f.types.boolean(), f.e("scores"), f.string("b")));
  // an empty literal, and a map<string, string> widened to map<string, string?>
  int empty = f.add(f.node(Op::MakeMap, string_map));
  int wide = f.add(f.node(Op::ConvertList, f.types.map(opt_string), Fixture::vec(f.e("labels"))));

  const uint8_t* o = f.standard();
  check_value(value_of(f, made, o), Value::map({"gift", "lang"}, {S("yes"), S("nl")}));
  check_value(value_of(f, equal, o), B(true));
  check_value(value_of(f, lang, o), S("nl"));
  check_value(value_of(f, missing, o), Value::none());
  check_value(value_of(f, has, o), B(true));
  check_value(value_of(f, len, o), I(2));
  check_value(value_of(f, keys, o), L({S("gift"), S("lang")}));
  check_value(value_of(f, stored_none, o), Value::none());
  check_value(value_of(f, stored, o), I(1));
  check_value(value_of(f, has_b, o), B(true));
  check_value(value_of(f, empty, o), Value::map({}, {}));
  check_value(value_of(f, wide, o), Value::map({"gift", "lang"}, {S("yes"), S("nl")}));
}

TEST_CASE("JIT: any, all, count, sum, min_of, max_of, filter and map over records") {
  Fixture f;
  const Type* boolean = f.types.boolean();
  const Type* integer = f.types.integer();
  auto item = [&] { return f.local(1, f.t_item); };
  auto qty_at_least = [&](int64_t n) { return f.binary(Op::Ge, boolean, f.field(item(), "qty"), f.integer(n)); };
  int bulk = f.add(f.quantifier(Op::ListAny, boolean, f.e("items"), 1, qty_at_least(10)));
  int all_bulk = f.add(f.quantifier(Op::ListAll, boolean, f.e("items"), 1, qty_at_least(10)));
  int all_some = f.add(f.quantifier(Op::ListAll, boolean, f.e("items"), 1, qty_at_least(1)));
  int count = f.add(f.quantifier(Op::ListCount, integer, f.e("items"), 1, qty_at_least(2)));
  int total_qty = f.add(f.quantifier(Op::ListSum, integer, f.e("items"), 1, f.field(item(), "qty")));
  // sum(items, i => i.price * i.qty): 12.50*2 + 0.10*12 = 26.20
  auto price_times_qty = [&] {
    return f.binary(Op::DMul, f.types.decimal(), f.field(item(), "price"),
                    f.node(Op::IntToDecimal, f.types.decimal(), Fixture::vec(f.field(item(), "qty"))));
  };
  int total = f.add(f.quantifier(Op::ListSum, f.types.decimal(), f.e("items"), 1, price_times_qty()));
  int weight = f.add(f.quantifier(Op::ListSum, f.types.floating(), f.e("items"), 1, f.field(item(), "weight")));
  const Type* opt_string = f.opt(f.types.string());
  int min_sku = f.add(f.quantifier(Op::ListMinOf, opt_string, f.e("items"), 1, f.field(item(), "sku")));
  int max_price =
      f.add(f.quantifier(Op::ListMaxOf, f.opt(f.types.decimal()), f.e("items"), 1, f.field(item(), "price")));
  int big = f.add(f.quantifier(Op::ListFilter, f.types.list(f.t_item), f.e("items"), 1, qty_at_least(10)));
  int skus = f.add(f.quantifier(Op::ListMap, f.types.list(f.types.string()), f.e("items"), 1, f.field(item(), "sku")));
  // any(items, i => any(i.tags, t => t == "fragile")): a loop in a loop
  auto inner = f.quantifier(Op::ListAny, boolean, f.field(item(), "tags"), 2,
                            f.binary(Op::Eq, boolean, f.local(2, f.types.string()), f.string("fragile")));
  int fragile = f.add(f.quantifier(Op::ListAny, boolean, f.e("items"), 1, std::move(inner)));
  // the element of a filter is read back from the new list
  int first_big = f.add(f.field(
      f.index(f.quantifier(Op::ListFilter, f.types.list(f.t_item), f.e("items"), 1, qty_at_least(10)), 0), "sku"));

  const uint8_t* o = f.standard();
  check_value(value_of(f, bulk, o), B(true));
  check_value(value_of(f, all_bulk, o), B(false));
  check_value(value_of(f, all_some, o), B(true));
  check_value(value_of(f, count, o), I(2));
  check_value(value_of(f, total_qty, o), I(14));
  check_value(value_of(f, total, o), Dec("26.20"));
  check_value(value_of(f, weight, o), Value::floating(1.75));
  check_value(value_of(f, min_sku, o), S("A"));
  check_value(value_of(f, max_price, o), Dec("12.50"));
  Value kept = value_of(f, big, o);
  REQUIRE(kept.as_list().size() == 1);
  check_value(kept.as_list()[0].as_record()[0], S("B"));
  check_value(value_of(f, skus, o), L({S("A"), S("B")}));
  check_value(value_of(f, fragile, o), B(true));
  check_value(value_of(f, first_big, o), S("B"));

  // Over an empty list: false, true, 0, 0, none, an empty list.
  Value home = f.address_value("Main 1", "Utrecht", S("3511"));
  const uint8_t* empty =
      f.instance({S("o-2"), home, Value::none(), L({}), Value::map({}, {}), Value::map({}, {}), L({})});
  check_value(value_of(f, bulk, empty), B(false));
  check_value(value_of(f, all_bulk, empty), B(true));
  check_value(value_of(f, count, empty), I(0));
  check_value(value_of(f, total_qty, empty), I(0));
  check_value(value_of(f, total, empty), Dec("0"));
  check_value(value_of(f, weight, empty), Value::floating(0.0));
  check_value(value_of(f, min_sku, empty), Value::none());
  check_value(value_of(f, big, empty), L({}));
  check_value(value_of(f, skus, empty), L({}));
}

TEST_CASE("JIT: min_of and max_of keep the first of equal values; sums fail on overflow") {
  Fixture f;
  const Type* integer = f.types.integer();
  auto item = [&] { return f.local(1, f.t_item); };
  // min_of(items, i => i.price): 1.0 and 1.00 are equal, the first is kept (its exponent shows)
  int min_price =
      f.add(f.quantifier(Op::ListMinOf, f.opt(f.types.decimal()), f.e("items"), 1, f.field(item(), "price")));
  int max_price =
      f.add(f.quantifier(Op::ListMaxOf, f.opt(f.types.decimal()), f.e("items"), 1, f.field(item(), "price")));
  int min_qty = f.add(f.quantifier(Op::ListMinOf, f.opt(integer), f.e("items"), 1, f.field(item(), "qty")));
  int sum_qty = f.add(f.quantifier(Op::ListSum, integer, f.e("items"), 1, f.field(item(), "qty")));
  Value home = f.address_value("Main 1", "Utrecht", S("3511"));
  const uint8_t* o = f.instance(
      {S("o-3"), home, Value::none(),
       L({f.item_value("A", INT64_MAX, "1.0", 0, {}, Value::none()), f.item_value("B", 1, "1.00", 0, {}, Value::none()),
          f.item_value("C", -5, "0.5", 0, {}, Value::none())}),
       Value::map({}, {}), Value::map({}, {}), L({})});
  Value low = value_of(f, min_price, o);
  check_value(low, Dec("0.5"));
  check_value(value_of(f, max_price, o), Dec("1.0"));
  check_value(value_of(f, min_qty, o), I(-5));
  eval::EvalResult overflow = run(f, sum_qty, o);
  REQUIRE_FALSE(overflow.ok());
  CHECK(overflow.error().kind == eval::EvalErrorKind::Overflow);
  CHECK(overflow.error().message == "integer overflow in 'list_sum'");
  CHECK(overflow.error().function == "decision F3[Order]");
}

TEST_CASE("JIT: an error in a lambda's body is the function's error") {
  Fixture f;
  const Type* integer = f.types.integer();
  // count(items, i => 10 / (i.qty - 12) > 0): the second item divides by zero
  auto body = f.binary(Op::Gt, f.types.boolean(),
                       f.binary(Op::IDiv, integer, f.integer(10),
                                f.binary(Op::ISub, integer, f.field(f.local(1, f.t_item), "qty"), f.integer(12))),
                       f.integer(0));
  int count = f.add(f.quantifier(Op::ListCount, integer, f.e("items"), 1, std::move(body)));
  eval::EvalResult r = run(f, count, f.standard());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == eval::EvalErrorKind::DivisionByZero);
  CHECK(r.error().message == "division by zero in 'idiv'");
}

TEST_CASE("JIT: a record's layout is part of the IR fingerprint") {
  // o.items[1].qty: the same nodes and offsets, but another list stride.
  Fixture short_items;
  Fixture long_items(true);
  REQUIRE(layout::record_layout(short_items.item).size != layout::record_layout(long_items.item).size);
  for (Fixture* f : {&short_items, &long_items}) f->add(f->field(f->index(f->e("items"), 1), "qty"));
  CHECK(codegen::ir_fingerprint(short_items.module) != codegen::ir_fingerprint(long_items.module));
  Fixture again;
  again.add(again.field(again.index(again.e("items"), 1), "qty"));
  CHECK(codegen::ir_fingerprint(short_items.module) == codegen::ir_fingerprint(again.module));
}
