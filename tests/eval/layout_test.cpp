// Event layouts: slot sizes, field placement, the presence bitmap, included
// events, and building instances (EventBuilder, ListBuilder, Values).
#include <catch2/catch.hpp>

#include "eval_fixture.h"

using namespace flow;
using namespace flow::testing;

TEST_CASE("slots have the documented sizes") {
  TypeContext types;
  CHECK(layout::field_slot(types.boolean()).size == 1);
  CHECK(layout::field_slot(types.integer()).size == 8);
  CHECK(layout::field_slot(types.floating()).size == 8);
  CHECK(layout::field_slot(types.timestamp()).size == 8);
  CHECK(layout::field_slot(types.duration()).size == 8);
  CHECK(layout::field_slot(types.string()).size == 16);
  CHECK(layout::field_slot(types.list(types.integer())).size == 16);
  CHECK(layout::field_slot(types.optional(types.integer())).size == 8);  // presence lives in the bitmap
  // Boxed optional list elements: presence byte, then the value at its alignment.
  CHECK(layout::element_slot(types.optional(types.integer())).size == 16);
  CHECK(layout::optional_value_offset(types.integer()) == 8);
  CHECK(layout::element_slot(types.optional(types.boolean())).size == 2);
  CHECK(layout::element_slot(types.optional(types.string())).size == 24);
}

TEST_CASE("fields are placed by alignment with the bitmap last") {
  auto c = compile(R"(module t
enum Channel { Web, Store }
event A { flag: bool, n: int, ch: Channel, name: string, tags: list<string>, coupon: string?, at: timestamp }
)");
  const auto& l = c->layout("A");
  INFO(layout::describe(l));
  REQUIRE(l.fields.size() == 7);
  // 8-aligned first in declaration order, then the enum (4), then bool (1).
  CHECK(l.fields[1].offset == 0);   // n
  CHECK(l.fields[3].offset == 8);   // name
  CHECK(l.fields[4].offset == 24);  // tags
  CHECK(l.fields[5].offset == 40);  // coupon (string?)
  CHECK(l.fields[6].offset == 56);  // at
  CHECK(l.fields[2].offset == 64);  // ch
  CHECK(l.fields[0].offset == 68);  // flag
  CHECK(l.bitmap_offset == 69);
  CHECK(l.bitmap_bytes == 1);
  CHECK(l.size == 72);
  CHECK(l.align == 8);
  CHECK(l.fields[5].optional);
  CHECK_FALSE(l.fields[3].optional);
}

TEST_CASE("an empty event and a wide bitmap") {
  std::string fields;
  for (int i = 0; i < 17; ++i) fields += " b" + std::to_string(i) + ": bool";
  auto c = compile("module t\nevent Empty {}\nevent Wide {" + fields + " }\n");
  CHECK(c->layout("Empty").size == 8);
  CHECK(c->layout("Empty").bitmap_bytes == 0);
  const auto& wide = c->layout("Wide");
  CHECK(wide.bitmap_offset == 17);
  CHECK(wide.bitmap_bytes == 3);
  CHECK(wide.size == 24);
}

TEST_CASE("an including event has its own layout") {
  auto c = compile(R"(module t
event Base { id: string, amount: float }
event Ext { flag: bool, ...Base, extra: int }
)");
  const auto& base = c->layout("Base");
  const auto& ext = c->layout("Ext");
  CHECK(ext.field_index("amount") == 2);
  CHECK(base.fields[static_cast<size_t>(base.field_index("amount"))].offset == 16);
  CHECK(ext.fields[static_cast<size_t>(ext.field_index("amount"))].offset == 16);
  CHECK(ext.fields[static_cast<size_t>(ext.field_index("extra"))].offset == 24);
  CHECK(ext.fields[0].offset == 32);  // flag
}

TEST_CASE("EventBuilder writes fields, presence bits and checks types") {
  auto c = compile(R"(module t
enum Channel { Web, Store }
event A { n: int, name: string, coupon: string?, ch: Channel, tags: list<string>, ok: bool }
)");
  auto b = c->builder("A");
  CHECK(b.missing_fields() == std::vector<std::string>{"n", "name", "ch", "tags", "ok"});
  b.set_int(b.field("n"), 42).set_string(b.field("name"), "Ada").set_enum(b.field("ch"), 1);
  CHECK(b.missing_fields() == std::vector<std::string>{"tags", "ok"});
  CHECK_FALSE(b.is_set(b.field("coupon")));
  b.set_string(b.field("coupon"), "SAVE");
  CHECK(b.is_set(b.field("coupon")));
  b.set_none(b.field("coupon"));
  CHECK_FALSE(b.is_set(b.field("coupon")));
  CHECK_THROWS_AS(b.set_string(b.field("n"), "x"), std::invalid_argument);
  CHECK_THROWS_AS(b.set_none(b.field("n")), std::invalid_argument);
  CHECK_THROWS_AS(b.field("nope"), std::invalid_argument);

  const auto& l = b.layout();
  CHECK(layout::load<int64_t>(l.field_ptr(b.instance(), b.field("n"))) == 42);
  auto name = layout::load<FlowStr>(l.field_ptr(b.instance(), b.field("name")));
  CHECK(std::string(name.data, name.size) == "Ada");
  CHECK(layout::load<int32_t>(l.field_ptr(b.instance(), b.field("ch"))) == 1);
}

TEST_CASE("lists, optional elements and nested lists round-trip through Values") {
  auto c = compile(R"(module t
event A { xs: list<int?>, nested: list<list<string>>, flags: list<bool>, o: float? }
)");
  auto b = c->builder("A");
  using eval::Value;
  Value xs = L({I(1), None(), I(-3)});
  Value nested = L({L({S("a"), S("bc")}), L({}), L({S("")})});
  Value flags = L({B(true), B(false)});
  eval::write_field(b, b.field("xs"), xs);
  eval::write_field(b, b.field("nested"), nested);
  eval::write_field(b, b.field("flags"), flags);
  eval::write_field(b, b.field("o"), None());
  const auto& l = b.layout();
  CHECK(eval::read_field(l, b.instance(), b.field("xs")) == xs);
  CHECK(eval::read_field(l, b.instance(), b.field("nested")) == nested);
  CHECK(eval::read_field(l, b.instance(), b.field("flags")) == flags);
  CHECK(eval::read_field(l, b.instance(), b.field("o")).is_none());
  eval::write_field(b, b.field("o"), F(0.25));
  CHECK(eval::read_field(l, b.instance(), b.field("o")) == F(0.25));
  CHECK_THROWS_AS(eval::write_field(b, b.field("xs"), S("no")), std::invalid_argument);
  CHECK_THROWS_AS(eval::write_field(b, b.field("flags"), L({I(1)})), std::invalid_argument);

  // The raw form: boxed optional elements of 16 bytes, presence byte first.
  auto raw = layout::load<FlowList>(l.field_ptr(b.instance(), b.field("xs")));
  REQUIRE(raw.count == 3);
  auto* data = static_cast<const uint8_t*>(raw.data);
  CHECK(data[0] == 1);
  CHECK(layout::load<int64_t>(data + 8) == 1);
  CHECK(data[16] == 0);
  CHECK(data[32] == 1);
  CHECK(layout::load<int64_t>(data + 40) == -3);
}

TEST_CASE("ListBuilder checks element types and bounds") {
  TypeContext types;
  Arena arena;
  layout::ListBuilder list(types.list(types.optional(types.string())), 2, arena);
  list.set_string(0, "x");
  CHECK_THROWS_AS(list.set_int(1, 3), std::invalid_argument);
  CHECK_THROWS_AS(list.set_string(2, "y"), std::invalid_argument);
  FlowList out = list.finish();
  CHECK(eval::read_slot(types.list(types.optional(types.string())), reinterpret_cast<const uint8_t*>(&out)) ==
        L({S("x"), None()}));
  CHECK_THROWS_AS(layout::ListBuilder(types.integer(), 1, arena), std::invalid_argument);
}

TEST_CASE("a record is laid out like an event and stored inline; maps are sorted entries") {
  TypeContext types;
  RecordInfo address;
  address.name = "Address";
  address.fields = {{"city", types.string()}, {"zip", types.optional(types.integer())}, {"ok", types.boolean()}};
  address.index_fields();
  const Type* address_type = types.record(&address);
  const auto& record = layout::record_layout(address);
  INFO(layout::describe(record));
  CHECK(&layout::record_layout(address) == &record);  // computed once
  CHECK(record.name() == "Address");
  CHECK(record.fields[0].offset == 0);   // city
  CHECK(record.fields[1].offset == 16);  // zip
  CHECK(record.fields[2].offset == 24);  // ok
  CHECK(record.bitmap_offset == 25);
  CHECK(record.size == 32);
  CHECK(layout::field_slot(address_type).size == 32);
  CHECK(layout::element_slot(address_type).size == 32);                  // inline in lists
  CHECK(layout::element_slot(types.optional(address_type)).size == 40);  // boxed: presence byte, then the record
  CHECK(layout::field_slot(types.map(types.integer())).size == 16);
  CHECK(layout::map_entry_slot(types.integer()).size == 24);
  CHECK(layout::map_value_offset(types.integer()) == 16);
  CHECK(layout::map_entry_slot(types.boolean()).size == 24);
  CHECK(layout::map_entry_slot(address_type).size == 48);

  EventInfo order;
  order.name = "Order";
  order.fields = {{"ship_to", address_type},
                  {"bill_to", types.optional(address_type)},
                  {"stops", types.list(address_type)},
                  {"labels", types.map(types.optional(types.string()))}};
  order.index_fields();
  auto l = layout::compute_layout(order);
  Arena arena;
  layout::EventBuilder b(l, arena);
  using eval::Value;
  Value home = Value::record({S("Utrecht"), None(), B(true)});
  Value away = Value::record({S("Gent"), I(9000), B(false)});
  Value labels = Value::map({"a", "b"}, {S("x"), None()});
  eval::write_field(b, 0, home);
  eval::write_field(b, 1, None());
  eval::write_field(b, 2, L({away, home}));
  eval::write_field(b, 3, labels);
  CHECK(eval::read_field(l, b.instance(), 0) == home);
  CHECK(eval::read_field(l, b.instance(), 1).is_none());
  CHECK(eval::read_field(l, b.instance(), 2) == L({away, home}));
  CHECK(eval::read_field(l, b.instance(), 3) == labels);
  CHECK(eval::format_value(home, address_type) == "Address { city: \"Utrecht\", zip: none, ok: true }");
  CHECK(eval::format_value(labels, types.map(types.optional(types.string()))) == "{\"a\": \"x\", \"b\": none}");
  eval::write_field(b, 1, away);
  CHECK(eval::read_field(l, b.instance(), 1) == away);
  CHECK_THROWS_AS(eval::write_field(b, 0, Value::record({S("x")})), std::invalid_argument);
  CHECK_THROWS_AS(eval::write_field(b, 0, Value::record({None(), None(), B(true)})), std::invalid_argument);

  // The raw form: the record's own bitmap inside the event's bytes.
  const uint8_t* ship_to = l.field_ptr(b.instance(), 0);
  CHECK((ship_to[record.bitmap_offset] & 0b101) == 0b101);  // city and ok present, zip absent
  CHECK((ship_to[record.bitmap_offset] & 0b010) == 0);
  auto raw = layout::load<FlowMap>(l.field_ptr(b.instance(), 3));
  REQUIRE(raw.count == 2);
  auto* entries = static_cast<const uint8_t*>(raw.entries);
  CHECK(layout::load<FlowStr>(entries).size == 1);
  CHECK(entries[16] == 1);  // boxed string?: present
  CHECK(entries[24 + 16 + 16] == 0);
}
