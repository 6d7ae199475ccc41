// RFC 3339 timestamps (compiler/base/time_format.h): the formatter and
// the parser against std::chrono's calendar and a regular expression of the
// grammar, at random and at the limits.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <random>
#include <regex>
#include <string>

#include "base/time_format.h"

using namespace flow;
namespace chr = std::chrono;

namespace {

/// The text the formatter must write, by std::chrono's calendar (years
/// 0000-9999 only).
std::string chrono_text(int64_t micros) {
  const chr::sys_time<chr::microseconds> t{chr::microseconds(micros)};
  const auto day = chr::floor<chr::days>(t);
  const chr::year_month_day ymd{day};
  const chr::hh_mm_ss clock{chr::floor<chr::seconds>(t - day)};
  const auto fraction = (t - chr::floor<chr::seconds>(t)).count();
  char text[64];
  int n = std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                        static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                        static_cast<int>(clock.seconds().count()));
  if (fraction != 0) n += std::snprintf(text + n, sizeof text - n, ".%06lld", static_cast<long long>(fraction));
  return std::string(text, n) + "Z";
}

/// What the parser must read, by the grammar as a regular expression and
/// std::chrono's calendar.
std::optional<int64_t> chrono_parse(const std::string& s) {
  static const std::regex grammar(
      R"(([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|([+-])([0-9]{2}):([0-9]{2})))");
  std::smatch m;
  if (!std::regex_match(s, m, grammar)) return std::nullopt;
  auto number = [&](int i) { return std::stoi(m[i].str()); };
  const chr::year_month_day ymd{chr::year(number(1)), chr::month(static_cast<unsigned>(number(2))),
                                chr::day(static_cast<unsigned>(number(3)))};
  const int hour = number(4), minute = number(5), second = number(6);
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int64_t offset = 0;
  if (m[9].matched) {
    const int oh = number(10), om = number(11);
    if (oh > 23 || om > 59) return std::nullopt;
    offset = (oh * 3600 + om * 60) * (m[9].str() == "+" ? 1 : -1);
  }
  int64_t micros = 0;
  if (m[7].matched) micros = std::stoll((m[7].str().substr(1) + "000000").substr(0, 6));
  const int64_t days = chr::sys_days(ymd).time_since_epoch().count();
  return (days * 86400 + hour * 3600 + minute * 60 + (second == 60 ? 59 : second) - offset) * 1000000 + micros;
}

}  // namespace

TEST_CASE("timestamps format as RFC 3339 and read back", "[base][time]") {
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00Z");
  CHECK(format_timestamp(-1) == "1969-12-31T23:59:59.999999Z");
  CHECK(format_timestamp(1769860800250000) == "2026-01-31T12:00:00.250000Z");
  const int64_t min = *parse_timestamp("0000-01-01T00:00:00Z");
  const int64_t max = *parse_timestamp("9999-12-31T23:59:59.999999Z");
  CHECK(format_timestamp(min) == "0000-01-01T00:00:00Z");
  CHECK(format_timestamp(max) == "9999-12-31T23:59:59.999999Z");
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int64_t> in_range(min, max);
  for (int i = 0; i < 20000; ++i) {
    int64_t v = in_range(rng);
    if (i % 2) v -= v % 1000000;
    char buffer[kMaxTimestampText];
    const std::string written(buffer, write_timestamp(v, buffer));
    CHECK(written == chrono_text(v));
    CHECK(format_timestamp(v) == written);
    CHECK(parse_timestamp(written) == v);
  }
}

TEST_CASE("years outside 0000-9999 are written as they come and not read back", "[base][time]") {
  CHECK(format_timestamp(253402300800000000) == "10000-01-01T00:00:00Z");
  CHECK(format_timestamp(-62167219200000001) == "-001-12-31T23:59:59.999999Z");
  CHECK(format_timestamp(INT64_MIN) == "-290308-12-21T19:59:05.224192Z");
  CHECK(format_timestamp(INT64_MAX) == "294247-01-10T04:00:54.775807Z");
  CHECK_FALSE(parse_timestamp(format_timestamp(253402300800000000)));
  CHECK_FALSE(parse_timestamp(format_timestamp(INT64_MIN)));
}

TEST_CASE("the parser reads exactly the RFC 3339 timestamps", "[base][time]") {
  const std::vector<std::string> valid = {"2026-01-31T12:00:00Z",         "2026-01-31t12:00:00z",
                                          "2024-02-29T23:59:60Z",         "2026-01-31T12:00:00.5Z",
                                          "2026-01-31T12:00:00.1234567Z", "2026-01-31T13:30:00+01:30",
                                          "0000-01-01T00:00:00-23:59",    "9999-12-31T23:59:59.999999+00:00"};
  for (const auto& s : valid) {
    INFO(s);
    CHECK(parse_timestamp(s).has_value());
    CHECK(parse_timestamp(s) == chrono_parse(s));
  }
  CHECK(parse_timestamp("2026-01-31T13:30:00+01:30") == parse_timestamp("2026-01-31T12:00:00Z"));
  CHECK(parse_timestamp("2024-02-29T23:59:60Z") == parse_timestamp("2024-02-29T23:59:59Z"));
  std::mt19937_64 rng(5);
  const std::string alphabet = "0123456789-:T.Zz+t ";
  for (int i = 0; i < 50000; ++i) {
    std::string s = valid[rng() % valid.size()];
    int edits = static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = rng() % (s.size() + 1);
      switch (rng() % 3) {
        case 0:
          if (at < s.size()) s[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default:
          if (at < s.size()) s.erase(at, 1);
      }
    }
    INFO(s);
    CHECK(parse_timestamp(s) == chrono_parse(s));
  }
}

TEST_CASE("dates and times are checked against the calendar", "[base][time]") {
  CHECK(valid_date_time(2024, 2, 29, 0, 0, 0));
  CHECK_FALSE(valid_date_time(2026, 2, 29, 0, 0, 0));
  CHECK(valid_date_time(2000, 2, 29, 0, 0, 0));
  CHECK_FALSE(valid_date_time(1900, 2, 29, 0, 0, 0));
  CHECK_FALSE(valid_date_time(2026, 4, 31, 0, 0, 0));
  CHECK_FALSE(valid_date_time(2026, 13, 1, 0, 0, 0));
  CHECK_FALSE(valid_date_time(2026, 0, 1, 0, 0, 0));
  CHECK_FALSE(valid_date_time(2026, 1, 0, 0, 0, 0));
  CHECK(valid_date_time(2026, 12, 31, 23, 59, 60));
  CHECK_FALSE(valid_date_time(2026, 12, 31, 24, 0, 0));
  CHECK_FALSE(valid_date_time(2026, 12, 31, 0, 60, 0));
  CHECK_FALSE(valid_date_time(2026, 12, 31, 0, 0, 61));
}
