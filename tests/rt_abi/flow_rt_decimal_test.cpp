// flow_rt decimals (flow_rt_decimal.h), function by function: parsing and
// formatting as written, the limits of 34 digits and of the exponent, ties,
// zeros of both signs, errors, comparison and hashing, conversions.
// decimal_differential.py checks the same functions against Python on
// generated cases; these pin the cases a reader should see.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "rt_abi/arena.h"
#include "rt_abi/flow_rt_decimal.h"

namespace {

static_assert(sizeof(FlowDecimal) == 16);
static_assert(std::is_trivially_copyable_v<FlowDecimal>);

int32_t parse_status(const std::string& text) {
  FlowDecimal x{};
  return flow_rt_decimal_parse(text.data(), text.size(), &x);
}

FlowDecimal dec(const std::string& text) {
  FlowDecimal x{};
  INFO(text);
  REQUIRE(flow_rt_decimal_parse(text.data(), text.size(), &x) == FLOW_DECIMAL_PARSE_OK);
  return x;
}

std::string str(const FlowDecimal& x) {
  char buffer[FLOW_DECIMAL_TEXT_CAPACITY];
  uint32_t n = flow_rt_decimal_format(&x, buffer);
  REQUIRE(n < FLOW_DECIMAL_TEXT_CAPACITY);
  REQUIRE(std::strlen(buffer) == n);
  return std::string(buffer, n);
}

// Parse and print again.
std::string reprint(const std::string& text) {
  return str(dec(text));
}

using Binary = int32_t (*)(const FlowDecimal*, const FlowDecimal*, FlowDecimal*);

// The text of `a op b`, or "error N".
std::string apply(Binary op, const std::string& a, const std::string& b) {
  FlowDecimal x = dec(a), y = dec(b), r{};
  int32_t status = op(&x, &y, &r);
  return status == FLOW_RT_OK ? str(r) : "error " + std::to_string(status);
}

std::string add(const std::string& a, const std::string& b) {
  return apply(flow_rt_decimal_add, a, b);
}
std::string sub(const std::string& a, const std::string& b) {
  return apply(flow_rt_decimal_sub, a, b);
}
std::string mul(const std::string& a, const std::string& b) {
  return apply(flow_rt_decimal_mul, a, b);
}
std::string div(const std::string& a, const std::string& b) {
  return apply(flow_rt_decimal_div, a, b);
}
std::string rem(const std::string& a, const std::string& b) {
  return apply(flow_rt_decimal_rem, a, b);
}

std::string round_to(const std::string& a, int64_t places) {
  FlowDecimal x = dec(a), r{};
  int32_t status = flow_rt_decimal_round(&x, places, &r);
  return status == FLOW_RT_OK ? str(r) : "error " + std::to_string(status);
}

std::string neg(const std::string& a) {
  FlowDecimal x = dec(a), r{};
  flow_rt_decimal_neg(&x, &r);
  return str(r);
}

std::string abs_of(const std::string& a) {
  FlowDecimal x = dec(a), r{};
  flow_rt_decimal_abs(&x, &r);
  return str(r);
}

int compare(const std::string& a, const std::string& b) {
  FlowDecimal x = dec(a), y = dec(b);
  return flow_rt_decimal_compare(&x, &y);
}

uint64_t hash(const std::string& a) {
  FlowDecimal x = dec(a);
  return flow_rt_decimal_hash(&x);
}

const std::string kOverflow = "error " + std::to_string(FLOW_RT_OVERFLOW);
const std::string kDivZero = "error " + std::to_string(FLOW_RT_DIVISION_BY_ZERO);
const std::string kInvalid = "error " + std::to_string(FLOW_RT_INVALID_NUMBER);
const std::string k34 = "1234567890123456789012345678901234";
const std::string kMaxValue = "9.999999999999999999999999999999999E+6144";

}  // namespace

TEST_CASE("decimal: parse keeps the text's exponent and prints as Python's str()", "[decimal]") {
  CHECK(reprint("12.50") == "12.50");
  CHECK(reprint("12.5") == "12.5");
  CHECK(reprint("100") == "100");
  CHECK(reprint("0") == "0");
  CHECK(reprint("-0") == "-0");
  CHECK(reprint("-0.00") == "-0.00");
  CHECK(reprint("0.000001") == "0.000001");
  CHECK(reprint("0.0000001") == "1E-7");
  CHECK(reprint("0.00000012") == "1.2E-7");
  CHECK(reprint("1E+3") == "1E+3");
  CHECK(reprint("1e3") == "1E+3");
  CHECK(reprint("1000E-3") == "1.000");
  CHECK(reprint("12.5E+1") == "125");
  CHECK(reprint("12.5E+2") == "1.25E+3");
  CHECK(reprint("1.5e-7") == "1.5E-7");
  CHECK(reprint("-0.5") == "-0.5");
  CHECK(reprint("+5") == "5");
  CHECK(reprint(".5") == "0.5");
  CHECK(reprint("5.") == "5");
  CHECK(reprint("007.50") == "7.50");
  CHECK(reprint("0E+2") == "0E+2");
  CHECK(reprint("0.00E-3") == "0.00000");
  CHECK(reprint("0.00E-5") == "0E-7");
  CHECK(reprint("1E0") == "1");
  CHECK(reprint("1E-0000000000000000000000000000002") == "0.01");
}

TEST_CASE("decimal: parse rejects what is not a finite number", "[decimal]") {
  for (const char* bad : {"",     "-",     "+",   ".",     "-.",    "e5",  "1e",     "1e+",   "1E-",      ".e1",
                          "1..2", "1.2.3", "--1", "+-1",   "1e+-5", "NaN", "nan",    "sNaN",  "Infinity", "inf",
                          "-Inf", " 1",    "1 ",  "1_000", "0x10",  "1,5", "12.50d", "1e5.0", "\xd9\xa1"}) {
    INFO(bad);
    CHECK(parse_status(bad) == FLOW_DECIMAL_PARSE_SYNTAX);
  }
  // Exactly `size` bytes are read: the NUL and what follows are not part of it.
  FlowDecimal x{};
  CHECK(flow_rt_decimal_parse("12\0"
                              "3",
                              4, &x) == FLOW_DECIMAL_PARSE_SYNTAX);
  CHECK(flow_rt_decimal_parse("123", 2, &x) == FLOW_DECIMAL_PARSE_OK);
  CHECK(str(x) == "12");
}

TEST_CASE("decimal: 34 significant digits parse, 35 do not", "[decimal]") {
  CHECK(reprint(k34) == k34);
  CHECK(reprint("-" + k34 + "E-40") == "-1.234567890123456789012345678901234E-7");
  CHECK(reprint("0.000" + k34) == "0.000" + k34);
  CHECK(reprint("0000000" + k34) == k34);  // leading zeros are not significant
  CHECK(reprint("1.000000000000000000000000000000000") == "1.000000000000000000000000000000000");
  CHECK(parse_status(k34 + "5") == FLOW_DECIMAL_PARSE_TOO_MANY_DIGITS);
  // Trailing zeros are significant: dropping them would change the exponent.
  CHECK(parse_status(k34 + "0") == FLOW_DECIMAL_PARSE_TOO_MANY_DIGITS);
  CHECK(parse_status("1.0000000000000000000000000000000000") == FLOW_DECIMAL_PARSE_TOO_MANY_DIGITS);
  CHECK(parse_status("0.10000000000000000000000000000000000E+5") == FLOW_DECIMAL_PARSE_TOO_MANY_DIGITS);
  CHECK(std::string(flow_rt_decimal_parse_message(FLOW_DECIMAL_PARSE_TOO_MANY_DIGITS)) ==
        "more than 34 significant digits");
}

TEST_CASE("decimal: the exponent range of decimal128", "[decimal]") {
  CHECK(reprint(kMaxValue) == kMaxValue);
  // Exponents above 6111 are lowered by padding the coefficient (clamp=1).
  CHECK(reprint("1E+6144") == "1.000000000000000000000000000000000E+6144");
  CHECK(reprint("1E+6111") == "1E+6111");
  CHECK(reprint("12E+6120") == "1.2000000000E+6121");
  CHECK(parse_status("1E+6145") == FLOW_DECIMAL_PARSE_OUT_OF_RANGE);
  CHECK(parse_status("10E+6144") == FLOW_DECIMAL_PARSE_OUT_OF_RANGE);
  CHECK(parse_status("1E+99999999999999999999999999") == FLOW_DECIMAL_PARSE_OUT_OF_RANGE);
  // Subnormals down to 1E-6176 are exact.
  CHECK(reprint("1E-6176") == "1E-6176");
  CHECK(reprint(k34 + "E-6176") == "1.234567890123456789012345678901234E-6143");
  CHECK(parse_status("1E-6177") == FLOW_DECIMAL_PARSE_OUT_OF_RANGE);
  CHECK(parse_status("1.0E-6176") == FLOW_DECIMAL_PARSE_OUT_OF_RANGE);
  CHECK(parse_status("1E-99999999999999999999999999") == FLOW_DECIMAL_PARSE_OUT_OF_RANGE);
  // A zero is exact at any exponent; it takes the nearest one decimal128 has.
  CHECK(reprint("0E-9999") == "0E-6176");
  CHECK(reprint("-0E+9999") == "-0E+6111");
  CHECK(reprint("0E+99999999999999999999999999") == "0E+6111");
  CHECK(std::string(flow_rt_decimal_parse_message(FLOW_DECIMAL_PARSE_OUT_OF_RANGE)).find("range") != std::string::npos);
}

TEST_CASE("decimal: the longest texts fit the buffer", "[decimal]") {
  for (const std::string& t : std::vector<std::string>{"-0.00000" + k34, "-" + k34 + "E-6176", "-" + k34 + "E+6111",
                                                       "-1E-6176", "-0E-6176", "-" + k34 + "E-38"}) {
    INFO(t);
    std::string s = reprint(t);
    CHECK(s.size() < FLOW_DECIMAL_TEXT_CAPACITY);
    CHECK(reprint(s) == s);
  }
  flow::Arena arena;
  FlowDecimal x = dec("-12.50");
  FlowStr out{};
  REQUIRE(flow_rt_decimal_to_str(arena.get(), &x, &out) == FLOW_RT_OK);
  CHECK(std::string(out.data, out.size) == "-12.50");
}

TEST_CASE("decimal: + - * are exact within 34 digits", "[decimal]") {
  CHECK(add("0.1", "0.2") == "0.3");
  CHECK(add("1.10", "2.205") == "3.305");
  CHECK(sub("12.50", "0.50") == "12.00");
  CHECK(mul("12.50", "3") == "37.50");
  CHECK(mul("1.5", "2.50") == "3.750");
  CHECK(add("1E+3", "1") == "1001");
  CHECK(add(k34, "0") == k34);
  CHECK(mul("99999999999999999", "99999999999999999") == "9999999999999999800000000000000001");
  // Beyond 34 digits the result rounds half-even, as Python's context does.
  CHECK(mul("99999999999999999", "999999999999999999") == "9.999999999999999890000000000000000E+34");
  CHECK(add(k34, "0.1") == k34);
}

TEST_CASE("decimal: ties round half-even", "[decimal]") {
  // add: the exact sum needs a 35th digit, which is a 5.
  CHECK(add("1000000000000000000000000000000000", "0.5") == "1000000000000000000000000000000000");
  CHECK(add("1000000000000000000000000000000001", "0.5") == "1000000000000000000000000000000002");
  CHECK(add("-1000000000000000000000000000000001", "-0.5") == "-1000000000000000000000000000000002");
  // div: an odd 34-digit number halved.
  CHECK(div("2000000000000000000000000000000001", "2") == "1000000000000000000000000000000000");
  CHECK(div("2000000000000000000000000000000003", "2") == "1000000000000000000000000000000002");
  // mul: the 35th digit is a 5.
  CHECK(mul("2000000000000000000000000000000001", "5") == "1.000000000000000000000000000000000E+34");
  CHECK(mul("2000000000000000000000000000000003", "5") == "1.000000000000000000000000000000002E+34");
  CHECK(div("1", "3") == "0.3333333333333333333333333333333333");
  CHECK(div("2", "3") == "0.6666666666666666666666666666666667");
  CHECK(div("-2", "3") == "-0.6666666666666666666666666666666667");
}

TEST_CASE("decimal: division keeps the ideal exponent when exact", "[decimal]") {
  CHECK(div("1", "4") == "0.25");
  CHECK(div("12.50", "2") == "6.25");
  CHECK(div("12.00", "2") == "6.00");
  CHECK(div("100", "10") == "10");
  CHECK(div("1E+3", "1") == "1E+3");
  CHECK(div("0", "5") == "0");
  CHECK(div("0.00", "5") == "0.00");
}

TEST_CASE("decimal: zeros and their signs follow Python", "[decimal]") {
  CHECK(add("-0", "0") == "0");
  CHECK(add("-0", "-0") == "-0");
  CHECK(add("1", "-1") == "0");
  CHECK(sub("0", "0") == "0");
  CHECK(sub("-0", "0") == "-0");
  CHECK(sub("1.50", "1.5") == "0.00");
  CHECK(mul("-1", "0") == "-0");
  CHECK(mul("0", "-1") == "-0");
  CHECK(mul("-0.00", "5") == "-0.00");
  CHECK(mul("-0", "-5") == "0");
  CHECK(div("0", "-5") == "-0");
  CHECK(neg("0") == "0");
  CHECK(neg("-0") == "0");
  CHECK(neg("0.00") == "0.00");
  CHECK(neg("1.50") == "-1.50");
  CHECK(neg("-1.50") == "1.50");
  CHECK(abs_of("-0") == "0");
  CHECK(abs_of("-12.50") == "12.50");
  CHECK(abs_of("3") == "3");
  CHECK(round_to("-0.4", 0) == "-0");
  CHECK(round_to("-0.004", 2) == "-0.00");
}

TEST_CASE("decimal: overflow, division by zero and underflow", "[decimal]") {
  CHECK(mul("1E+6144", "10") == kOverflow);
  CHECK(add(kMaxValue, kMaxValue) == kOverflow);
  CHECK(sub("-" + kMaxValue, kMaxValue) == kOverflow);
  CHECK(div(kMaxValue, "0.1") == kOverflow);
  // Rounding up past the largest value overflows too.
  CHECK(add(kMaxValue, "5E+6110") == kOverflow);
  CHECK(add(kMaxValue, "4E+6110") == kMaxValue);
  CHECK(mul("1E+6144", "1") == "1.000000000000000000000000000000000E+6144");
  CHECK(div("1", "0") == kDivZero);
  CHECK(div("-1", "-0") == kDivZero);
  CHECK(div("0", "0") == kDivZero);
  CHECK(div("0.00", "0E+5") == kDivZero);
  // Below 1E-6176 results round to subnormals or zero: not an error.
  CHECK(div("1E-6176", "2") == "0E-6176");
  CHECK(div("3E-6176", "2") == "2E-6176");
  CHECK(mul("1E-5000", "-1E-5000") == "-0E-6176");
  CHECK(div("1E-6143", "10") == "1E-6144");
}

TEST_CASE("decimal: round(x, n) quantizes half-even", "[decimal]") {
  CHECK(round_to("0.5", 0) == "0");
  CHECK(round_to("1.5", 0) == "2");
  CHECK(round_to("2.5", 0) == "2");
  CHECK(round_to("-2.5", 0) == "-2");
  CHECK(round_to("3.5", 0) == "4");
  CHECK(round_to("2.51", 0) == "3");
  CHECK(round_to("0.125", 2) == "0.12");
  CHECK(round_to("0.135", 2) == "0.14");
  CHECK(round_to("12.345", 1) == "12.3");
  CHECK(round_to("1", 2) == "1.00");
  CHECK(round_to("12.50", 1) == "12.5");
  CHECK(round_to("1234.5", -2) == "1.2E+3");
  CHECK(round_to("1250", -2) == "1.2E+3");
  CHECK(round_to("1350", -2) == "1.4E+3");
  CHECK(round_to("49", -2) == "0E+2");
  CHECK(round_to("0", 34) == "0E-34");
  // The result must fit in 34 digits.
  CHECK(round_to(k34, 0) == k34);
  CHECK(round_to(k34, 1) == kInvalid);
  CHECK(round_to("999999999999999999999999999999999.5", 0) == "1000000000000000000000000000000000");
  CHECK(round_to("1", 33) == "1.000000000000000000000000000000000");
  CHECK(round_to("1", 34) == kInvalid);
  // Places outside the exponents decimal128 encodes.
  CHECK(round_to("0", -6111) == "0E+6111");
  CHECK(round_to("1", -6112) == kInvalid);
  CHECK(round_to("1E-6176", 6176) == "1E-6176");
  CHECK(round_to("1", 6177) == kInvalid);
  CHECK(round_to("1", std::numeric_limits<int64_t>::min()) == kInvalid);
  CHECK(round_to("1", std::numeric_limits<int64_t>::max()) == kInvalid);
}

TEST_CASE("decimal: comparison by value, total", "[decimal]") {
  CHECK(compare("1.0", "1.00") == 0);
  CHECK(compare("-0", "0") == 0);
  CHECK(compare("0E+5", "-0E-5") == 0);
  CHECK(compare("1", "1.000000000000000000000000000000001") == -1);
  CHECK(compare("-1", "0") == -1);
  CHECK(compare("-1", "-2") == 1);
  CHECK(compare("1E+6144", "9E+6143") == 1);
  CHECK(compare("1E-6176", "0") == 1);
  CHECK(compare("-1E-6176", "-0") == -1);
  FlowDecimal a = dec("1.0"), b = dec("1.00"), c = dec("1.01");
  CHECK(flow_rt_decimal_eq(&a, &b) == 1);
  CHECK(flow_rt_decimal_eq(&a, &c) == 0);
}

TEST_CASE("decimal: min and max return the first operand on ties", "[decimal]") {
  using Pick = void (*)(const FlowDecimal*, const FlowDecimal*, FlowDecimal*);
  auto pick = [](Pick f, const std::string& x, const std::string& y) {
    FlowDecimal a = dec(x), b = dec(y), r{};
    f(&a, &b, &r);
    return str(r);
  };
  auto min_of = [&](const std::string& x, const std::string& y) { return pick(flow_rt_decimal_min, x, y); };
  auto max_of = [&](const std::string& x, const std::string& y) { return pick(flow_rt_decimal_max, x, y); };
  CHECK(min_of("1.0", "1.00") == "1.0");
  CHECK(min_of("1.00", "1.0") == "1.00");
  CHECK(max_of("-0", "0") == "-0");
  CHECK(min_of("2", "-3.5") == "-3.5");
  CHECK(max_of("2", "-3.5") == "2");
}

TEST_CASE("decimal: equal values hash alike", "[decimal]") {
  CHECK(hash("1") == hash("1.0"));
  CHECK(hash("1") == hash("1.000000000000000000000000000000000"));
  CHECK(hash("12.50") == hash("12.5"));
  CHECK(hash("1E+3") == hash("1000"));
  CHECK(hash("1E+6144") == hash("1.0E+6144"));
  CHECK(hash("0") == hash("-0"));
  CHECK(hash("0") == hash("0E-6176"));
  CHECK(hash("0") == hash("0E+6111"));
  CHECK(hash("1") != hash("-1"));
  CHECK(hash("1") != hash("10"));
  CHECK(hash("1") != hash("0.1"));
  CHECK(hash("0") != hash("1"));
}

TEST_CASE("decimal: int conversions", "[decimal]") {
  auto from_int = [](int64_t v) {
    FlowDecimal x{};
    flow_rt_decimal_from_int(v, &x);
    return str(x);
  };
  CHECK(from_int(0) == "0");
  CHECK(from_int(-7) == "-7");
  CHECK(from_int(std::numeric_limits<int64_t>::max()) == "9223372036854775807");
  CHECK(from_int(std::numeric_limits<int64_t>::min()) == "-9223372036854775808");

  auto to_int = [](const std::string& t) {
    FlowDecimal x = dec(t);
    int64_t v = 42;
    int32_t status = flow_rt_decimal_to_int(&x, &v);
    return status == FLOW_RT_OK ? std::to_string(v) : "error " + std::to_string(status);
  };
  CHECK(to_int("12.00") == "12");
  CHECK(to_int("1E+3") == "1000");
  CHECK(to_int("-0") == "0");
  CHECK(to_int("-9223372036854775808") == "-9223372036854775808");
  CHECK(to_int("9223372036854775807.000") == "9223372036854775807");
  CHECK(to_int("12.5") == kInvalid);
  CHECK(to_int("0.001") == kInvalid);
  CHECK(to_int("9223372036854775808") == kInvalid);
  CHECK(to_int("-9223372036854775809") == kInvalid);
  CHECK(to_int("1E+6144") == kInvalid);
}

TEST_CASE("decimal: % takes the dividend's sign and the smaller exponent", "[decimal]") {
  CHECK(rem("7", "3") == "1");
  CHECK(rem("-7", "3") == "-1");
  CHECK(rem("7", "-3") == "1");
  CHECK(rem("-7", "-3") == "-1");
  CHECK(rem("7.5", "2") == "1.5");
  CHECK(rem("1.5", "10.00") == "1.50");
  CHECK(rem("12.50", "0.1") == "0.00");
  CHECK(rem("-6", "3") == "-0");
  CHECK(rem("0.00", "-3") == "0.00");
  CHECK(rem("10", "0.3") == "0.1");
  CHECK(rem("1E-10", "3") == "1E-10");
  CHECK(rem("9999999999999999999999999999999999", "1") == "0");
  // Python's DivisionImpossible: the integer quotient needs 35 digits.
  CHECK(rem("1E+33", "0.1") == kInvalid);
  CHECK(rem("1E+6144", "7") == kInvalid);
  CHECK(rem("5", "0") == kDivZero);
  CHECK(rem("0", "0.00") == kDivZero);
}

TEST_CASE("decimal: floor and ceil to int", "[decimal]") {
  auto to = [](bool floor, const std::string& t) {
    FlowDecimal x = dec(t);
    int64_t v = 42;
    int32_t status = floor ? flow_rt_decimal_floor(&x, &v) : flow_rt_decimal_ceil(&x, &v);
    return status == FLOW_RT_OK ? std::to_string(v) : "error " + std::to_string(status);
  };
  CHECK(to(true, "2.5") == "2");
  CHECK(to(false, "2.5") == "3");
  CHECK(to(true, "-2.5") == "-3");
  CHECK(to(false, "-2.5") == "-2");
  CHECK(to(true, "-0.001") == "-1");
  CHECK(to(false, "0.001") == "1");
  CHECK(to(true, "12.00") == "12");
  CHECK(to(false, "-0") == "0");
  CHECK(to(true, "1E+3") == "1000");
  CHECK(to(true, "9223372036854775807.9") == "9223372036854775807");
  CHECK(to(false, "9223372036854775807.1") == kInvalid);
  CHECK(to(true, "-9223372036854775808.5") == kInvalid);
  CHECK(to(false, "-9223372036854775808.5") == "-9223372036854775808");
  CHECK(to(true, "1E+6144") == kInvalid);
}

TEST_CASE("decimal: float conversions", "[decimal]") {
  auto from_float = [](double v) {
    FlowDecimal x{};
    int32_t status = flow_rt_decimal_from_float(v, &x);
    return status == FLOW_RT_OK ? str(x) : "error " + std::to_string(status);
  };
  CHECK(from_float(0.1) == "0.1");
  CHECK(from_float(0.1 + 0.2) == "0.30000000000000004");
  CHECK(from_float(2.5) == "2.5");
  CHECK(from_float(100.0) == "100");
  CHECK(from_float(0.0) == "0");
  CHECK(from_float(-0.0) == "-0");
  CHECK(from_float(1e22) == "10000000000000000000000");
  CHECK(from_float(1e300) == "1E+300");
  CHECK(from_float(1.5e-7) == "1.5E-7");
  CHECK(from_float(5e-324) == "5E-324");
  CHECK(from_float(std::numeric_limits<double>::max()) == "1.7976931348623157E+308");
  CHECK(from_float(std::nan("")) == kInvalid);
  CHECK(from_float(std::numeric_limits<double>::infinity()) == kInvalid);
  CHECK(from_float(-std::numeric_limits<double>::infinity()) == kInvalid);
  // decimal(0.1) == 0.1d
  FlowDecimal a{}, b = dec("0.1");
  REQUIRE(flow_rt_decimal_from_float(0.1, &a) == FLOW_RT_OK);
  CHECK(flow_rt_decimal_eq(&a, &b) == 1);

  auto to_float = [](const std::string& t) {
    FlowDecimal x = dec(t);
    return flow_rt_decimal_to_float(&x);
  };
  CHECK(to_float("0.1") == 0.1);
  CHECK(to_float("12.50") == 12.5);
  CHECK(to_float("0.30000000000000004") == 0.1 + 0.2);
  CHECK(to_float("1E+400") == std::numeric_limits<double>::infinity());
  CHECK(to_float("-1E+400") == -std::numeric_limits<double>::infinity());
  CHECK(to_float("1E-400") == 0.0);
  CHECK(std::signbit(to_float("-1E-400")));
  CHECK(std::signbit(to_float("-0")));
  // Halfway between two doubles: ties to even (2^53 + 1 lies between 2^53 and 2^53 + 2).
  CHECK(to_float("9007199254740993") == 9007199254740992.0);
}

TEST_CASE("decimal: an output may alias an operand", "[decimal]") {
  FlowDecimal a = dec("1.5"), b = dec("2.25");
  REQUIRE(flow_rt_decimal_add(&a, &b, &a) == FLOW_RT_OK);
  CHECK(str(a) == "3.75");
  REQUIRE(flow_rt_decimal_mul(&a, &a, &a) == FLOW_RT_OK);
  CHECK(str(a) == "14.0625");
  flow_rt_decimal_neg(&a, &a);
  CHECK(str(a) == "-14.0625");
  flow_rt_decimal_max(&a, &b, &b);
  CHECK(str(b) == "2.25");
  REQUIRE(flow_rt_decimal_round(&a, 1, &a) == FLOW_RT_OK);
  CHECK(str(a) == "-14.1");
}

TEST_CASE("decimal: no shared state between threads", "[decimal]") {
  // Each thread divides and rounds with its own operands; the library keeps
  // no rounding mode or flags of its own, so every result is the same as on
  // one thread. Overflow and division by zero are mixed in to raise flags.
  // (Catch2 assertions are not thread-safe: the threads only record.)
  auto work = [](std::vector<std::string>* out) {
    FlowDecimal one{}, zero{}, big{};
    flow_rt_decimal_from_int(1, &one);
    flow_rt_decimal_from_int(0, &zero);
    flow_rt_decimal_parse("1E+6144", 7, &big);
    for (int i = 1; i <= 2000; ++i) {
      FlowDecimal d{}, q{}, r{};
      flow_rt_decimal_from_int(i * 7, &d);
      int32_t s1 = flow_rt_decimal_div(&one, &d, &q);
      int32_t s2 = flow_rt_decimal_round(&q, 6, &r);
      char text[FLOW_DECIMAL_TEXT_CAPACITY];
      flow_rt_decimal_format(&r, text);
      int32_t s3 = flow_rt_decimal_div(&one, &zero, &q);
      int32_t s4 = flow_rt_decimal_mul(&big, &d, &q);
      out->push_back(std::string(text) + " " + std::to_string(s1) + std::to_string(s2) + std::to_string(s3) +
                     std::to_string(s4));
    }
  };
  std::vector<std::string> expected;
  work(&expected);
  CHECK(expected[0] == "0.142857 0010");  // 7E+6144 fits
  CHECK(expected[1] == "0.071429 0012");  // 1.4E+6145 overflows
  std::vector<std::vector<std::string>> results(4);
  std::vector<std::thread> threads;
  for (auto& r : results) threads.emplace_back(work, &r);
  for (auto& t : threads) t.join();
  for (const auto& r : results) CHECK(r == expected);
}
