// The interpreter, one built-in function at a time (language.md §6),
// including every error case.
#include <catch2/catch.hpp>

#include <cmath>

#include "eval_fixture.h"

using namespace flow;
using namespace flow::testing;
using eval::EvalErrorKind;

TEST_CASE("len counts code points and list elements") {
  CHECK(value_of("len(e.s)", "int") == I(5));
  CHECK(value_of("len(e.t)", "int") == I(0));
  CHECK(value_of("len(\"h\\u{e9}llo \\u{20ac}\")", "int") == I(7));
  CHECK(value_of("len(e.li)", "int") == I(3));
  CHECK(value_of("len([])", "int") == I(0));
  CHECK(value_of("len(e.loi)", "int") == I(2));
}

TEST_CASE("lower and upper") {
  CHECK(value_of("upper(e.s)", "string") == S("HELLO"));
  CHECK(value_of("lower(\"MiXeD 1\")", "string") == S("mixed 1"));
  CHECK(value_of("upper(\"stra\\u{df}e\")", "string") == S("STRASSE"));
  CHECK(value_of("lower(\"\\u{c9}T\\u{c9}\")", "string") == S("\xC3\xA9t\xC3\xA9"));
  CHECK(value_of("upper(e.t)", "string") == S(""));
}

TEST_CASE("starts_with, ends_with, contains on strings") {
  CHECK(value_of("starts_with(e.s, \"he\")", "bool") == B(true));
  CHECK(value_of("starts_with(e.s, \"lo\")", "bool") == B(false));
  CHECK(value_of("starts_with(e.s, \"\")", "bool") == B(true));
  CHECK(value_of("ends_with(e.s, \"lo\")", "bool") == B(true));
  CHECK(value_of("ends_with(e.t, \"x\")", "bool") == B(false));
  CHECK(value_of("contains(e.s, \"ell\")", "bool") == B(true));
  CHECK(value_of("contains(e.s, \"L\")", "bool") == B(false));
}

TEST_CASE("contains on lists") {
  CHECK(value_of("contains(e.li, 3)", "bool") == B(true));
  CHECK(value_of("contains(e.li, 4)", "bool") == B(false));
  CHECK(value_of("contains(e.li, 3.0)", "bool") == B(true));
  CHECK(value_of("contains(e.lf, 1.5)", "bool") == B(true));
  CHECK(value_of("contains(e.ls, \"b\")", "bool") == B(true));
  CHECK(value_of("contains(e.loi, none)", "bool") == B(true));
}

TEST_CASE("matches searches with RE2") {
  CHECK(value_of("matches(e.s, \"l+\")", "bool") == B(true));  // unanchored
  CHECK(value_of("matches(e.s, \"^l+\")", "bool") == B(false));
  CHECK(value_of("matches(e.s, \"^h.*o$\")", "bool") == B(true));
  CHECK(value_of("matches(\"NL-1234\", \"^[A-Z]{2}-\\\\d{4}$\")", "bool") == B(true));
  CHECK(value_of("matches(\"caf\\u{e9}\", \"^caf.$\")", "bool") == B(true));  // . is one code point
  CHECK(value_of("matches(e.s, \"l+\") and not matches(e.t, \"l+\")", "bool") == B(true));
}

TEST_CASE("abs") {
  CHECK(value_of("abs(-e.i)", "int") == I(7));
  CHECK(value_of("abs(e.i)", "int") == I(7));
  CHECK(value_of("abs(-e.f)", "float") == F(2.5));
  CHECK(value_of("abs(-e.d)", "duration") == D(90'000'000));
  CHECK(error_of("abs(-9223372036854775807 - 1)", "int") == EvalErrorKind::Overflow);
}

TEST_CASE("min and max") {
  CHECK(value_of("min(e.i, e.j)", "int") == I(2));
  CHECK(value_of("max(e.i, e.j)", "int") == I(7));
  CHECK(value_of("min(e.i, e.f)", "float") == F(2.5));
  CHECK(value_of("max(e.j, e.f)", "float") == F(2.5));
  CHECK(value_of("max(e.i, e.f)", "float") == F(7.0));
  CHECK(value_of("min(e.s, \"abc\")", "string") == S("abc"));
  CHECK(value_of("max(e.s, \"abc\")", "string") == S("hello"));
  CHECK(value_of("min(e.ts, @2000-01-01T00:00:00Z)", "timestamp") == Ts("2000-01-01T00:00:00Z"));
  CHECK(value_of("max(e.d, 2m)", "duration") == D(120'000'000));
  CHECK(std::isnan(value_of("min(1e308 * 10.0 - 1e308 * 10.0, 1.0)", "float").as_float()));
}

TEST_CASE("round, floor and ceil") {
  CHECK(value_of("round(e.f)", "int") == I(3));  // half away from zero
  CHECK(value_of("round(-e.f)", "int") == I(-3));
  CHECK(value_of("round(2.4)", "int") == I(2));
  CHECK(value_of("floor(e.f)", "int") == I(2));
  CHECK(value_of("floor(-e.f)", "int") == I(-3));
  CHECK(value_of("ceil(e.f)", "int") == I(3));
  CHECK(value_of("ceil(-e.f)", "int") == I(-2));
  CHECK(value_of("round(e.i)", "int") == I(7));  // ints are already whole
  CHECK(value_of("floor(e.i / 2)", "int") == I(3));
}

TEST_CASE("round, floor and ceil of NaN, infinity or huge values are errors") {
  CHECK(error_of("round(1e308 * 10.0 - 1e308 * 10.0)", "int") == EvalErrorKind::InvalidNumber);
  CHECK(error_of("floor(1e308 * 10.0)", "int") == EvalErrorKind::InvalidNumber);
  CHECK(error_of("ceil(-1e308 * 10.0)", "int") == EvalErrorKind::InvalidNumber);
  CHECK(error_of("round(1e19)", "int") == EvalErrorKind::InvalidNumber);
  CHECK(error_of("floor(-1e19)", "int") == EvalErrorKind::InvalidNumber);
}

TEST_CASE("is_some") {
  CHECK(value_of("is_some(e.oi)", "bool") == B(false));
  CHECK(value_of("is_some(e.os)", "bool") == B(true));
  CHECK(value_of("is_some(e.oi) and e.oi == 3", "bool", [](auto& b) { b.set_int(b.field("oi"), 3); }) == B(true));
}

TEST_CASE("hour, weekday and date are UTC") {
  CHECK(value_of("hour(e.ts)", "int") == I(12));
  CHECK(value_of("weekday(e.ts)", "int") == I(6));  // 2026-01-31 is a Saturday
  CHECK(value_of("weekday(@2026-02-02T00:00:00Z)", "int") == I(1));
  CHECK(value_of("date(e.ts)", "timestamp") == Ts("2026-01-31T00:00:00Z"));
  CHECK(value_of("hour(@1969-12-31T22:15:00Z)", "int") == I(22));
  CHECK(value_of("date(@1969-12-31T22:15:00Z)", "timestamp") == Ts("1969-12-31T00:00:00Z"));
}

TEST_CASE("now() is the dispatch time from the context") {
  int64_t now = Ts("2026-03-01T08:00:00Z").as_int();
  CHECK(value_of("now()", "timestamp", {}, now) == Ts("2026-03-01T08:00:00Z"));
  CHECK(value_of("now() - e.ts > 1d", "bool", {}, now) == B(true));
  CHECK(value_of("hour(now())", "int", {}, now) == I(8));
}
