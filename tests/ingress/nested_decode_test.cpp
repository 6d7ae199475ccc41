// Nested data in and out (language.md §4.1): records, lists of records and
// of optional records, maps, decimals at depth. Every kind of mistake at
// every depth is rejected with the path to it, and every line also runs
// through the three decoder tiers (decode_with), which must agree.
#include <catch2/catch.hpp>

#include "eval/value_io.h"
#include "ingress/absent_fields.h"
#include "nested_source.h"

using namespace flow;
using namespace flow::testing;

namespace {

DecodeResult decode_nested(const std::string& data, bool strict = false) {
  return decode_with(nested(), line_of("OrderPlaced", data), strict);
}

std::string reject_nested(const std::string& data, bool strict = false) {
  DecodeResult r = decode_nested(data, strict);
  INFO("data: " << data);
  REQUIRE_FALSE(r.ok);
  CHECK(r.kind == runtime::RejectKind::InvalidData);
  CHECK(r.error.find('\n') == std::string::npos);
  return r.error;
}

std::string data_json(const DecodeResult& r) {
  std::string out;
  runtime::append_data_json(out, *r.event.type, r.event.instance);
  return out;
}

/// nested_order() with field `name` replaced by `value`.
std::string with(const std::string& name, const std::string& value) {
  return nested_order("\"" + name + "\":" + value, {name});
}

}  // namespace

TEST_CASE("a nested event decodes into its layout and encodes back", "[ingress][nested]") {
  DecodeResult r = decode_nested(nested_order());
  INFO(r.error);
  REQUIRE(r.ok);
  // Maps come back in key order; absent optionals as null; the record
  // default (Address.country, LineItem.tags) where a field was left out;
  // decimals as written.
  CHECK(data_json(r) ==
        R"({"order_id":"o-1","customer":{"name":"Ada","address":{"street":"Main 1","city":"Utrecht","country":"NL",)"
        R"("zip":"3511"},"tier":"Web"},"ship_to":{"street":"Dock 2","city":"Gent","country":"BE","zip":null},)"
        R"("bill_to":null,"items":[{"sku":"A-1","qty":2,"price":12.50,"tags":["red"],"gift":null},)"
        R"({"sku":"B-2","qty":10,"price":0.99,"tags":[],"gift":true}],"maybe":[null,{"sku":"C-3","qty":1,"price":5,)"
        R"("tags":["x","y"],"gift":null}],"labels":{"channel":"web","prio":"high"},"counts":{"a":-3,"b":2},)"
        R"("stock":{"A-1":{"sku":"A-1","qty":5,"price":1E+2,"tags":[],"gift":null}},)"
        R"("routes":[{"none":[],"north":[{"street":"N 1","city":"Oslo","country":"NO","zip":null}]},{}],)"
        R"("total":34.90,"fees":[0.10,2,-0.00]})");
  // The values as the interpreter reads them.
  const eval::Value ship_to = r.field("ship_to");
  REQUIRE(ship_to.kind() == eval::ValueKind::Record);
  CHECK(ship_to.as_record()[1] == eval::Value::string("Gent"));
  CHECK(ship_to.as_record()[3].is_none());
  CHECK_FALSE(r.present("bill_to"));
  const eval::Value labels = r.field("labels");
  CHECK(labels.map_keys() == std::vector<std::string>{"channel", "prio"});
  const eval::Value items = r.field("items");
  REQUIRE(items.as_list().size() == 2);
  CHECK(items.as_list()[1].as_record()[1] == eval::Value::integer(10));
}

TEST_CASE("record defaults apply at any depth", "[ingress][nested]") {
  // Address.country is left out of ship_to, of the customer's address, of a
  // route's address; LineItem.tags of an item and of a stock entry.
  DecodeResult r = decode_nested(nested_order(
      R"("customer":{"name":"Ada","address":{"street":"s","city":"c"}},"ship_to":{"street":"s","city":"c"},)"
      R"("items":[{"sku":"A","qty":1,"price":1}],"stock":{"k":{"sku":"A","qty":1,"price":1}},)"
      R"("routes":[{"r":[{"street":"s","city":"c"}]}])",
      {"customer", "ship_to", "items", "stock", "routes"}));
  INFO(r.error);
  REQUIRE(r.ok);
  const std::string json = data_json(r);
  CHECK(json.find(R"("customer":{"name":"Ada","address":{"street":"s","city":"c","country":"NL","zip":null},)"
                  R"("tier":null})") != std::string::npos);
  CHECK(json.find(R"("ship_to":{"street":"s","city":"c","country":"NL","zip":null})") != std::string::npos);
  CHECK(json.find(R"("items":[{"sku":"A","qty":1,"price":1,"tags":[],"gift":null}])") != std::string::npos);
  CHECK(json.find(R"("stock":{"k":{"sku":"A","qty":1,"price":1,"tags":[],"gift":null}})") != std::string::npos);
  CHECK(json.find(R"("routes":[{"r":[{"street":"s","city":"c","country":"NL","zip":null}]}])") != std::string::npos);
}

TEST_CASE("optional records and optional map values", "[ingress][nested]") {
  DecodeResult absent = decode_nested(nested_order("", {"bill_to"}));
  REQUIRE(absent.ok);
  CHECK_FALSE(absent.present("bill_to"));
  DecodeResult given = decode_nested(with("bill_to", R"({"street":"b","city":"c","country":"DE"})"));
  REQUIRE(given.ok);
  CHECK(given.present("bill_to"));
  CHECK(data_json(given).find(R"("bill_to":{"street":"b","city":"c","country":"DE","zip":null})") != std::string::npos);
  DecodeResult empty_maps = decode_nested(
      nested_order(R"("labels":{},"counts":{},"stock":{},"routes":[])", {"labels", "counts", "stock", "routes"}));
  REQUIRE(empty_maps.ok);
  CHECK(data_json(empty_maps).find(R"("labels":{},"counts":{},"stock":{},"routes":[])") != std::string::npos);
}

TEST_CASE("map keys: any text, sorted bytewise, shorter first", "[ingress][nested]") {
  DecodeResult r = decode_nested(
      with("labels", R"({"b":"1","a\"q":"2","":"3","ab":"4","a":"5","é":"6","\u0000":"7","B":"8","a\\":"9"})"));
  INFO(r.error);
  REQUIRE(r.ok);
  CHECK(r.field("labels").map_keys() ==
        std::vector<std::string>{"", std::string("\0", 1), "B", "a", "a\"q", "a\\", "ab", "b", "é"});
  CHECK(data_json(r).find(R"("labels":{"":"3","\u0000":"7","B":"8","a":"5","a\"q":"2","a\\":"9","ab":"4","b":"1",)"
                          R"("é":"6"})") != std::string::npos);
}

TEST_CASE("mistakes in records are rejected with their path", "[ingress][nested]") {
  CHECK(reject_nested(with("ship_to", R"("Gent")")) == R"(field 'ship_to': expected Address, found string "Gent")");
  CHECK(reject_nested(with("ship_to", "[]")) == "field 'ship_to': expected Address, found array");
  CHECK(reject_nested(with("ship_to", "null")) ==
        "field 'ship_to': expected Address, found null (the field is not optional)");
  CHECK(reject_nested(with("ship_to", R"({"street":"s","city":5})")) ==
        "field 'ship_to.city': expected string, found number 5");
  CHECK(reject_nested(with("ship_to", R"({"street":"s","city":null})")) ==
        "field 'ship_to.city': expected string, found null (the field is not optional)");
  CHECK(reject_nested(with("ship_to", R"({"street":"s"})")) == "missing field 'ship_to.city'");
  CHECK(reject_nested(with("ship_to", R"({"country":"NL"})")) == "missing fields 'ship_to.street', 'ship_to.city'");
  CHECK(reject_nested(with("ship_to", R"({"street":"s","city":"c","city":"d"})")) == "duplicate field 'ship_to.city'");
  CHECK(reject_nested(with("ship_to", R"({"street":"s","city":"c","zip":true})")) ==
        "field 'ship_to.zip': expected string, found bool true");
  // Two records deep.
  CHECK(reject_nested(with("customer", R"({"name":"A","address":{"street":"s","city":["c"]}})")) ==
        "field 'customer.address.city': expected string, found array");
  CHECK(reject_nested(with("customer", R"({"name":"A","address":{"street":"s"}})")) ==
        "missing field 'customer.address.city'");
  CHECK(reject_nested(with("customer", R"({"name":"A","address":{"street":"s","city":"c"},"tier":"Stor"})")) ==
        R"(field 'customer.tier': "Stor" is not a member of Channel (did you mean 'Store'?))");
  CHECK(reject_nested(with("customer", R"({"name":"A"})")) == "missing field 'customer.address'");
  CHECK(reject_nested(with("bill_to", R"({"street":"s","city":1.5})")) ==
        "field 'bill_to.city': expected string, found number 1.5");
}

TEST_CASE("mistakes in lists of records are rejected with their path", "[ingress][nested]") {
  const std::string ok = R"({"sku":"A","qty":1,"price":1})";
  CHECK(reject_nested(with("items", "[" + ok + "," + ok + "," + ok + R"(,{"sku":"A","qty":"x","price":1}])")) ==
        R"(field 'items[3].qty': expected int, found string "x")");
  CHECK(reject_nested(with("items", "[" + ok + ",null]")) ==
        "field 'items[1]': expected LineItem, found null (the element is not optional)");
  CHECK(reject_nested(with("items", R"([{"qty":1,"price":1}])")) == "missing field 'items[0].sku'");
  CHECK(reject_nested(with("items", R"(["A"])")) == R"(field 'items[0]': expected LineItem, found string "A")");
  CHECK(reject_nested(with("items", ok)) == "field 'items': expected list<LineItem>, found object");
  CHECK(reject_nested(with("items", R"([{"sku":"A","qty":1,"price":1,"tags":[1]}])")) ==
        "field 'items[0].tags[0]': expected string, found number 1");
  CHECK(reject_nested(with("items", R"([{"sku":"A","qty":1,"price":1,"tags":null}])")) ==
        "field 'items[0].tags': expected list<string>, found null (the field is not optional)");
  CHECK(reject_nested(with("items", R"([{"sku":"A","qty":1.5,"price":1}])")) ==
        "field 'items[0].qty': expected int, found number 1.5 (an int has no fraction or exponent)");
  CHECK(reject_nested(with("maybe", "[null,{}]")) == "missing fields 'maybe[1].sku', 'maybe[1].qty', 'maybe[1].price'");
  CHECK(reject_nested(with("routes", R"([{"a":[{"street":"s","city":"c"},{"street":"s","city":7}]}])")) ==
        R"(field 'routes[0]["a"][1].city': expected string, found number 7)");
}

TEST_CASE("mistakes in maps are rejected with their path", "[ingress][nested]") {
  CHECK(reject_nested(with("labels", R"({"k":1})")) == R"(field 'labels["k"]': expected string, found number 1)");
  CHECK(reject_nested(with("labels", R"({"k":null})")) ==
        R"(field 'labels["k"]': expected string, found null (the value is not optional))");
  CHECK(reject_nested(with("labels", R"({"k":"a","j":"b","k":"c"})")) == "field 'labels': duplicate key 'k'");
  CHECK(reject_nested(with("labels", R"(["a"])")) == "field 'labels': expected map<string, string>, found array");
  // Keys are shown as JSON strings, cut when long.
  CHECK(reject_nested(with("labels", R"({"a\"b\n":2})")) ==
        R"(field 'labels["a\"b\n"]': expected string, found number 2)");
  CHECK(reject_nested(with("labels", "{\"" + std::string(60, 'x') + "\":2}")) ==
        R"(field 'labels[")" + std::string(40, 'x') + R"(..."]': expected string, found number 2)");
  CHECK(reject_nested(with("counts", R"({"a":"1"})")) == R"(field 'counts["a"]': expected int, found string "1")");
  CHECK(reject_nested(with("stock", R"({"A":{"sku":"A","qty":1}})")) == R"(missing field 'stock["A"].price')");
  CHECK(reject_nested(with("stock", R"({"A":{"sku":"A","qty":1,"price":true}})")) ==
        R"(field 'stock["A"].price': expected decimal, found bool true)");
  CHECK(reject_nested(with("routes", R"([{"a":[],"a":[]}])")) == "field 'routes[0]': duplicate key 'a'");
}

TEST_CASE("decimals at depth: exact or rejected", "[ingress][nested]") {
  const std::string long_number = "1.00000000000000000000000000000000001";
  CHECK(reject_nested(with("items", R"([{"sku":"A","qty":1,"price":)" + long_number + "}]")) ==
        "field 'items[0].price': expected decimal, found number " + long_number + " (more than 34 significant digits)");
  CHECK(reject_nested(with("stock", R"({"x":{"sku":"A","qty":1,"price":")" + long_number + R"("}})")) ==
        R"(field 'stock["x"].price': expected decimal, found string ")" + long_number +
            R"(" (more than 34 significant digits))");
  CHECK(reject_nested(with("fees", "[1,\"x\"]")) ==
        R"(field 'fees[1]': expected decimal, found string "x" (not a decimal number))");
  // 34 digits are fine, and keep every one of them.
  const std::string digits34 = "1234567890.123456789012345678901234";
  DecodeResult r = decode_nested(with("total", digits34));
  REQUIRE(r.ok);
  CHECK(data_json(r).find(R"("total":)" + digits34) != std::string::npos);
  // The express tier packs short numbers itself, the library parses the
  // rest: both read each of these as Python's Decimal reads it (the tiers
  // agree, decode_with), zeros with their exponents clamped.
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"0.05", "0.05"},
      {"-0", "-0"},
      {"-0.000", "-0.000"},
      {"1e-6176", "1E-6176"},
      {"1e6111", "1E+6111"},
      {"1e6144", "1.000000000000000000000000000000000E+6144"},
      {"0e-7000", "0E-6176"},
      {"0e7000", "0E+6111"},
      {"9999999999999999999", "9999999999999999999"},
      {"99999999999999999999", "99999999999999999999"},
      {"12.5e-3", "0.0125"}};
  for (const auto& [number, written] : forms) {
    INFO(number);
    DecodeResult d = decode_nested(with("total", number));
    REQUIRE(d.ok);
    CHECK(data_json(d).find(R"("total":)" + written + ",") != std::string::npos);
  }
  CHECK(reject_nested(with("total", "1e-6177")).find("exponent out of the decimal range") != std::string::npos);
  CHECK(reject_nested(with("total", "1e6145")).find("exponent out of the decimal range") != std::string::npos);
}

TEST_CASE("strict mode rejects unknown fields at any depth", "[ingress][nested]") {
  CHECK(reject_nested(with("ship_to", R"({"street":"s","city":"c","planet":"Earth"})"), true) ==
        "unknown field 'ship_to.planet' (strict mode)");
  CHECK(reject_nested(with("items", R"([{"sku":"A","qty":1,"price":1,"colour":"red"}])"), true) ==
        "unknown field 'items[0].colour' (strict mode)");
  CHECK(reject_nested(with("stock", R"({"k":{"sku":"A","qty":1,"price":1,"x":{}}})"), true) ==
        R"(unknown field 'stock["k"].x' (strict mode))");
  // Not strict: ignored, whatever JSON they hold.
  DecodeResult r =
      decode_nested(with("ship_to", R"({"street":"s","extra":{"deep":[1,{"x":null}]},"city":"c","more":[]})"));
  INFO(r.error);
  CHECK(r.ok);
}

TEST_CASE("malformed JSON inside nested values is 'not JSON'", "[ingress][nested]") {
  DecodeResult r = decode_nested(with("ship_to", R"({"street":"s","city":"c",})"));
  REQUIRE_FALSE(r.ok);
  CHECK(r.kind == runtime::RejectKind::NotJson);
  r = decode_nested(with("labels", R"({"k":"v" "j":"w"})"));
  REQUIRE_FALSE(r.ok);
  CHECK(r.kind == runtime::RejectKind::NotJson);
  // A mistake before the malformed part: still "not JSON", the more basic problem.
  r = decode_nested(with("items", R"([{"sku":1,"qty":1,"price":1}, tru])"));
  REQUIRE_FALSE(r.ok);
  CHECK(r.kind == runtime::RejectKind::NotJson);
}

TEST_CASE("the express tier hands over nested values' text as the encoder writes it", "[ingress][nested]") {
  // Records, lists and maps the way senders write them: whitespace, a
  // record's optional left out, `-0`, floats and decimals in other
  // spellings. What the encoder would only order or fill in differently (a
  // record's fields out of order, a default, map keys out of order) is not
  // handed over: the encoder formats those values.
  const std::string data = object_of(
      {{"order_id", R"("o-1")"},
       {"customer", R"({"address":{"street":"Main 1","city":"Utrecht","country":"NL","zip":"3511"},"name":"Ada"})"},
       {"ship_to", R"({ "street": "Dock 2", "city":"Gent",)"
                   "\n\t"
                   R"("country":"BE" })"},
       {"bill_to", R"({"street":"S 1","city":"Brussel","zip":"1000"})"},
       {"items", R"([{"sku":"A-1","qty":-0,"price":12.50,"tags":["red"]}, )"
                 R"({"sku":"B-2","qty":10,"price":0.0000001,"tags":[ ],"gift":true}])"},
       {"maybe", R"([null,{"sku":"C-3","qty":1,"price":"5","tags":["x","y"],"gift":null}])"},
       {"labels", R"({"prio":"high","channel":"web"})"},
       {"counts", R"({"a":-3,"b":2})"},
       {"stock", R"({"A-1":{"sku":"A-1","qty":5,"price":1E+2,"tags":[],"gift":false}})"},
       {"routes", R"([{"none":[],"north":[]},{}])"},
       {"total", "34.90"},
       {"fees", R"([0.10, 2e1 ,-0.00])"}},
      "", {});
  runtime::CloudEventDecoder decoder(*nested().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  INFO(decoder.error());
  REQUIRE(decoder.decode(line_of("OrderPlaced", data), arena, event));
  REQUIRE(decoder.express_accepted() == 1);
  REQUIRE(event.verbatim);
  const auto text = [&event](const char* field) {
    return std::string(event.verbatim[event.type->field_names.find(field)]);
  };
  CHECK(text("customer").empty());  // fields out of order
  CHECK(text("ship_to") == R"({"street":"Dock 2","city":"Gent","country":"BE","zip":null})");
  CHECK(text("bill_to").empty());  // country left out: its default
  CHECK(text("items") == R"([{"sku":"A-1","qty":0,"price":12.50,"tags":["red"],"gift":null},)"
                         R"({"sku":"B-2","qty":10,"price":1E-7,"tags":[],"gift":true}])");
  CHECK(text("maybe") == R"([null,{"sku":"C-3","qty":1,"price":5,"tags":["x","y"],"gift":null}])");
  CHECK(text("labels").empty());  // keys out of order
  CHECK(text("counts") == R"({"a":-3,"b":2})");
  CHECK(text("stock") == R"({"A-1":{"sku":"A-1","qty":5,"price":1E+2,"tags":[],"gift":false}})");
  CHECK(text("routes") == R"([{"none":[],"north":[]},{}])");
  CHECK(text("fees") == R"([0.10,2E+1,-0.00])");
  // Journaled with them, the data is the encoder's to the byte.
  runtime::JsonBuffer given, formatted;
  runtime::append_data_json(given, *event.type, event.instance, event.verbatim);
  runtime::append_data_json(formatted, *event.type, event.instance);
  CHECK(given.view() == formatted.view());
}

TEST_CASE("the catalog describes records and maps", "[ingress][nested][catalog]") {
  const runtime::EventType& order = nested().type("OrderPlaced");
  const auto& ship_to = order.fields[static_cast<size_t>(order.field_names.find("ship_to"))];
  REQUIRE(ship_to.value->kind == TypeKind::Record);
  const runtime::StructCodec& address = *ship_to.value->record;
  CHECK(address.name == "Address");
  CHECK(address.fields.size() == 4);
  CHECK(address.fields[2].absent == runtime::Absent::Default);
  CHECK(address.fields[3].absent == runtime::Absent::None);
  CHECK(ship_to.value->deep);
  CHECK(ship_to.size == address.layout->size);
  // Codecs are shared per type: the customer's address is the same codec.
  const auto& customer = order.fields[static_cast<size_t>(order.field_names.find("customer"))];
  CHECK(customer.value->record->fields[1].value == ship_to.value);
  const auto& labels = order.fields[static_cast<size_t>(order.field_names.find("labels"))];
  CHECK(labels.value->kind == TypeKind::Map);
  CHECK(labels.value->entry_size == 32);
  CHECK(labels.value->entry_value_offset == 16);
  CHECK(order.has_decimal);
  CHECK_FALSE(nested().type("Note").has_decimal);
}
