// Decimal expressions (language.md §4.1, docs/evaluation.md "Decimals"):
// literals, arithmetic (`%` included), int widening, comparisons, conversions, round,
// abs/min/max, decimals in lists, constants and optionals, and the errors.
// codegen_tests compiles this file again against the dual fixture, so every
// case also runs on the JIT and must agree with the interpreter bit for bit
// (the exponent included: results are checked as text, 12.50 is not 12.5).
#include <catch2/catch.hpp>
#include <utility>

#include "eval_fixture.h"

using namespace flow;
using namespace flow::testing;
using eval::EvalErrorKind;

namespace {

/// The decimal result of `expr` as Flow literal text ("12.50d").
std::string dec(const std::string& expr, const std::string& extra = "") {
  eval::EvalResult r = eval_expr(expr, "decimal", {}, 0, extra);
  INFO(expr << " failed: " << (r.ok() ? "" : r.error().message));
  REQUIRE(r.ok());
  REQUIRE(r.value().kind() == eval::ValueKind::Decimal);
  return r.value().to_string();
}

}  // namespace

TEST_CASE("decimal arithmetic is exact and keeps the exponent") {
  CHECK(dec("12.50d") == "12.50d");
  CHECK(dec("1.10d + 2.205d") == "3.305d");
  CHECK(dec("0.1d + 0.2d") == "0.3d");
  CHECK(dec("5.00d - 0.25d") == "4.75d");
  CHECK(dec("12.50d * 2") == "25.00d");
  CHECK(dec("1.0d / 3") == "0.3333333333333333333333333333333333d");
  CHECK(dec("-(2.50d)") == "-2.50d");
  CHECK(dec("-(0.0d)") == "0.0d");
}

TEST_CASE("decimal remainder is Python's: the sign of the dividend, the smaller exponent") {
  CHECK(dec("7.5d % 2") == "1.5d");
  CHECK(dec("(-7.5d) % 2") == "-1.5d");
  CHECK(dec("7.5d % -2") == "1.5d");
  CHECK(dec("(-7.5d) % -2") == "-1.5d");
  CHECK(dec("(-6.0d) % 3") == "-0.0d");
  CHECK(dec("1.5d % 10.00d") == "1.50d");
  CHECK(dec("12.345d % 0.01d") == "0.005d");
  CHECK(dec("0.50d % 0.3d") == "0.20d");
  CHECK(dec("e.i % 2.5d") == "2.0d");
  CHECK(dec("1234.5d % 100") == "34.5d");
  CHECK(dec("round(1234.5d, -2) % 7") == "3d");
  CHECK(dec("round(1234.5d, -2) % 0.7d") == "0.2d");
  CHECK(value_of("12.50d % 1 == 0.5d", "bool") == B(true));
}

TEST_CASE("int widens to decimal") {
  CHECK(dec("e.i + 0.5d") == "7.5d");
  CHECK(dec("e.i * 1.00d") == "7.00d");
  CHECK(dec("if e.b then 1 else 2.5d") == "1d");
  CHECK(dec("decimal(e.i)") == "7d");
  CHECK(value_of("e.i > 6.99d", "bool") == B(true));
  CHECK(value_of("7.00d == e.i", "bool") == B(true));
}

TEST_CASE("decimal comparisons are by value") {
  CHECK(value_of("12.50d == 12.5d", "bool") == B(true));
  CHECK(value_of("12.50d != 12.5d", "bool") == B(false));
  CHECK(value_of("0.1d + 0.2d == 0.3d", "bool") == B(true));
  CHECK(value_of("12.50d < 12.51d", "bool") == B(true));
  CHECK(value_of("-1.5d >= -1.50d", "bool") == B(true));
  CHECK(value_of("2.5d > 10.0d", "bool") == B(false));
  CHECK(value_of("2.50d in [1.5d, 2.5d]", "bool") == B(true));
  CHECK(value_of("3.0d in [1.5d, 2.5d]", "bool") == B(false));
}

TEST_CASE("decimal builtins") {
  CHECK(dec("abs(-2.50d)") == "2.50d");
  CHECK(dec("min(1.0d, 1.00d)") == "1.0d");
  CHECK(dec("max(1.0d, 1.00d)") == "1.0d");
  CHECK(dec("max(e.i, 2.5d)") == "7d");
  CHECK(dec("min(e.i, 2.5d)") == "2.5d");
  CHECK(dec("round(2.675d, 2)") == "2.68d");
  CHECK(dec("round(2.665d, 2)") == "2.66d");
  CHECK(dec("round(1.5d, 3)") == "1.500d");
  CHECK(dec("round(1234.5d, -2)") == "1.2E+3d");
  CHECK(value_of("round(2.5d)", "int") == I(2));
  CHECK(value_of("round(3.5d)", "int") == I(4));
  CHECK(value_of("round(-2.51d)", "int") == I(-3));
}

TEST_CASE("decimal and float conversions") {
  CHECK(dec("decimal(0.1)") == "0.1d");
  CHECK(dec("decimal(e.f)") == "2.5d");
  CHECK(dec("decimal(100.0)") == "100d");
  CHECK(value_of("decimal(0.1) == 0.1d", "bool") == B(true));
  CHECK(value_of("float(2.5d)", "float") == F(2.5));
  CHECK(value_of("float(0.1d) == 0.1", "bool") == B(true));
  CHECK(value_of("float(e.i)", "float") == F(7.0));
  CHECK(dec("decimal(1.25d)") == "1.25d");
}

TEST_CASE("decimals in lists, constants and optionals") {
  const std::string extra = "const PRICE: decimal = 12.50d\nconst NONE_YET: decimal? = none\n";
  CHECK(dec("PRICE * 2", extra) == "25.00d");
  CHECK(dec("NONE_YET ?? 1.5d", extra) == "1.5d");
  CHECK(dec("[1.5d, 2.25d][1]") == "2.25d");
  CHECK(dec("[1.5d, 2][1]") == "2d");
  eval::EvalResult r = eval_expr("len([1.5d, PRICE])", "int", {}, 0, extra);
  REQUIRE(r.ok());
  CHECK(r.value() == I(2));
}

TEST_CASE("decimal evaluation errors") {
  CHECK(error_of("1.0d / 0.0d > 1.0d", "bool") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("0.0d / 0 > 1.0d", "bool") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("round(1.5d, 40) > 1.0d", "bool") == EvalErrorKind::InvalidNumber);
  CHECK(error_of("decimal(e.f / 0.0) > 1.0d", "bool") == EvalErrorKind::DivisionByZero);
  // `%`: a zero divisor, and an integer quotient of more than 34 digits.
  CHECK(error_of("1.5d % 0 > 1.0d", "bool") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("0.0d % 0.00d > 1.0d", "bool") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("e.i % 0.0d > 1.0d", "bool") == EvalErrorKind::DivisionByZero);
  CHECK(error_of("99999999999999999999999999999999.99d % 0.001d > 1.0d", "bool") == EvalErrorKind::InvalidNumber);
  for (auto [expr, message] : {std::pair{"1.0d / 0.0d > 1.0d", "division by zero in 'ddiv'"},
                               std::pair{"1.5d % (-0.0d) > 1.0d", "division by zero in 'drem'"}}) {
    auto r = eval_expr(expr, "bool");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == message);
  }
}
