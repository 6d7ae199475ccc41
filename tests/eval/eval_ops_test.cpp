// The interpreter, one operator at a time (language.md §6), including every
// evaluation error: each case compiles `decision D(e: E) -> T { else => expr }`
// over the test event of eval_fixture.h and evaluates it.
#include <catch2/catch.hpp>

#include <cmath>

#include "eval_fixture.h"

using namespace flow;
using namespace flow::testing;
using eval::EvalErrorKind;

namespace {
const char* kMin = "(-9223372036854775807 - 1)";
}

TEST_CASE("int arithmetic") {
  CHECK(value_of("e.i + e.j", "int") == I(9));
  CHECK(value_of("e.i - e.j", "int") == I(5));
  CHECK(value_of("e.i * e.j", "int") == I(14));
  CHECK(value_of("e.i / e.j", "int") == I(3));
  CHECK(value_of("e.i % e.j", "int") == I(1));
  CHECK(value_of("-e.i / e.j", "int") == I(-3));  // truncates toward zero
  CHECK(value_of("-e.i % e.j", "int") == I(-1));  // sign of the dividend
  CHECK(value_of("e.i % -e.j", "int") == I(1));
  CHECK(value_of("-e.i", "int") == I(-7));
  CHECK(value_of("1 + 2 * 3 - 8 / 4", "int") == I(5));
  CHECK(value_of(std::string(kMin) + " % -1", "int") == I(0));
  CHECK(value_of("9223372036854775807 - 1 + 1", "int") == I(INT64_MAX));
}

TEST_CASE("int arithmetic errors") {
  CHECK(error_of("9223372036854775807 + 1", "int") == EvalErrorKind::Overflow);
  CHECK(error_of(std::string(kMin) + " - 1", "int") == EvalErrorKind::Overflow);
  CHECK(error_of("4611686018427387904 * 2", "int") == EvalErrorKind::Overflow);
  CHECK(error_of(std::string(kMin) + " / -1", "int") == EvalErrorKind::Overflow);
  CHECK(error_of("-" + std::string(kMin), "int") == EvalErrorKind::Overflow);
  CHECK(error_of("e.i / 0", "int") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("e.i % (e.j - 2)", "int") == EvalErrorKind::DivisionByZero);
}

TEST_CASE("an evaluation error names the operation and the source range") {
  auto c = compile_expr("e.i + e.i / (e.j - 2)", "int");
  auto r = c->run(c->rule("D"), test_event(*c));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == EvalErrorKind::DivisionByZero);
  CHECK(r.error().message == "division by zero in 'idiv'");
  CHECK(r.error().function == "decision t.D[E]");
  REQUIRE(r.error().range.valid());
  std::string text(
      r.error().range.file->text().substr(r.error().range.begin, r.error().range.end - r.error().range.begin));
  CHECK(text == "e.i / (e.j - 2)");
}

TEST_CASE("float arithmetic and int promotion") {
  CHECK(value_of("e.f + e.g", "float") == F(3.0));
  CHECK(value_of("e.f - e.g", "float") == F(2.0));
  CHECK(value_of("e.f * e.g", "float") == F(1.25));
  CHECK(value_of("e.f / e.g", "float") == F(5.0));
  CHECK(value_of("e.f % 1.0", "float") == F(0.5));
  CHECK(value_of("-e.f", "float") == F(-2.5));
  CHECK(value_of("e.i + e.f", "float") == F(9.5));
  CHECK(value_of("e.f * e.j", "float") == F(5.0));
  CHECK(value_of("e.i / 2.0", "float") == F(3.5));
  CHECK(value_of("1e308 * 10.0", "float") == F(INFINITY));  // IEEE overflow is not an error
  eval::Value nan = value_of("1e308 * 10.0 - 1e308 * 10.0", "float");
  CHECK(std::isnan(nan.as_float()));
}

TEST_CASE("float division by zero is an evaluation error") {
  CHECK(error_of("e.f / 0.0", "float") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("e.f / -0.0", "float") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("e.f / 0", "float") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("e.i / 0.0", "float") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("e.f % 0.0", "float") == EvalErrorKind::DivisionByZero);
}

TEST_CASE("string concatenation") {
  CHECK(value_of("e.s + \", \" + \"w\\u{f6}rld\"", "string") == S("hello, w\xC3\xB6rld"));
  CHECK(value_of("e.t + e.t", "string") == S(""));
}

TEST_CASE("timestamps and durations") {
  CHECK(value_of("e.ts + e.d", "timestamp") == Ts("2026-01-31T12:36:26Z"));
  CHECK(value_of("e.d + e.ts", "timestamp") == Ts("2026-01-31T12:36:26Z"));
  CHECK(value_of("e.ts - 1d", "timestamp") == Ts("2026-01-30T12:34:56Z"));
  CHECK(value_of("e.ts - @2026-01-31T12:00:00Z", "duration") == D(int64_t{34 * 60 + 56} * 1'000'000));
  CHECK(value_of("e.d + 10s", "duration") == D(100'000'000));
  CHECK(value_of("e.d - 2m", "duration") == D(-30'000'000));
  CHECK(value_of("e.d * 3", "duration") == D(270'000'000));
  CHECK(value_of("2 * e.d", "duration") == D(180'000'000));
  CHECK(value_of("e.d / 4", "duration") == D(22'500'000));
  CHECK(value_of("-e.d", "duration") == D(-90'000'000));
  CHECK(value_of("@1969-12-31T23:59:59Z + 1s", "timestamp") == Ts("1970-01-01T00:00:00Z"));
}

TEST_CASE("timestamp and duration errors") {
  CHECK(error_of("e.d / 0", "duration") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("e.d * 9223372036854775807", "duration") == EvalErrorKind::Overflow);
  CHECK(error_of("e.ts + 106751991d", "timestamp") == EvalErrorKind::Overflow);
  CHECK(error_of("@1970-01-01T00:00:00Z - 106751991d - 106751991d", "timestamp") == EvalErrorKind::Overflow);
  CHECK(error_of("@1970-01-01T00:00:00Z - e.ts - 106751991d - 106751991d", "duration") == EvalErrorKind::Overflow);
}

TEST_CASE("comparisons of ints, floats, strings, timestamps and durations") {
  CHECK(value_of("e.i > e.j", "bool") == B(true));
  CHECK(value_of("e.i < e.j", "bool") == B(false));
  CHECK(value_of("e.i <= 7", "bool") == B(true));
  CHECK(value_of("e.i >= 8", "bool") == B(false));
  CHECK(value_of("e.i == 7", "bool") == B(true));
  CHECK(value_of("e.i != 7", "bool") == B(false));
  CHECK(value_of("e.i > e.f", "bool") == B(true));  // int promoted to float
  CHECK(value_of("e.j == 2.0", "bool") == B(true));
  CHECK(value_of("e.g < 1", "bool") == B(true));
  CHECK(value_of("\"abc\" < \"abd\"", "bool") == B(true));
  CHECK(value_of("\"Z\" < \"a\"", "bool") == B(true));  // bytewise
  CHECK(value_of("\"ab\" < \"abc\"", "bool") == B(true));
  CHECK(value_of("\"\\u{e9}\" > \"z\"", "bool") == B(true));
  CHECK(value_of("e.s == \"hello\"", "bool") == B(true));
  CHECK(value_of("e.s != \"Hello\"", "bool") == B(true));
  CHECK(value_of("e.ts > @2026-01-01T00:00:00Z", "bool") == B(true));
  CHECK(value_of("e.ts <= @2026-01-31T12:34:56Z", "bool") == B(true));
  CHECK(value_of("e.d < 2m", "bool") == B(true));
  CHECK(value_of("e.d >= 90s", "bool") == B(true));
  CHECK(value_of("e.b == true", "bool") == B(true));
  CHECK(value_of("e.b != e.b", "bool") == B(false));
}

TEST_CASE("comparisons with NaN are false except !=") {
  std::string nan = "(1e308 * 10.0 - 1e308 * 10.0)";
  CHECK(value_of(nan + " == " + nan, "bool") == B(false));
  CHECK(value_of(nan + " != " + nan, "bool") == B(true));
  CHECK(value_of(nan + " < 1.0", "bool") == B(false));
  CHECK(value_of(nan + " >= 1.0", "bool") == B(false));
}

TEST_CASE("enums compare by member") {
  CHECK(value_of("e.c == Color.Green", "bool") == B(true));
  CHECK(value_of("e.c != Color.Red", "bool") == B(true));
  CHECK(value_of("e.c", "Color") == eval::Value::enumeration(1));
  CHECK(value_of("Color.Blue", "Color") == eval::Value::enumeration(2));
  CHECK(value_of("e.c in [Color.Red, Color.Green]", "bool") == B(true));
}

TEST_CASE("optionals: == none, ??, and wrapping") {
  CHECK(value_of("e.oi == none", "bool") == B(true));
  CHECK(value_of("e.os == none", "bool") == B(false));
  CHECK(value_of("e.os != none", "bool") == B(true));
  CHECK(value_of("e.os == \"x\"", "bool") == B(true));
  CHECK(value_of("\"y\" == e.os", "bool") == B(false));
  CHECK(value_of("e.oi == e.oi", "bool") == B(true));
  CHECK(value_of("none == none", "bool") == B(true));
  CHECK(value_of("e.oi ?? 5", "int") == I(5));
  CHECK(value_of("e.oi ?? 5", "int", [](auto& b) { b.set_int(b.field("oi"), 3); }) == I(3));
  CHECK(value_of("e.os ?? \"d\"", "string") == S("x"));
  CHECK(value_of("e.of ?? 1", "float") == F(1.0));  // the int default is promoted
  CHECK(value_of("e.oi ?? 1.5", "float") == F(1.5));
  CHECK(value_of("e.oi ?? 1.5", "float", [](auto& b) { b.set_int(b.field("oi"), 2); }) == F(2.0));
  CHECK(value_of("none ?? 4", "int") == I(4));
  CHECK(value_of("e.oi", "int?") == None());
  CHECK(value_of("e.i", "int?") == I(7));
  CHECK(value_of("if e.b then none else e.i", "int?") == None());
  CHECK(value_of("(e.oi ?? 0) + 1", "int") == I(1));
}

TEST_CASE("?? evaluates its default only when needed") {
  CHECK(value_of("e.oi ?? (1 / 0)", "int", [](auto& b) { b.set_int(b.field("oi"), 3); }) == I(3));
  CHECK(error_of("e.oi ?? (1 / 0)", "int") == EvalErrorKind::DivisionByZero);
}

TEST_CASE("and, or, not short-circuit") {
  CHECK(value_of("e.b and e.i > 3", "bool") == B(true));
  CHECK(value_of("e.b and e.i > 9", "bool") == B(false));
  CHECK(value_of("not e.b or e.i > 9", "bool") == B(false));
  CHECK(value_of("not e.b", "bool") == B(false));
  CHECK(value_of("false and 1 / 0 > 0", "bool") == B(false));
  CHECK(value_of("true or 1 / 0 > 0", "bool") == B(true));
  CHECK(error_of("true and 1 / 0 > 0", "bool") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("false or 1 / 0 > 0", "bool") == EvalErrorKind::DivisionByZero);
}

TEST_CASE("if evaluates one branch and promotes") {
  CHECK(value_of("if e.b then 1 else 1 / 0", "int") == I(1));
  CHECK(error_of("if not e.b then 1 else 1 / 0", "int") == EvalErrorKind::DivisionByZero);
  CHECK(value_of("if e.b then 1 else 2.5", "float") == F(1.0));
  CHECK(value_of("if e.i > 100 then \"big\" else if e.i > 5 then \"mid\" else \"small\"", "string") == S("mid"));
  CHECK(error_of("if 1 / 0 > 0 then 1 else 2", "int") == EvalErrorKind::DivisionByZero);
}

TEST_CASE("in and not in") {
  CHECK(value_of("2 in e.li", "bool") == B(true));
  CHECK(value_of("5 in e.li", "bool") == B(false));
  CHECK(value_of("5 not in e.li", "bool") == B(true));
  CHECK(value_of("e.s in [\"hi\", \"hello\"]", "bool") == B(true));
  CHECK(value_of("\"c\" in e.ls", "bool") == B(false));
  CHECK(value_of("2.0 in e.li", "bool") == B(true));  // elements promoted to float
  CHECK(value_of("2.5 in e.li", "bool") == B(false));
  CHECK(value_of("1.5 in e.lf", "bool") == B(true));
  CHECK(value_of("1 in [1.0, 2.0]", "bool") == B(true));  // needle promoted
  CHECK(value_of("none in e.loi", "bool") == B(true));
  CHECK(value_of("1 in e.loi", "bool") == B(true));
  CHECK(value_of("2 in e.loi", "bool") == B(false));
  CHECK(value_of("e.i in []", "bool") == B(false));
  CHECK(value_of("e.i not in []", "bool") == B(true));
  CHECK(error_of("e.i / 0 in []", "bool") == EvalErrorKind::DivisionByZero);
  CHECK(value_of("[1, 2] in [[3], [1, 2]]", "bool") == B(true));
}

TEST_CASE("list equality and literals") {
  CHECK(value_of("e.li == [1, 2, 3]", "bool") == B(true));
  CHECK(value_of("e.li == [1, 2]", "bool") == B(false));
  CHECK(value_of("e.ls != [\"a\", \"b\"]", "bool") == B(false));
  CHECK(value_of("[] == e.li", "bool") == B(false));
  CHECK(value_of("[1, 2.5]", "list<float>") == L({F(1.0), F(2.5)}));
  CHECK(value_of("[]", "list<int>") == L({}));
  CHECK(value_of("[e.i, 8]", "list<int?>") == L({I(7), I(8)}));
  CHECK(value_of("e.li", "list<int?>") == L({I(1), I(2), I(3)}));
  CHECK(value_of("e.loi", "list<int?>") == L({I(1), None()}));
}

TEST_CASE("list indexing") {
  CHECK(value_of("e.li[0]", "int") == I(1));
  CHECK(value_of("e.li[2]", "int") == I(3));
  CHECK(value_of("[\"a\", \"b\"][1]", "string") == S("b"));
  CHECK(value_of("e.loi[1]", "int?") == None());
  CHECK(error_of("e.li[3]", "int") == EvalErrorKind::IndexOutOfRange);
  CHECK(error_of("e.li[-1]", "int") == EvalErrorKind::IndexOutOfRange);
  CHECK(error_of("e.ls[9223372036854775807]", "string") == EvalErrorKind::IndexOutOfRange);
}

TEST_CASE("constants are evaluated where they are used") {
  auto r = eval_expr("e.i + K * 2", "int", {}, 0, "const K = 10\n");
  REQUIRE(r.ok());
  CHECK(r.value() == I(27));
  auto f = eval_expr("e.f > LIMIT", "bool", {}, 0, "const LIMIT: float = 2.0\n");
  REQUIRE(f.ok());
  CHECK(f.value() == B(true));
  // The checker folds what it can (1 / 0 is a compile-time error); string
  // functions it leaves to run time.
  auto bad = eval_expr("e.i + BAD", "int", {}, 0, "const BAD = 1 / (len(\"a\") - 1)\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == EvalErrorKind::DivisionByZero);
  CHECK(bad.error().function == "const t.BAD");
  auto chained = eval_expr("A", "int", {}, 0, "const A = B + 1\nconst B = 41\n");
  REQUIRE(chained.ok());
  CHECK(chained.value() == I(42));
}

