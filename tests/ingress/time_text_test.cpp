// Timestamps and durations as JSON text: parse and format, exactly and at
// the limits.
#include <catch2/catch.hpp>
#include <random>

#include "ingress/time_text.h"
#include "support/time_format.h"

using namespace flow;
using namespace flow::runtime;

namespace {

std::string duration_text(int64_t micros) {
  char buffer[kMaxTimeText];
  return std::string(buffer, format_duration_text(micros, buffer));
}

std::string timestamp_text(int64_t micros) {
  char buffer[kMaxTimeText];
  return std::string(buffer, format_timestamp_text(micros, buffer));
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
  for (const char* bad : {"", "-", "ms", "15", "15 m", " 15m", "15M", "_1s", "x", "1.5s", "1.0001ms", "1.ms",
                          ".5ms", "--1s", "+1s", "9223372036854775.808ms", "106751992d", "99999999999999999999s"}) {
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
    if (i % 4 == 1) v /= 1000;                     // whole milliseconds, often
    if (i % 4 == 2) v = v % 100000 * 60'000'000;   // whole minutes
    if (i % 4 == 3) v %= 10000;                    // small
    INFO(v << " -> " << duration_text(v));
    CHECK(parse_duration_text(duration_text(v)) == v);
  }
}

TEST_CASE("timestamps format as RFC 3339 and read back", "[ingress][time]") {
  CHECK(timestamp_text(0) == "1970-01-01T00:00:00Z");
  CHECK(timestamp_text(-1) == "1969-12-31T23:59:59.999999Z");
  CHECK(timestamp_text(1769860800250000) == "2026-01-31T12:00:00.250000Z");
  const int64_t min = *parse_timestamp("0000-01-01T00:00:00Z");
  const int64_t max = *parse_timestamp("9999-12-31T23:59:59.999999Z");
  CHECK(timestamp_text(min) == "0000-01-01T00:00:00Z");
  CHECK(timestamp_text(max) == "9999-12-31T23:59:59.999999Z");
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int64_t> in_range(min, max);
  for (int i = 0; i < 20000; ++i) {
    int64_t v = in_range(rng);
    if (i % 2) v -= v % 1000000;
    CHECK(timestamp_text(v) == format_timestamp(v));
    CHECK(parse_timestamp(timestamp_text(v)) == v);
  }
  // Outside RFC 3339's years: written as the shared formatter does.
  CHECK(timestamp_text(max + 1) == format_timestamp(max + 1));
  CHECK(timestamp_text(INT64_MIN) == format_timestamp(INT64_MIN));
}

TEST_CASE("the fast timestamp parser agrees with flow::parse_timestamp", "[ingress][time]") {
  const std::vector<std::string> valid = {
      "2026-01-31T12:00:00Z",       "2026-01-31t12:00:00z",      "2024-02-29T23:59:60Z",
      "2026-01-31T12:00:00.5Z",     "2026-01-31T12:00:00.1234567Z", "2026-01-31T13:30:00+01:30",
      "0000-01-01T00:00:00-23:59", "9999-12-31T23:59:59.999999+00:00"};
  std::mt19937_64 rng(5);
  const std::string alphabet = "0123456789-:T.Zz+t ";
  for (int i = 0; i < 200000; ++i) {
    std::string s = valid[rng() % valid.size()];
    int edits = static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = rng() % (s.size() + 1);
      switch (rng() % 3) {
        case 0: if (at < s.size()) s[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default: if (at < s.size()) s.erase(at, 1);
      }
    }
    INFO(s);
    CHECK(parse_timestamp_text(s) == parse_timestamp(s));
  }
  for (const auto& s : valid) CHECK(parse_timestamp_text(s).has_value());
}
