// The encoder: exact JSON text for data objects and CloudEvents lines,
// escaping, floats, times, absent optionals.
#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <limits>
#include <random>

#include "base/json_string.h"
#include "base/time_format.h"
#include "eval/value_io.h"
#include "ingress/event_encoder.h"
#include "ingress_fixture.h"
#include "layout/event_builder.h"

using namespace flow;
using namespace flow::testing;
using eval::Value;

namespace {

/// Encodes the `data` of a decoded line.
std::string data_json(const std::string& line) {
  DecodeResult r = decode(line);
  INFO(r.error);
  REQUIRE(r.ok);
  std::string out;
  runtime::append_data_json(out, *r.event.type, r.event.instance);
  return out;
}

/// An OrderPlaced instance with `amount` and `customer` set as given.
std::string order_with(double amount, const std::string& customer) {
  const IngressProgram& p = shop();
  const runtime::EventType& type = p.type("OrderPlaced");
  Arena arena;
  layout::EventBuilder b(*type.layout, arena);
  b.set_string(b.field("order_id"), "o").set_string(b.field("customer"), customer);
  b.set_string(b.field("country"), "NL").set_float(b.field("amount"), amount).set_int(b.field("items"), 1);
  b.set_enum(b.field("channel"), 2).set_none(b.field("coupon"));
  eval::write_field(b, b.field("tags"), Value::list({}));
  b.set_timestamp(b.field("placed_at"), 0);
  std::string out;
  runtime::append_data_json(out, type, b.instance());
  return out;
}

std::string amount_text(double amount) {
  std::string json = order_with(amount, "c");
  size_t start = json.find("\"amount\":") + 9;
  return json.substr(start, json.find(',', start) - start);
}

std::string customer_text(const std::string& customer) {
  std::string json = order_with(1, customer);
  size_t start = json.find("\"customer\":") + 11;
  return json.substr(start, json.find(",\"country\"") - start);
}

}  // namespace

TEST_CASE("an order encodes in declaration order", "[ingress][encode]") {
  CHECK(data_json(line_of("OrderPlaced", order_data())) ==
        R"({"order_id":"o-1","customer":"c-7","country":"NL","amount":120.5,"items":3,"channel":"Web",)"
        R"("coupon":"SPRING","tags":["vip"],"placed_at":"2026-01-31T12:00:00Z"})");
}

TEST_CASE("absent optionals are written as null", "[ingress][encode]") {
  CHECK(data_json(line_of("OrderPlaced", order_data("", {"coupon"}))).find(R"("coupon":null)") != std::string::npos);
  std::string everything = data_json(
      line_of("Everything",
              R"({"id":1,"b":true,"i":-5,"f":2.5,"s":"s","ts":"2026-01-31T12:00:00Z","d":"90s","c":"Phone","li":[],)"
              R"("lf":[],"ls":[],"lb":[],"lts":[],"ld":["1.5ms"],"lc":["Store"],"loi":[null,1],"los":[],"lli":[[]],)"
              R"("llos":[[null]],"oc":"Web"})"));
  CHECK(everything ==
        R"({"id":1,"b":true,"i":-5,"f":2.5,"s":"s","ts":"2026-01-31T12:00:00Z","d":"90s","c":"Phone",)"
        R"("ob":null,"oi":null,"of":null,"os":null,"ots":null,"od":null,"oc":"Web",)"
        R"("li":[],"lf":[],"ls":[],"lb":[],"lts":[],"ld":["1.500ms"],"lc":["Store"],"loi":[null,1],"los":[],)"
        R"("lli":[[]],"llos":[[null]],"olli":null,"di":42,"ds":"hi","dl":["a","b"],"dll":[["x"],[],["y","z"]],)"
        R"("dd":"15m","dts":"2026-01-31T12:00:00Z","dc":"Store","doi":7})");
}

TEST_CASE("a CloudEvents line carries the attributes", "[ingress][encode]") {
  DecodeResult r = decode(line_of("OrderPlaced", order_data()));
  REQUIRE(r.ok);
  std::string out = "prefix:";  // appends, never overwrites
  runtime::CloudEventAttributes attributes;
  attributes.id = "e-\"1\"";
  attributes.source = "shop";
  attributes.time = 1769860800000001;
  attributes.subject = "o-1";
  runtime::append_cloudevent_json(out, *r.event.type, r.event.instance, attributes);
  CHECK(out == R"(prefix:{"specversion":"1.0","type":"OrderPlaced","id":"e-\"1\"","source":"shop",)"
               R"("time":"2026-01-31T12:00:00.000001Z","subject":"o-1","data":)" +
                   data_json(line_of("OrderPlaced", order_data())) + "}");
  // Without time and subject.
  std::string plain;
  runtime::append_cloudevent_json(plain, *r.event.type, r.event.instance, {"e-2", "src", {}, {}});
  CHECK(plain.rfind(R"({"specversion":"1.0","type":"OrderPlaced","id":"e-2","source":"src","data":{)", 0) == 0);
  // And it decodes back.
  DecodeResult back = decode(out.substr(7));
  REQUIRE(back.ok);
  CHECK(back.event.id == "e-\"1\"");
  CHECK(*back.event.time == 1769860800000001);
  CHECK(back.event.subject == "o-1");
}

TEST_CASE("strings are escaped as JSON", "[ingress][encode][unicode]") {
  CHECK(customer_text("plain") == R"("plain")");
  CHECK(customer_text("a\"b\\c/d") == R"("a\"b\\c/d")");
  CHECK(customer_text("\n\r\t\b\f") == R"("\n\r\t\b\f")");
  CHECK(customer_text(std::string("\0\x01\x1f\x7f", 4)) == "\"\\u0000\\u0001\\u001f\x7f\"");
  CHECK(customer_text("héllo \xF0\x9F\x98\x80") == "\"héllo \xF0\x9F\x98\x80\"");
  // Bytes that are not UTF-8 cannot be in JSON: each becomes U+FFFD.
  CHECK(customer_text("a\xff"
                      "b\xC3") ==
        "\"a\xEF\xBF\xBD"
        "b\xEF\xBF\xBD\"");
  CHECK(customer_text("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  std::string escaped;
  flow::append_json_string(escaped, "x");
  CHECK(escaped == "\"x\"");
}

TEST_CASE("a character to escape is found at any position of a long string", "[ingress][encode][unicode]") {
  // Plain text is scanned a word at a time: every special byte, at every
  // offset in and across words, is still escaped, and bytes that are close
  // to special ones (space, '!', '#', '[', ']', DEL) are not.
  const std::vector<std::pair<std::string, std::string>> specials = {{"\"", "\\\""},
                                                                     {"\\", "\\\\"},
                                                                     {"\n", "\\n"},
                                                                     {std::string(1, '\0'), "\\u0000"},
                                                                     {"\x1f", "\\u001f"},
                                                                     {"\xC3\xA9", "\xC3\xA9"},
                                                                     {"\xff", "\xEF\xBF\xBD"},
                                                                     {" ", " "},
                                                                     {"!", "!"},
                                                                     {"#", "#"},
                                                                     {"[", "["},
                                                                     {"]", "]"},
                                                                     {"\x7f", "\x7f"}};
  for (size_t length = 1; length <= 40; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (const auto& [raw, escaped] : specials) {
        std::string text(length, 'a');
        text.replace(at, 1, raw);
        std::string expected(length, 'a');
        expected.replace(at, 1, escaped);
        INFO("length " << length << ", at " << at);
        CHECK(customer_text(text) == "\"" + expected + "\"");
      }
    }
  }
}

TEST_CASE("a JsonBuffer gets the same text as a std::string, however it grows", "[ingress][encode]") {
  // The buffer is cleared and refilled per event, from empty to far beyond
  // its first growth step, and keeps what it holds when it grows.
  const IngressProgram& p = shop();
  const runtime::EventType& type = p.type("OrderPlaced");
  runtime::JsonBuffer buffer;
  for (size_t length : {0, 1, 300, 5000, 40, 100000, 3}) {
    Arena arena;
    layout::EventBuilder b(*type.layout, arena);
    b.set_string(b.field("order_id"), "o").set_string(b.field("customer"), std::string(length, 'c'));
    b.set_string(b.field("country"), "NL").set_float(b.field("amount"), 1.5).set_int(b.field("items"), 1);
    b.set_enum(b.field("channel"), 2).set_none(b.field("coupon"));
    eval::write_field(b, b.field("tags"), Value::list({}));
    b.set_timestamp(b.field("placed_at"), 0);
    std::string expected;
    runtime::append_data_json(expected, type, b.instance());
    buffer.clear();
    runtime::append_data_json(buffer, type, b.instance());
    CHECK(buffer.view() == expected);
    // Appending after what is there, as the engine does for emitted events.
    runtime::append_fields_json(buffer, type, b.instance(), type.fields.size() - 2);
    std::string tail;
    runtime::append_fields_json(tail, type, b.instance(), type.fields.size() - 2);
    CHECK(buffer.view() == expected + tail);
  }
}

TEST_CASE("floats use the shortest round-trip form", "[ingress][encode]") {
  CHECK(amount_text(120) == "120.0");
  CHECK(amount_text(0.1) == "0.1");
  CHECK(amount_text(-2.5) == "-2.5");
  CHECK(amount_text(1e30) == "1e+30");
  CHECK(amount_text(1e-7) == "1e-07");
  CHECK(amount_text(-0.0) == "-0.0");
  CHECK(amount_text(0.0) == "0.0");
  CHECK(amount_text(5e-324) == "5e-324");
  CHECK(amount_text(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(amount_text(9007199254740993.0) == "9007199254740992.0");
  CHECK(amount_text(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(amount_text(std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("floats of a few decimals print as std::to_chars prints them", "[ingress][encode]") {
  // The encoder prints decimals of one to three places without to_chars;
  // the text must be the same, and must read back as the same double.
  std::mt19937_64 random(20261125);
  auto expected = [](double d) {
    char buffer[64];
    char* end = std::to_chars(buffer, buffer + sizeof buffer, d).ptr;
    std::string text(buffer, end);
    if (text.find_first_of(".e") == std::string::npos) text += ".0";
    return text;
  };
  std::vector<double> values = {0.5,           0.05,      0.005,     0.125,      0.001,     1803.01,
                                999999999.999, 1e9 - 0.5, 1e9 + 0.5, 123456.789, 0.1 + 0.2, 2.675,
                                1.005,         -0.001,    7.0,       1e8,        33.3333};
  for (int i = 0; i < 20000; ++i) {
    const int places = static_cast<int>(random() % 4);
    const auto units = static_cast<int64_t>(random() % 2000000000000ull) - 1000000000000;
    values.push_back(static_cast<double>(units) / std::pow(10.0, places + static_cast<int>(random() % 4)));
    // Neighbours of a decimal: one ulp away reads back differently.
    values.push_back(std::nextafter(values.back(), 1e300));
  }
  for (double d : values) {
    INFO(std::setprecision(17) << d);
    const std::string text = amount_text(d);
    CHECK(text == expected(d));
    CHECK(std::strtod(text.c_str(), nullptr) == d);
  }
}

TEST_CASE("ints at the limits", "[ingress][encode][limits]") {
  for (int64_t v : {INT64_MIN, INT64_MIN + 1, int64_t{-1}, int64_t{0}, INT64_MAX}) {
    std::string data = order_data("", {"items"});
    data.insert(data.size() - 1, ",\"items\":" + std::to_string(v));
    std::string json = data_json(line_of("OrderPlaced", data));
    CHECK(json.find("\"items\":" + std::to_string(v) + ",") != std::string::npos);
  }
}

TEST_CASE("an included event's text is its trigger's text plus the new fields", "[ingress][encode]") {
  // What the engine relies on to derive an emitted event's `data` from its
  // trigger's: OrderApproved is { ...OrderPlaced, approved_by }.
  const runtime::EventType& placed = shop().type("OrderPlaced");
  const runtime::EventType& approved = shop().type("OrderApproved");
  REQUIRE(approved.fields.size() == placed.fields.size() + 1);
  runtime::CloudEventDecoder decoder(*shop().catalog);
  Arena arena;
  runtime::DecodedEvent trigger, emitted;
  REQUIRE(decoder.decode_data(placed, order_data(), arena, trigger));
  REQUIRE(decoder.decode_data(approved, order_data(R"("approved_by":"b\u00f8b \"the\" reviewer")"), arena, emitted));
  std::string whole;
  runtime::append_data_json(whole, approved, emitted.instance);
  std::string derived;
  runtime::append_data_json(derived, placed, trigger.instance);
  derived.pop_back();  // the closing brace
  runtime::append_fields_json(derived, approved, emitted.instance, placed.fields.size());
  derived.push_back('}');
  CHECK(derived == whole);
  std::string none;
  runtime::append_fields_json(none, approved, emitted.instance, approved.fields.size());
  CHECK(none.empty());
}
