// flow_rt, the C-ABI helpers both back ends call: arithmetic edge cases,
// strings and case mapping, regex table, time, arena.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "base/time_format.h"
#include "rt_abi/arena.h"

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

std::string str(const FlowStr& s) {
  return std::string(s.data, s.size);
}

std::string lower(const std::string& s) {
  flow::Arena arena;
  FlowStr out{};
  REQUIRE(flow_rt_str_lower(arena.get(), s.data(), s.size(), &out) == FLOW_RT_OK);
  return str(out);
}

std::string upper(const std::string& s) {
  flow::Arena arena;
  FlowStr out{};
  REQUIRE(flow_rt_str_upper(arena.get(), s.data(), s.size(), &out) == FLOW_RT_OK);
  return str(out);
}

int64_t ts(const char* text) {
  return *flow::parse_timestamp(text);
}

}  // namespace

TEST_CASE("flow_rt int arithmetic detects overflow") {
  int64_t out = 0;
  CHECK(flow_rt_int_add(2, 3, &out) == FLOW_RT_OK);
  CHECK(out == 5);
  CHECK(flow_rt_int_add(kMax, 1, &out) == FLOW_RT_OVERFLOW);
  CHECK(flow_rt_int_add(kMin, -1, &out) == FLOW_RT_OVERFLOW);
  CHECK(flow_rt_int_sub(kMin, 1, &out) == FLOW_RT_OVERFLOW);
  CHECK(flow_rt_int_sub(0, kMin, &out) == FLOW_RT_OVERFLOW);
  CHECK(flow_rt_int_mul(kMax / 2 + 1, 2, &out) == FLOW_RT_OVERFLOW);
  CHECK(flow_rt_int_mul(kMin, -1, &out) == FLOW_RT_OVERFLOW);
  CHECK(flow_rt_int_mul(-4, 5, &out) == FLOW_RT_OK);
  CHECK(out == -20);
  CHECK(flow_rt_int_neg(kMin, &out) == FLOW_RT_OVERFLOW);
  CHECK(flow_rt_int_abs(kMin, &out) == FLOW_RT_OVERFLOW);
  CHECK(flow_rt_int_abs(-kMax, &out) == FLOW_RT_OK);
  CHECK(out == kMax);
}

TEST_CASE("flow_rt int division truncates toward zero; errors on zero and MIN / -1") {
  int64_t out = 0;
  CHECK(flow_rt_int_div(7, 2, &out) == FLOW_RT_OK);
  CHECK(out == 3);
  CHECK(flow_rt_int_div(-7, 2, &out) == FLOW_RT_OK);
  CHECK(out == -3);
  CHECK(flow_rt_int_mod(-7, 2, &out) == FLOW_RT_OK);
  CHECK(out == -1);
  CHECK(flow_rt_int_mod(7, -2, &out) == FLOW_RT_OK);
  CHECK(out == 1);
  CHECK(flow_rt_int_div(1, 0, &out) == FLOW_RT_DIVISION_BY_ZERO);
  CHECK(flow_rt_int_mod(1, 0, &out) == FLOW_RT_DIVISION_BY_ZERO);
  CHECK(flow_rt_int_div(kMin, -1, &out) == FLOW_RT_OVERFLOW);
  CHECK(flow_rt_int_mod(kMin, -1, &out) == FLOW_RT_OK);
  CHECK(out == 0);
}

TEST_CASE("flow_rt float division by zero is an error, the rest is IEEE") {
  double out = 0;
  CHECK(flow_rt_float_div(1.0, 0.0, &out) == FLOW_RT_DIVISION_BY_ZERO);
  CHECK(flow_rt_float_div(1.0, -0.0, &out) == FLOW_RT_DIVISION_BY_ZERO);
  CHECK(flow_rt_float_mod(1.0, 0.0, &out) == FLOW_RT_DIVISION_BY_ZERO);
  CHECK(flow_rt_float_div(7.0, 2.0, &out) == FLOW_RT_OK);
  CHECK(out == 3.5);
  CHECK(flow_rt_float_mod(-7.5, 2.0, &out) == FLOW_RT_OK);
  CHECK(out == -1.5);
  CHECK(flow_rt_float_div(1e308, 1e-308, &out) == FLOW_RT_OK);
  CHECK(std::isinf(out));
}

TEST_CASE("flow_rt float to int conversions") {
  int64_t out = 0;
  CHECK(flow_rt_float_round(2.5, &out) == FLOW_RT_OK);
  CHECK(out == 3);
  CHECK(flow_rt_float_round(-2.5, &out) == FLOW_RT_OK);
  CHECK(out == -3);
  CHECK(flow_rt_float_round(2.49, &out) == FLOW_RT_OK);
  CHECK(out == 2);
  CHECK(flow_rt_float_floor(-0.5, &out) == FLOW_RT_OK);
  CHECK(out == -1);
  CHECK(flow_rt_float_ceil(-0.5, &out) == FLOW_RT_OK);
  CHECK(out == 0);
  CHECK(flow_rt_float_ceil(1.0000001, &out) == FLOW_RT_OK);
  CHECK(out == 2);
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  CHECK(flow_rt_float_round(nan, &out) == FLOW_RT_INVALID_NUMBER);
  CHECK(flow_rt_float_floor(inf, &out) == FLOW_RT_INVALID_NUMBER);
  CHECK(flow_rt_float_ceil(-inf, &out) == FLOW_RT_INVALID_NUMBER);
  CHECK(flow_rt_float_round(9223372036854775808.0, &out) == FLOW_RT_INVALID_NUMBER);
  CHECK(flow_rt_float_round(-9223372036854775808.0, &out) == FLOW_RT_OK);
  CHECK(out == kMin);
  CHECK(flow_rt_float_floor(9223372036854774784.0, &out) == FLOW_RT_OK);  // largest double below 2^63
  CHECK(out == 9223372036854774784);
}

TEST_CASE("flow_rt float min and max") {
  CHECK(flow_rt_float_min(1.0, 2.0) == 1.0);
  CHECK(flow_rt_float_max(1.0, 2.0) == 2.0);
  CHECK(std::isnan(flow_rt_float_min(std::nan(""), 1.0)));
  CHECK(std::isnan(flow_rt_float_max(1.0, std::nan(""))));
  CHECK(std::signbit(flow_rt_float_min(0.0, -0.0)));
  CHECK_FALSE(std::signbit(flow_rt_float_max(-0.0, 0.0)));
}

TEST_CASE("flow_rt string length counts code points") {
  CHECK(flow_rt_str_len("", 0) == 0);
  CHECK(flow_rt_str_len("abc", 3) == 3);
  std::string s = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80";  // héllo € 😀
  CHECK(flow_rt_str_len(s.data(), s.size()) == 9);
}

TEST_CASE("flow_rt string comparison is bytewise") {
  CHECK(flow_rt_str_compare("a", 1, "b", 1) == -1);
  CHECK(flow_rt_str_compare("b", 1, "a", 1) == 1);
  CHECK(flow_rt_str_compare("ab", 2, "ab", 2) == 0);
  CHECK(flow_rt_str_compare("ab", 2, "abc", 3) == -1);
  CHECK(flow_rt_str_compare("Z", 1, "a", 1) == -1);
  CHECK(flow_rt_str_compare("\xC3\xA9", 2, "z", 1) == 1);  // bytes >= 0x80 sort after ASCII
  CHECK(flow_rt_str_eq("ab", 2, "ab", 2) == 1);
  CHECK(flow_rt_str_eq("ab", 2, "ac", 2) == 0);
  CHECK(flow_rt_str_starts_with("hello", 5, "he", 2) == 1);
  CHECK(flow_rt_str_starts_with("hello", 5, "", 0) == 1);
  CHECK(flow_rt_str_starts_with("he", 2, "hello", 5) == 0);
  CHECK(flow_rt_str_ends_with("hello", 5, "llo", 3) == 1);
  CHECK(flow_rt_str_ends_with("hello", 5, "he", 2) == 0);
  CHECK(flow_rt_str_contains("hello", 5, "ell", 3) == 1);
  CHECK(flow_rt_str_contains("hello", 5, "", 0) == 1);
  CHECK(flow_rt_str_contains("hello", 5, "elo", 3) == 0);
}

TEST_CASE("flow_rt concat writes into the arena") {
  flow::Arena arena;
  FlowStr out{};
  REQUIRE(flow_rt_str_concat(arena.get(), "ab", 2, "cd", 2, &out) == FLOW_RT_OK);
  CHECK(str(out) == "abcd");
  REQUIRE(flow_rt_str_concat(arena.get(), "", 0, "", 0, &out) == FLOW_RT_OK);
  CHECK(out.size == 0);
}

TEST_CASE("flow_rt case mapping is Unicode-aware") {
  CHECK(lower("Hello, World 42") == "hello, world 42");
  CHECK(upper("Hello, World 42") == "HELLO, WORLD 42");
  CHECK(lower("") == "");
  CHECK(upper("\xC3\xA9t\xC3\xA9") == "\xC3\x89T\xC3\x89");  // été -> ÉTÉ
  CHECK(lower("\xC3\x84PFEL") == "\xC3\xA4pfel");            // ÄPFEL -> äpfel
  CHECK(upper("stra\xC3\x9F"
              "e") == "STRASSE");  // straße -> STRASSE (grows)
  CHECK(lower("\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x99\xCE\x91") ==
        "\xCF\x83\xCE\xBF\xCF\x86\xCE\xB9\xCE\xB1");                       // ΣΟΦΙΑ -> σοφια
  CHECK(upper("\xD0\xBC\xD0\xB8\xD1\x80") == "\xD0\x9C\xD0\x98\xD0\xA0");  // мир -> МИР
  CHECK(lower("I") == "i");                                                // root locale: no Turkish dotless i
  CHECK(upper("\xE4\xB8\xAD\xE6\x96\x87") == "\xE4\xB8\xAD\xE6\x96\x87");  // no case: unchanged
}

TEST_CASE("flow_rt regex table compiles once and searches unanchored") {
  const std::string p0 = "^[A-Z]{2}-\\d+$", p1 = "b+", p2 = "caf\xC3\xA9";
  FlowStr patterns[] = {{p0.data(), p0.size()}, {p1.data(), p1.size()}, {p2.data(), p2.size()}};
  FlowRegexTable* table = flow_rt_regex_table_create(patterns, 3, nullptr);
  REQUIRE(table);
  CHECK(flow_rt_regex_table_size(table) == 3);
  CHECK(flow_rt_regex_match(table, 0, "NL-42", 5) == 1);
  CHECK(flow_rt_regex_match(table, 0, "xNL-42", 6) == 0);
  CHECK(flow_rt_regex_match(table, 1, "abbc", 4) == 1);  // partial match: anywhere in the string
  CHECK(flow_rt_regex_match(table, 1, "ac", 2) == 0);
  CHECK(flow_rt_regex_match(table, 2, "un caf\xC3\xA9 noir", 13) == 1);
  CHECK(flow_rt_regex_match(table, 7, "abc", 3) == 0);  // unknown id
  flow_rt_regex_table_destroy(table);

  const std::string bad = "a(";
  FlowStr bad_patterns[] = {{p1.data(), p1.size()}, {bad.data(), bad.size()}};
  uint32_t bad_index = 99;
  CHECK(flow_rt_regex_table_create(bad_patterns, 2, &bad_index) == nullptr);
  CHECK(bad_index == 1);

  FlowRegexTable* empty = flow_rt_regex_table_create(nullptr, 0, nullptr);
  REQUIRE(empty);
  CHECK(flow_rt_regex_table_size(empty) == 0);
  flow_rt_regex_table_destroy(empty);
}

TEST_CASE("flow_rt time functions are UTC and floored") {
  CHECK(flow_rt_time_hour(ts("2026-01-31T12:34:56Z")) == 12);
  CHECK(flow_rt_time_hour(ts("2026-01-31T00:00:00Z")) == 0);
  CHECK(flow_rt_time_hour(ts("2026-01-31T23:59:59.999999Z")) == 23);
  CHECK(flow_rt_time_hour(ts("1969-12-31T23:30:00Z")) == 23);    // before the epoch
  CHECK(flow_rt_time_weekday(ts("1970-01-01T00:00:00Z")) == 4);  // Thursday
  CHECK(flow_rt_time_weekday(ts("2026-01-26T10:00:00Z")) == 1);  // Monday
  CHECK(flow_rt_time_weekday(ts("2026-02-01T23:59:59Z")) == 7);  // Sunday
  CHECK(flow_rt_time_weekday(ts("1969-12-31T12:00:00Z")) == 3);  // Wednesday
  int64_t out = 0;
  CHECK(flow_rt_time_date(ts("2026-01-31T12:34:56Z"), &out) == FLOW_RT_OK);
  CHECK(out == ts("2026-01-31T00:00:00Z"));
  CHECK(flow_rt_time_date(ts("1969-12-31T12:00:00Z"), &out) == FLOW_RT_OK);
  CHECK(out == ts("1969-12-31T00:00:00Z"));
  CHECK(flow_rt_time_date(kMin, &out) == FLOW_RT_OVERFLOW);
  CHECK(flow_rt_time_date(kMax, &out) == FLOW_RT_OK);
  CHECK(flow_rt_time_hour(kMin) >= 0);
  CHECK(flow_rt_time_weekday(kMin) >= 1);
}

TEST_CASE("flow_rt arena alignment, growth and reset") {
  FlowArena* arena = flow_rt_arena_create();
  REQUIRE(arena);
  void* a = flow_rt_arena_alloc(arena, 3, 1);
  void* b = flow_rt_arena_alloc(arena, 8, 8);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(reinterpret_cast<uintptr_t>(b) % 8 == 0);
  void* big = flow_rt_arena_alloc(arena, 1 << 20, 16);  // larger than a block
  REQUIRE(big);
  std::memset(big, 1, 1 << 20);
  CHECK(reinterpret_cast<uintptr_t>(big) % 16 == 0);
  CHECK(flow_rt_arena_used(arena) >= (1 << 20) + 11);
  CHECK(flow_rt_arena_alloc(arena, 8, 3) == nullptr);                  // not a power of two
  CHECK(flow_rt_arena_alloc(arena, uint64_t{1} << 62, 8) == nullptr);  // refused, not a crash
  flow_rt_arena_reset(arena);
  CHECK(flow_rt_arena_used(arena) == 0);
  CHECK(flow_rt_arena_alloc(arena, 16, 8) != nullptr);
  flow_rt_arena_destroy(arena);
}

TEST_CASE("flow_rt status messages") {
  CHECK(std::string(flow_rt_status_message(FLOW_RT_DIVISION_BY_ZERO)) == "division by zero");
  CHECK(std::string(flow_rt_status_message(FLOW_RT_OVERFLOW)) == "integer overflow");
  CHECK(std::string(flow_rt_status_message(12345)) == "unknown evaluation error");
}
