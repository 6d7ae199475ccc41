// The CloudEvents envelope: attributes, type lookup, `data` placement,
// not-JSON lines and their one-line reasons.
#include <catch2/catch.hpp>

#include "ingress_fixture.h"

using Catch::StartsWith;

using namespace flow;
using namespace flow::testing;
using runtime::RejectKind;

namespace {

std::string full_event() {
  return R"({"specversion":"1.0","type":"OrderPlaced","id":"e-1","source":"shop","time":"2026-01-31T12:00:00.25Z",)"
         R"("subject":"orders/o-1","data":)" +
         order_data() + "}";
}

}  // namespace

TEST_CASE("a complete CloudEvent is decoded with its attributes", "[ingress][envelope]") {
  DecodeResult r = decode(full_event());
  REQUIRE(r.ok);
  CHECK(r.event.type->qualified_name == "shop.orders.OrderPlaced");
  CHECK(r.event.id == "e-1");
  CHECK(r.event.source == "shop");
  CHECK(r.event.subject == "orders/o-1");
  REQUIRE(r.event.time);
  CHECK(*r.event.time == 1769860800250000);
  CHECK(r.field("order_id") == eval::Value::string("o-1"));
}

TEST_CASE("absent optional attributes are reported absent", "[ingress][envelope]") {
  DecodeResult r = decode(line_of("OrderPlaced", order_data()));
  REQUIRE(r.ok);
  CHECK_FALSE(r.event.id);
  CHECK_FALSE(r.event.source);
  CHECK_FALSE(r.event.subject);
  CHECK_FALSE(r.event.time);
}

TEST_CASE("event types are found by plain or qualified name", "[ingress][envelope]") {
  CHECK(decode(line_of("shop.orders.OrderPlaced", order_data())).ok);
  CHECK(decode(line_of("OrderPlaced", order_data())).ok);
  CHECK(reject(line_of("OrderPlcaed", order_data())) ==
        "unknown event type 'OrderPlcaed' (did you mean 'OrderPlaced'?)");
  CHECK(reject(line_of("Zebra", order_data())) == "unknown event type 'Zebra'");
  CHECK(reject(line_of("shop.orders.Nope", "{}")).rfind("unknown event type 'shop.orders.Nope'", 0) == 0);
  CHECK(decode(line_of("Zebra", order_data())).kind == RejectKind::UnknownType);
}

TEST_CASE("a plain name shared by two modules must be qualified", "[ingress][envelope]") {
  auto program = compile_program({{"a.flow", "module a\nevent Dup { x: int }\nevent OnlyA { y: int }\n"},
                                  {"b.flow", "module b\nevent Dup { x: string }\n"}});
  DecodeResult r = decode_with(*program, R"({"type":"Dup","data":{"x":1}})");
  REQUIRE_FALSE(r.ok);
  CHECK(r.error == "ambiguous event type 'Dup' (one of a.Dup, b.Dup)");
  CHECK(decode_with(*program, R"({"type":"a.Dup","data":{"x":1}})").ok);
  CHECK(decode_with(*program, R"({"type":"b.Dup","data":{"x":"s"}})").ok);
  CHECK(decode_with(*program, R"({"type":"OnlyA","data":{"y":1}})").ok);
  CHECK(program->type("a.Dup").wire_name == "a.Dup");
  CHECK(program->type("OnlyA").wire_name == "OnlyA");
}

TEST_CASE("type and data are required, with precise reasons", "[ingress][envelope]") {
  CHECK(reject(R"({"data":{}})") == "missing 'type'");
  CHECK(reject(R"({"type":"OrderPlaced"})") == "missing 'data'");
  CHECK(reject(R"({"type":"OrderPlaced","data_base64":"eyJ9"})") ==
        "missing 'data' ('data_base64' is not supported: send 'data' as a JSON object)");
  CHECK(reject(R"({"type":"OrderPlaced","data":null})") == "'data' must be an object, found null");
  CHECK(reject(R"({"type":"OrderPlaced","data":[1]})") == "'data' must be an object, found array");
  CHECK(reject(R"({"type":"OrderPlaced","data":"x"})") == "'data' must be an object, found string \"x\"");
  CHECK(reject(R"({"type":1,"data":{}})") == "'type' must be a string, found number 1");
  CHECK(reject(R"({"type":null,"data":{}})") == "'type' must be a string, found null");
  CHECK(decode(R"({"data":{}})").kind == RejectKind::NotCloudEvent);
}

TEST_CASE("optional attributes are checked when present", "[ingress][envelope]") {
  const std::string data = order_data();
  CHECK(decode(R"({"specversion":"1.0","type":"OrderPlaced","data":)" + data + "}").ok);
  CHECK(reject(R"({"specversion":"0.3","type":"OrderPlaced","data":)" + data + "}") ==
        "unsupported specversion \"0.3\" (expected \"1.0\")");
  CHECK(reject(R"({"specversion":1.0,"type":"OrderPlaced","data":)" + data + "}") ==
        "'specversion' must be a string, found number 1.0");
  CHECK(reject(R"({"id":"","type":"OrderPlaced","data":)" + data + "}") == "'id' must not be empty");
  CHECK(reject(R"({"id":7,"type":"OrderPlaced","data":)" + data + "}") == "'id' must be a string, found number 7");
  CHECK(reject(R"({"source":"","type":"OrderPlaced","data":)" + data + "}") == "'source' must not be empty");
  CHECK(reject(R"({"subject":false,"type":"OrderPlaced","data":)" + data + "}") ==
        "'subject' must be a string, found bool false");
  CHECK(reject(R"({"time":"yesterday","type":"OrderPlaced","data":)" + data + "}") ==
        "'time' must be an RFC 3339 timestamp, found \"yesterday\"");
  CHECK(reject(R"({"type":"OrderPlaced","type":"OrderPlaced","data":)" + data + "}") == "duplicate attribute 'type'");
  CHECK(reject(R"({"type":"OrderPlaced","data":)" + data + R"(,"data":{}})") == "duplicate attribute 'data'");
}

TEST_CASE("extension attributes are ignored but must be JSON", "[ingress][envelope]") {
  const std::string data = order_data();
  CHECK(decode(R"({"type":"OrderPlaced","traceparent":"00-ab","ext":{"a":[1,2,{"b":null}]},"n":1e999,"data":)" + data +
               "}")
            .ok);
  CHECK_THAT(reject(R"({"type":"OrderPlaced","ext":[1,tru],"data":)" + data + "}"),
             StartsWith("not JSON: invalid literal (expected true or false)"));
  CHECK_THAT(reject(R"({"type":"OrderPlaced","ext":01,"data":)" + data + "}"),
             StartsWith("not JSON: malformed number"));
}

TEST_CASE("data may come before type", "[ingress][envelope]") {
  DecodeResult r = decode(R"({"data":)" + order_data() + R"(,"id":"e-9","type":"OrderPlaced"})");
  REQUIRE(r.ok);
  CHECK(r.event.id == "e-9");
  CHECK(r.field("items") == eval::Value::integer(3));
  CHECK(reject(R"({"data":)" + order_data(R"("zz":1)", {"customer"}) + R"(,"type":"OrderPlaced"})") ==
        "missing field 'customer'");
}

TEST_CASE("lines that are not JSON say so", "[ingress][envelope]") {
  CHECK_THAT(reject(""), StartsWith("not JSON: empty line"));
  CHECK_THAT(reject("   "), StartsWith("not JSON: empty line"));
  CHECK(reject("{").rfind("not JSON: ", 0) == 0);
  CHECK(reject(R"({"type":)").rfind("not JSON: ", 0) == 0);
  CHECK_THAT(reject(R"({"type":"OrderPlaced)"), StartsWith("not JSON: unclosed string"));
  CHECK(reject(line_of("OrderPlaced", order_data()) + " x").rfind("not JSON: ", 0) == 0);
  CHECK_THAT(reject(line_of("OrderPlaced", order_data()) + "}"), StartsWith("not JSON: text follows the JSON value"));
  CHECK(reject(line_of("OrderPlaced", order_data()) + "{}").rfind("not JSON: text follows", 0) == 0);
  CHECK_THAT(reject(R"({"type":"OrderPlaced","data":{"customer":"a)"
                    "\x01"
                    R"("}})"),
             StartsWith("not JSON: unescaped control character in a string"));
  CHECK_THAT(reject("{\"type\":\"Order\xff\",\"data\":{}}"), StartsWith("not JSON: invalid UTF-8"));
  CHECK(reject(R"({"type":"OrderPlaced","data":{"amount":NaN}})").rfind("not JSON: ", 0) == 0);
  CHECK(reject(R"({'type':'OrderPlaced'})").rfind("not JSON: ", 0) == 0);
  CHECK(decode("").kind == RejectKind::NotJson);
}

TEST_CASE("malformed JSON wins over a validation problem found first", "[ingress][envelope]") {
  // The type mismatch comes first in the text, but the line is not JSON.
  CHECK(reject(R"({"type":"OrderPlaced","data":{"items":"3"},"x":[1,}})").rfind("not JSON: ", 0) == 0);
  CHECK_THAT(reject(R"({"type":"Nope","data":{},"x":tru})"),
             StartsWith("not JSON: invalid literal (expected true or false)"));
  CHECK_THAT(reject(R"({"type":"OrderPlaced","data":{"items":tru}})"),
             StartsWith("not JSON: invalid literal (expected true or false)"));
}

TEST_CASE("not-JSON reasons give the byte offset", "[ingress][envelope]") {
  CHECK(reject(R"({"type":"OrderPlaced","data":{"items":tru}})") ==
        "not JSON: invalid literal (expected true or false) (at byte 38)");
  const std::string line = line_of("OrderPlaced", order_data());
  CHECK(reject(line + "}") == "not JSON: text follows the JSON value (at byte " + std::to_string(line.size()) + ")");
  CHECK(reject(R"({"a":1, "b":01})") == "not JSON: malformed number (at byte 12)");
}

TEST_CASE("the root must be an object", "[ingress][envelope]") {
  CHECK(reject("[1,2]") == "expected a JSON object, found array");
  CHECK(reject("\"OrderPlaced\"") == "expected a JSON object, found string");
  CHECK(reject("42") == "expected a JSON object, found number");
  CHECK(reject("null") == "expected a JSON object, found null");
  CHECK(reject("true") == "expected a JSON object, found bool");
  CHECK(reject("1e999") == "expected a JSON object, found number");
  CHECK_THAT(reject("42 43"), StartsWith("not JSON: text follows"));
  CHECK_THAT(reject("null x"), StartsWith("not JSON: text follows"));
  CHECK_THAT(reject("true false"), StartsWith("not JSON: text follows"));
  CHECK_THAT(reject("\"s\" x"), StartsWith("not JSON: text follows"));
  CHECK_THAT(reject("1e999 1"), StartsWith("not JSON: text follows"));
  CHECK(reject("nul").rfind("not JSON: ", 0) == 0);
  CHECK(reject("[1,]").rfind("not JSON: ", 0) == 0);
}

TEST_CASE("surrounding whitespace and CRLF are fine", "[ingress][envelope]") {
  CHECK(decode("  " + line_of("OrderPlaced", order_data()) + " \r").ok);
  CHECK(decode("\t" + line_of("OrderPlaced", order_data()) + "\r\n").ok);
}

TEST_CASE("decode_in_place reads from the caller's buffer", "[ingress][envelope]") {
  const std::string first = line_of("OrderPlaced", order_data());
  const std::string second = line_of("OrderPlaced", order_data("", {"coupon"}));
  const std::string buffer = first + "\n" + second + "\n";  // no padding after the last line
  runtime::CloudEventDecoder decoder(*shop().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  // Enough bytes follow the first line: parsed in place.
  REQUIRE(decoder.decode_in_place(std::string_view(buffer).substr(0, first.size()), buffer.size() - first.size(), arena,
                                  event));
  CHECK(event.type->name == "OrderPlaced");
  // Too few follow the second: copied, same result.
  REQUIRE(decoder.decode_in_place(std::string_view(buffer).substr(first.size() + 1, second.size()), 1, arena, event));
  CHECK_FALSE(event.type->layout->present(event.instance, event.type->field_names.find("coupon")));
}

TEST_CASE("a service's emitted event decodes like an input line", "[ingress][envelope]") {
  runtime::CloudEventDecoder decoder(*shop().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  REQUIRE(decoder.decode_emitted(R"({"type":"OrderApproved","data":)" + order_data(R"("approved_by":"alice")") + "}",
                                 arena, event));
  CHECK(event.type->name == "OrderApproved");
  CHECK_FALSE(decoder.decode_emitted(R"({"type":"OrderApproved","data":)" + order_data() + "}", arena, event));
  CHECK(decoder.error() == "missing field 'approved_by'");
  CHECK(decoder.error_kind() == RejectKind::InvalidData);
}

TEST_CASE("one decoder decodes many lines; a failure does not spoil the next", "[ingress][envelope]") {
  runtime::CloudEventDecoder decoder(*shop().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  for (int i = 0; i < 100; ++i) {
    const bool good = i % 3 != 0;
    const std::string line =
        good ? line_of("OrderPlaced", order_data()) : line_of("OrderPlaced", order_data("", {"items"}));
    CHECK(decoder.decode(line, arena, event) == good);
    if (!good) CHECK(decoder.error() == "missing field 'items'");
  }
  // A line longer than the initial buffer.
  std::string big(100000, 'x');
  CHECK(decoder.decode(line_of("OrderPlaced", order_data(R"("note":")" + big + "\"")), arena, event));
}

TEST_CASE("decode_data decodes a bare data object of a known type", "[ingress][envelope]") {
  const runtime::EventType& approved = shop().type("OrderApproved");
  for (bool fast : {true, false}) {
    runtime::CloudEventDecoder decoder(*shop().catalog, {false, fast});
    Arena arena;
    runtime::DecodedEvent event;
    REQUIRE(decoder.decode_data(approved, order_data(R"("approved_by":"bob")"), arena, event));
    CHECK(event.type == &approved);
    CHECK_FALSE(event.id);
    std::string json;
    runtime::append_data_json(json, approved, event.instance);
    CHECK(json.find(R"("approved_by":"bob")") != std::string::npos);
    CHECK_FALSE(decoder.decode_data(approved, order_data(), arena, event));
    CHECK(decoder.error() == "missing field 'approved_by'");
    CHECK_FALSE(decoder.decode_data(approved, "[1]", arena, event));
    CHECK(decoder.error() == "'data' must be an object, found array");
    CHECK_FALSE(decoder.decode_data(approved, order_data(R"("approved_by":"bob")") + " 1", arena, event));
    CHECK_THAT(decoder.error(), StartsWith("not JSON: "));
    CHECK_FALSE(decoder.decode_data(approved, R"({"items":"x"})", arena, event));
    CHECK(decoder.error() == "field 'items': expected int, found string \"x\"");
    CHECK_FALSE(decoder.decode_data(approved, "", arena, event));
    CHECK(decoder.error() == "not JSON: empty line");
  }
}

TEST_CASE("empty views are rejected, not read", "[ingress][envelope]") {
  runtime::CloudEventDecoder decoder(*shop().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  CHECK_FALSE(decoder.decode(std::string_view(), arena, event));
  CHECK_FALSE(decoder.decode_in_place(std::string_view(), 1000, arena, event));
  CHECK(decoder.error() == "not JSON: empty line");
}
