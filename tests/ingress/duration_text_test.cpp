// Durations as JSON text: parse and format, exactly and at the limits.
// (Timestamps are flow::parse_timestamp's: tests/base/time_format_test.cpp.)
#include <catch2/catch.hpp>
#include <random>

#include "ingress/duration_text.h"

using namespace flow::runtime;

namespace {

std::string duration_text(int64_t micros) {
  char buffer[kMaxDurationText];
  return std::string(buffer, format_duration_text(micros, buffer));
}

}  // namespace

TEST_CASE("durations parse in Flow's literal form", "[ingress][time]") {
  CHECK(parse_duration_text("250ms") == 250'000);
  CHECK(parse_duration_text("30s") == 30'000'000);
  CHECK(parse_duration_text("15m") == 900'000'000);
  CHECK(parse_duration_text("2h") == 7'200'000'000);
  CHECK(parse_duration_text("3d") == 259'200'000'000);
  CHECK(parse_duration_text("1_000ms") == 1'000'000);
  CHECK(parse_duration_text("-1s") == -1'000'000);
  CHECK(parse_duration_text("0.001ms") == 1);
  CHECK(parse_duration_text("2.5ms") == 2500);
  CHECK(parse_duration_text("9223372036854775.807ms") == INT64_MAX);
  CHECK(parse_duration_text("-9223372036854775.808ms") == INT64_MIN);
  for (const char* bad : {"", "-", "ms", "15", "15 m", " 15m", "15M", "_1s", "x", "1.5s", "1.0001ms", "1.ms", ".5ms",
                          "--1s", "+1s", "9223372036854775.808ms", "106751992d", "99999999999999999999s"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration_text(bad));
  }
}

TEST_CASE("durations format in the largest exact unit", "[ingress][time]") {
  CHECK(duration_text(0) == "0s");
  CHECK(duration_text(1) == "0.001ms");
  CHECK(duration_text(1500) == "1.500ms");
  CHECK(duration_text(250'000) == "250ms");
  CHECK(duration_text(90'000'000) == "90s");
  CHECK(duration_text(900'000'000) == "15m");
  CHECK(duration_text(-7'200'000'000) == "-2h");
  CHECK(duration_text(86'400'000'000) == "1d");
  CHECK(duration_text(INT64_MAX) == "9223372036854775.807ms");
  CHECK(duration_text(INT64_MIN) == "-9223372036854775.808ms");
}

TEST_CASE("every duration survives format -> parse", "[ingress][time]") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    int64_t v = static_cast<int64_t>(rng());
    if (i % 4 == 1) v /= 1000;                    // whole milliseconds, often
    if (i % 4 == 2) v = v % 100000 * 60'000'000;  // whole minutes
    if (i % 4 == 3) v %= 10000;                   // small
    INFO(v << " -> " << duration_text(v));
    CHECK(parse_duration_text(duration_text(v)) == v);
  }
}
