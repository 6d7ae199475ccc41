// The EventCatalog and its NameTable: lookups, wire names, field codecs,
// defaults, and the caller bugs it refuses.
#include <catch2/catch.hpp>

#include "ingress/name_table.h"
#include "ingress_fixture.h"

using namespace flow;
using namespace flow::testing;

TEST_CASE("NameTable finds every name it holds and nothing else", "[ingress][catalog]") {
  runtime::NameTable table;
  CHECK(table.find("x") == -1);
  for (int i = 0; i < 5000; ++i) table.insert("name_" + std::to_string(i * 7), i);
  table.insert("", 5000);
  table.insert("a", 5001);
  table.insert("name_0", 9999);  // already there: keeps the first value
  CHECK(table.size() == 5002);
  for (int i = 0; i < 5000; ++i) {
    CHECK(table.find("name_" + std::to_string(i * 7)) == i);
    CHECK(table.find("name_" + std::to_string(i * 7 + 1)) == -1);
  }
  CHECK(table.find("") == 5000);
  CHECK(table.find("a") == 5001);
  CHECK(table.find("b") == -1);
  CHECK(table.find(std::string("a\0", 2)) == -1);
}

TEST_CASE("the catalog describes each event's fields", "[ingress][catalog]") {
  const runtime::EventType& order = shop().type("shop.orders.OrderPlaced");
  CHECK(order.name == "OrderPlaced");
  CHECK(order.wire_name == "OrderPlaced");
  REQUIRE(order.fields.size() == 9);
  const auto& key = order.fields[0];
  CHECK(key.name == "order_id");
  CHECK(key.json_key == "\"order_id\":");
  CHECK(key.is_key);
  CHECK(key.absent == runtime::Absent::Missing);
  const auto& coupon = order.fields[static_cast<size_t>(order.field_names.find("coupon"))];
  CHECK(coupon.optional);
  CHECK(coupon.absent == runtime::Absent::None);
  CHECK(coupon.value->name == "string");
  const auto& tags = order.fields[static_cast<size_t>(order.field_names.find("tags"))];
  CHECK(tags.absent == runtime::Absent::Default);
  CHECK_FALSE(tags.default_is_deep);  // [] has no bytes to copy
  CHECK(tags.value->element->kind == TypeKind::String);
  const auto& channel = order.fields[static_cast<size_t>(order.field_names.find("channel"))];
  CHECK(channel.value->enumeration->names == std::vector<std::string>{"Web", "Store", "Phone"});
  // Codecs are shared per type.
  CHECK(shop().type("OrderApproved").fields[0].value == key.value);
  CHECK(shop().catalog->find(order.decl) == &order);
  CHECK(shop().catalog->find("orders.OrderPlaced") == nullptr);
}

TEST_CASE("a missing default value is the caller's bug", "[ingress][catalog]") {
  const IngressProgram& p = shop();
  runtime::FieldDefaults none;
  CHECK_THROWS_AS(runtime::EventCatalog(p.program->event_infos(), p.lowered.module->layouts, none),
                  std::invalid_argument);
  runtime::FieldDefaults wrong = p.defaults;
  const EventInfo* everything = p.type("Everything").decl;
  wrong.set(everything, everything->field_index("di"), eval::Value::string("not an int"));
  CHECK_THROWS_AS(runtime::EventCatalog(p.program->event_infos(), p.lowered.module->layouts, wrong),
                  std::invalid_argument);
}
