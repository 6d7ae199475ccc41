// Validation of `data` against the event type (language.md §5): every rule
// and its message, defaults, optionals, lists, enums, times, numbers at the
// limits and Unicode.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "ingress_fixture.h"

using Catch::StartsWith;
#include "base/time_format.h"

using namespace flow;
using namespace flow::testing;
using eval::Value;

namespace {

DecodeResult everything_with(const std::string& name, const std::string& value) {
  return decode(line_of("Everything", everything("\"" + name + "\":" + value, name)));
}

std::string everything_error(const std::string& name, const std::string& value) {
  return reject(line_of("Everything", everything("\"" + name + "\":" + value, name)));
}

Value Ts(const char* text) {
  return Value::timestamp(*parse_timestamp(text));
}

}  // namespace

TEST_CASE("an order decodes into its layout", "[ingress][data]") {
  DecodeResult r = decode(line_of("OrderPlaced", order_data()));
  REQUIRE(r.ok);
  CHECK(r.field("order_id") == Value::string("o-1"));
  CHECK(r.field("customer") == Value::string("c-7"));
  CHECK(r.field("country") == Value::string("NL"));
  CHECK(r.field("amount") == Value::floating(120.5));
  CHECK(r.field("items") == Value::integer(3));
  CHECK(r.field("channel") == Value::enumeration(0));
  CHECK(r.field("coupon") == Value::string("SPRING"));
  CHECK(r.field("tags") == Value::list({Value::string("vip")}));
  CHECK(r.field("placed_at") == Ts("2026-01-31T12:00:00Z"));
}

TEST_CASE("every field type decodes", "[ingress][data]") {
  DecodeResult r = decode(line_of("Everything", everything()));
  INFO(r.error);
  REQUIRE(r.ok);
  CHECK(r.field("id") == Value::integer(1));
  CHECK(r.field("b") == Value::boolean(true));
  CHECK(r.field("i") == Value::integer(-5));
  CHECK(r.field("f") == Value::floating(2.5));
  CHECK(r.field("d") == Value::duration(90'000'000));
  CHECK(r.field("c") == Value::enumeration(2));
  CHECK(r.field("lf") == Value::list({Value::floating(1.5), Value::floating(2.0)}));
  CHECK(r.field("ls") == Value::list({Value::string("a"), Value::string("")}));
  CHECK(r.field("lb") == Value::list({Value::boolean(true), Value::boolean(false)}));
  CHECK(r.field("lts") == Value::list({Value::timestamp(0)}));
  CHECK(r.field("ld") == Value::list({Value::duration(1000), Value::duration(2 * 86400'000'000LL)}));
  CHECK(r.field("lc") == Value::list({Value::enumeration(0), Value::enumeration(1)}));
  CHECK(r.field("loi") == Value::list({Value::integer(1), Value::none(), Value::integer(3)}));
  CHECK(r.field("los") == Value::list({Value::none(), Value::string("x")}));
  CHECK(r.field("lli") == Value::list({Value::list({Value::integer(1)}), Value::list({}),
                                       Value::list({Value::integer(2), Value::integer(3)})}));
  CHECK(r.field("llos") == Value::list({Value::list({Value::string("a"), Value::none()}), Value::list({})}));
}

TEST_CASE("missing fields are errors unless optional or defaulted", "[ingress][data]") {
  CHECK(reject(line_of("OrderPlaced", order_data("", {"customer"}))) == "missing field 'customer'");
  CHECK(reject(line_of("OrderPlaced", order_data("", {"order_id"}))) == "missing key field 'order_id'");
  CHECK(reject(line_of("OrderPlaced", order_data("", {"customer", "placed_at", "country"}))) ==
        "missing fields 'customer', 'country', 'placed_at'");
  CHECK(reject(line_of("OrderPlaced", "{}")) ==
        "missing fields 'order_id', 'customer', 'country', 'amount', 'items', 'channel', 'placed_at'");
  DecodeResult r = decode(line_of("OrderPlaced", order_data("", {"coupon", "tags"})));
  REQUIRE(r.ok);
  CHECK_FALSE(r.present("coupon"));
  CHECK(r.field("coupon").is_none());
  CHECK(r.present("tags"));
  CHECK(r.field("tags") == Value::list({}));
}

TEST_CASE("absent fields get their defaults", "[ingress][data]") {
  DecodeResult r = decode(line_of("Everything", everything()));
  REQUIRE(r.ok);
  CHECK(r.field("di") == Value::integer(42));
  CHECK(r.field("ds") == Value::string("hi"));
  CHECK(r.field("dl") == Value::list({Value::string("a"), Value::string("b")}));
  CHECK(r.field("dll") == Value::list({Value::list({Value::string("x")}), Value::list({}),
                                       Value::list({Value::string("y"), Value::string("z")})}));
  CHECK(r.field("dd") == Value::duration(15 * 60'000'000LL));
  CHECK(r.field("dts") == Ts("2026-01-31T12:00:00Z"));
  CHECK(r.field("dc") == Value::enumeration(1));
  CHECK(r.field("doi") == Value::integer(7));
  CHECK(r.field("olli").is_none());
  // Given values win over defaults; null for an optional with a default is none.
  DecodeResult given = everything_with("doi", "null");
  REQUIRE(given.ok);
  CHECK(given.field("doi").is_none());
  CHECK(everything_with("di", "-1").field("di") == Value::integer(-1));
  CHECK(everything_with("dl", "[]").field("dl") == Value::list({}));
}

TEST_CASE("defaults are copied into the event's own arena", "[ingress][data]") {
  DecodeResult r = decode(line_of("Everything", everything()));
  REQUIRE(r.ok);
  const runtime::EventType& type = *r.event.type;
  const auto& f = type.fields[static_cast<size_t>(type.field_names.find("ds"))];
  FlowStr mine, catalog;
  std::memcpy(&mine, r.event.instance + f.offset, sizeof mine);
  std::memcpy(&catalog, type.defaults + f.offset, sizeof catalog);
  CHECK(mine.data != catalog.data);
  CHECK(std::string(mine.data, mine.size) == "hi");
}

TEST_CASE("null is allowed only for optionals", "[ingress][data]") {
  CHECK(reject(line_of("OrderPlaced", order_data(R"("customer":null)", {"customer"}))) ==
        "field 'customer': expected string, found null (the field is not optional)");
  CHECK(everything_error("dl", "null") == "field 'dl': expected list<string>, found null (the field is not optional)");
  CHECK(everything_error("li", "[1,null]") == "field 'li[1]': expected int, found null (the element is not optional)");
  DecodeResult r = decode(line_of("OrderPlaced", order_data(R"("coupon":null)", {"coupon"})));
  REQUIRE(r.ok);
  CHECK_FALSE(r.present("coupon"));
  for (const char* name : {"ob", "oi", "of", "os", "ots", "od", "oc", "olli"}) {
    DecodeResult n = everything_with(name, "null");
    INFO(name << ": " << n.error);
    REQUIRE(n.ok);
    CHECK_FALSE(n.present(name));
  }
}

TEST_CASE("optional fields decode their values when present", "[ingress][data]") {
  CHECK(everything_with("ob", "false").field("ob") == Value::boolean(false));
  CHECK(everything_with("oi", "0").field("oi") == Value::integer(0));
  CHECK(everything_with("of", "-1.25").field("of") == Value::floating(-1.25));
  CHECK(everything_with("os", R"("")").field("os") == Value::string(""));
  CHECK(everything_with("ots", R"("2000-01-01T00:00:00Z")").field("ots") == Ts("2000-01-01T00:00:00Z"));
  CHECK(everything_with("od", R"("2h")").field("od") == Value::duration(7200'000'000LL));
  CHECK(everything_with("oc", R"("Store")").field("oc") == Value::enumeration(1));
  CHECK(everything_with("olli", "[[7]]").field("olli") == Value::list({Value::list({Value::integer(7)})}));
  CHECK(everything_with("oi", R"("1")").error == "field 'oi': expected int, found string \"1\"");
}

TEST_CASE("a JSON value of the wrong type is named", "[ingress][data]") {
  CHECK(everything_error("b", R"("yes")") == "field 'b': expected bool, found string \"yes\"");
  CHECK(everything_error("b", "1") == "field 'b': expected bool, found number 1");
  CHECK(everything_error("i", R"("3")") == "field 'i': expected int, found string \"3\"");
  CHECK(everything_error("i", "true") == "field 'i': expected int, found bool true");
  CHECK(everything_error("f", R"("1.5")") == "field 'f': expected float, found string \"1.5\"");
  CHECK(everything_error("s", "5") == "field 's': expected string, found number 5");
  CHECK(everything_error("s", R"({"a":1})") == "field 's': expected string, found object");
  CHECK(everything_error("ts", "5") == "field 'ts': expected timestamp, found number 5");
  CHECK(everything_error("d", "900") == "field 'd': expected duration, found number 900");
  CHECK(everything_error("c", "1") == "field 'c': expected Channel, found number 1");
  CHECK(everything_error("li", R"("1,2")") == "field 'li': expected list<int>, found string \"1,2\"");
  CHECK(everything_error("li", "{}") == "field 'li': expected list<int>, found object");
  CHECK(everything_error("li", R"([1,2,"x"])") == "field 'li[2]': expected int, found string \"x\"");
  CHECK(everything_error("lli", "[[1],[2,[3]]]") == "field 'lli[1][1]': expected int, found array");
  CHECK(everything_error("lli", "[1]") == "field 'lli[0]': expected list<int>, found number 1");
  CHECK(everything_error("llos", R"([[],["a",2]])") == "field 'llos[1][1]': expected string, found number 2");
  CHECK(everything_error("lc", R"(["Web","Fax"])") ==
        "field 'lc[1]': \"Fax\" is not a member of Channel (one of Web, Store, Phone)");
}

TEST_CASE("long values are cut in messages", "[ingress][data]") {
  std::string error = everything_error("i", "\"" + std::string(100, 'y') + "\"");
  CHECK(error == "field 'i': expected int, found string \"" + std::string(39, 'y') + "...");
}

TEST_CASE("int must be a whole number within int64", "[ingress][data][limits]") {
  CHECK(everything_with("i", "9223372036854775807").field("i") == Value::integer(INT64_MAX));
  CHECK(everything_with("i", "-9223372036854775808").field("i") == Value::integer(INT64_MIN));
  CHECK(everything_with("i", "-0").field("i") == Value::integer(0));
  CHECK(everything_error("i", "9223372036854775808") ==
        "field 'i': number 9223372036854775808 is out of range for int");
  CHECK(everything_error("i", "-9223372036854775809") ==
        "field 'i': number -9223372036854775809 is out of range for int");
  CHECK(everything_error("i", "123456789012345678901234567890") ==
        "field 'i': number 123456789012345678901234567890 is out of range for int");
  CHECK(everything_error("i", "1.5") ==
        "field 'i': expected int, found number 1.5 (an int has no fraction or exponent)");
  CHECK(everything_error("i", "1.0") ==
        "field 'i': expected int, found number 1.0 (an int has no fraction or exponent)");
  CHECK(everything_error("i", "1e30") ==
        "field 'i': expected int, found number 1e30 (an int has no fraction or exponent)");
  CHECK(everything_error("li", "[1,2.5]") ==
        "field 'li[1]': expected int, found number 2.5 (an int has no fraction or exponent)");
  CHECK_THAT(everything_error("i", "01"), StartsWith("not JSON: malformed number"));
  CHECK_THAT(everything_error("i", "-"), StartsWith("not JSON: malformed number"));
  CHECK_THAT(everything_error("i", "1."), StartsWith("not JSON: malformed number"));
  CHECK(everything_error("i", "+1").rfind("not JSON: ", 0) == 0);
}

TEST_CASE("float accepts integers and decimals, finite only", "[ingress][data][limits]") {
  CHECK(everything_with("f", "3").field("f") == Value::floating(3.0));
  CHECK(everything_with("f", "-2").field("f") == Value::floating(-2.0));
  CHECK(everything_with("f", "1e308").field("f") == Value::floating(1e308));
  CHECK(everything_with("f", "1.7976931348623157e308").field("f") == Value::floating(1.7976931348623157e308));
  CHECK(everything_with("f", "5e-324").field("f") == Value::floating(5e-324));
  CHECK(everything_with("f", "123456789012345678901234567890").field("f") ==
        Value::floating(123456789012345678901234567890.0));
  CHECK(everything_with("f", "9223372036854775808").field("f") == Value::floating(9223372036854775808.0));
  CHECK(std::signbit(everything_with("f", "-0.0").field("f").as_float()));
  CHECK(everything_error("f", "1e400") == "field 'f': number 1e400 is out of range for float");
  CHECK(everything_error("f", "-1e400") == "field 'f': number -1e400 is out of range for float");
  CHECK(everything_error("lf", "[1,2e999]") == "field 'lf[1]': number 2e999 is out of range for float");
  CHECK(everything_error("f", "Infinity").rfind("not JSON: ", 0) == 0);
  CHECK(everything_error("f", "NaN").rfind("not JSON: ", 0) == 0);
}

TEST_CASE("strings are UTF-8, escapes included", "[ingress][data][unicode]") {
  CHECK(everything_with("s", R"("héllo wörld")").field("s") == Value::string("héllo wörld"));
  CHECK(everything_with("s", R"("caf\u00e9")").field("s") == Value::string("café"));
  CHECK(everything_with("s", R"("\ud83d\ude00")").field("s") == Value::string("\xF0\x9F\x98\x80"));
  CHECK(everything_with("s", "\"\xF0\x9F\x98\x80 \xE2\x82\xAC \xE4\xB8\xAD\"").field("s") ==
        Value::string("\xF0\x9F\x98\x80 \xE2\x82\xAC \xE4\xB8\xAD"));
  CHECK(everything_with("s", R"("a\"b\\c\/d\n\t\r\b\f")").field("s") == Value::string("a\"b\\c/d\n\t\r\b\f"));
  CHECK(everything_with("s", R"("nul\u0000byte")").field("s") == Value::string(std::string("nul\0byte", 8)));
  CHECK_THAT(everything_error("s", R"("\ud800")"), StartsWith("not JSON: invalid escape in a string"));
  CHECK_THAT(everything_error("s", R"("\x41")"), StartsWith("not JSON: invalid escape in a string"));
  CHECK_THAT(everything_error("s", "\"\xC3\x28\""), StartsWith("not JSON: invalid UTF-8"));
  CHECK_THAT(everything_error("s", "\"\xED\xA0\x80\""), StartsWith("not JSON: invalid UTF-8"));  // encoded surrogate
  CHECK_THAT(everything_error("s", "\"\xF8\x88\x80\x80\x80\""), StartsWith("not JSON: invalid UTF-8"));
  // Unicode in enum names and keys compares as bytes.
  CHECK(everything_error("c", R"("Wéb")") == "field 'c': \"Wéb\" is not a member of Channel (did you mean 'Web'?)");
}

TEST_CASE("timestamps are RFC 3339 strings", "[ingress][data]") {
  CHECK(everything_with("ts", R"("2026-01-31T13:00:00+01:00")").field("ts") == Ts("2026-01-31T12:00:00Z"));
  CHECK(everything_with("ts", R"("2026-01-31T12:00:00.123456Z")").field("ts").as_int() % 1000000 == 123456);
  CHECK(everything_with("ts", R"("1969-12-31T23:59:59Z")").field("ts") == Value::timestamp(-1000000));
  CHECK(everything_error("ts", R"("yesterday")") == "field 'ts': expected an RFC 3339 timestamp, found \"yesterday\"");
  CHECK(everything_error("ts", R"("2026-02-30T00:00:00Z")") ==
        "field 'ts': expected an RFC 3339 timestamp, found \"2026-02-30T00:00:00Z\"");
  CHECK(everything_error("ts", R"("2026-01-31 12:00:00")") ==
        "field 'ts': expected an RFC 3339 timestamp, found \"2026-01-31 12:00:00\"");
  CHECK(everything_error("lts", R"(["2026-01-31T12:00:00Z",""])") ==
        "field 'lts[1]': expected an RFC 3339 timestamp, found \"\"");
}

TEST_CASE("durations are Flow literal strings", "[ingress][data]") {
  CHECK(everything_with("d", R"("250ms")").field("d") == Value::duration(250'000));
  CHECK(everything_with("d", R"("15m")").field("d") == Value::duration(900'000'000));
  CHECK(everything_with("d", R"("3d")").field("d") == Value::duration(3 * 86400'000'000LL));
  CHECK(everything_with("d", R"("1_000s")").field("d") == Value::duration(1000'000'000));
  CHECK(everything_with("d", R"("-15m")").field("d") == Value::duration(-900'000'000));
  CHECK(everything_with("d", R"("1.500ms")").field("d") == Value::duration(1500));
  CHECK(everything_with("d", R"("0s")").field("d") == Value::duration(0));
  const std::string expected = "expected a duration such as \"15m\" or \"250ms\", found ";
  CHECK(everything_error("d", R"("15 minutes")") == "field 'd': " + expected + "\"15 minutes\"");
  CHECK(everything_error("d", R"("15")") == "field 'd': " + expected + "\"15\"");
  CHECK(everything_error("d", R"("1.5s")") == "field 'd': " + expected + "\"1.5s\"");
  CHECK(everything_error("d", R"("99999999999999999d")") == "field 'd': " + expected + "\"99999999999999999d\"");
  CHECK(everything_error("ld", R"(["1s","PT1S"])") == "field 'ld[1]': " + expected + "\"PT1S\"");
}

TEST_CASE("enums are member names", "[ingress][data]") {
  CHECK(everything_with("c", R"("Web")").field("c") == Value::enumeration(0));
  CHECK(everything_with("c", R"("Store")").field("c") == Value::enumeration(1));
  CHECK(everything_error("c", R"("Webb")") == "field 'c': \"Webb\" is not a member of Channel (did you mean 'Web'?)");
  CHECK(everything_error("c", R"("web")") == "field 'c': \"web\" is not a member of Channel (did you mean 'Web'?)");
  CHECK(everything_error("c", R"("Fax")") ==
        "field 'c': \"Fax\" is not a member of Channel (one of Web, Store, Phone)");
  CHECK(everything_error("c", R"("Channel.Web")").rfind("field 'c': \"Channel.Web\" is not a member of Channel", 0) ==
        0);
}

TEST_CASE("unknown fields are ignored unless strict", "[ingress][data]") {
  const std::string line = line_of("OrderPlaced", order_data(R"("note":{"deep":[1,{"x":null}]},"n":1e999)"));
  CHECK(decode(line).ok);
  CHECK(reject(line, /*strict=*/true) == "unknown field 'note' (strict mode)");
  CHECK(decode(line_of("OrderPlaced", order_data()), true).ok);
  CHECK(reject(line_of("OrderPlaced", order_data(R"("note":[1,2,])"))).rfind("not JSON: ", 0) == 0);
  CHECK_THAT(reject(line_of("OrderPlaced", order_data(R"("note":"\q")"))),
             StartsWith("not JSON: invalid escape in a string"));
  std::string deep = std::string(300, '[') + std::string(300, ']');
  CHECK_THAT(reject(line_of("OrderPlaced", order_data("\"note\":" + deep))),
             StartsWith("not JSON: objects or arrays nested too deeply"));
  std::string ok_deep = std::string(200, '[') + std::string(200, ']');
  CHECK(decode(line_of("OrderPlaced", order_data("\"note\":" + ok_deep))).ok);
}

TEST_CASE("duplicate fields are rejected", "[ingress][data]") {
  CHECK(reject(line_of("OrderPlaced", order_data(R"("customer":"again")"))) == "duplicate field 'customer'");
  CHECK(reject(line_of("OrderPlaced", order_data(R"("coupon":null)"))) == "duplicate field 'coupon'");
}

TEST_CASE("field order does not matter; escaped keys match", "[ingress][data]") {
  DecodeResult r = decode(
      line_of("OrderPlaced",
              R"({"placed_at":"2026-01-31T12:00:00Z","items":3,"cust\u006fmer":"c","order_id":"o","country":"NL",)"
              R"("channel":"Store","amount":1})"));
  INFO(r.error);
  REQUIRE(r.ok);
  CHECK(r.field("customer") == Value::string("c"));
  CHECK(r.field("channel") == Value::enumeration(1));
  CHECK(r.field("amount") == Value::floating(1.0));
}

TEST_CASE("included fields are part of the event", "[ingress][data]") {
  DecodeResult r = decode(line_of("OrderApproved", order_data(R"("approved_by":"auto")")));
  REQUIRE(r.ok);
  CHECK(r.field("approved_by") == Value::string("auto"));
  CHECK(r.field("amount") == Value::floating(120.5));
}

TEST_CASE("every non-optional field present sets its presence bit", "[ingress][data]") {
  DecodeResult r = decode(line_of("Everything", everything()));
  REQUIRE(r.ok);
  const runtime::EventType& type = *r.event.type;
  for (const auto& f : type.fields) {
    if (!f.optional) CHECK(type.layout->present(r.event.instance, f.index));
  }
}
