// Hostile input: random bytes, valid lines with random edits, every
// truncation. The decoder must never crash (run under the sanitizer build,
// scripts/test), must give a one-line reason for every rejection, what it
// accepts must encode and decode to the same text, and its tiers (express,
// DOM, reference) must agree on every line.
#include <catch2/catch.hpp>
#include <random>

#include "ingress_fixture.h"

using namespace flow;
using namespace flow::testing;

namespace {

using Outcome = Tiers::Outcome;

std::string encode(const runtime::DecodedEvent& event) {
  std::string out;
  runtime::append_cloudevent_json(
      out, *event.type, event.instance,
      {event.id.value_or("none"), event.source.value_or("none"), event.time, event.subject});
  return out;
}

/// Feeds lines to the three tiers of the decoder (Tiers: the full decoder,
/// the decoder without its express tier, the reference path alone), which
/// must agree on every line.
struct Fuzzer {
  explicit Fuzzer(bool strict = false) : tiers(shop(), strict) {}

  Tiers tiers;
  runtime::CloudEventDecoder decoder{*shop().catalog};
  Arena arena;
  size_t accepted = 0, rejected = 0;

  void feed(const std::string& line) {
    INFO("line: " << line);
    if (tiers.check(line) != Outcome::Rejected) {
      ++accepted;
      // Whatever was accepted is a well-formed instance: it encodes, and the
      // encoding decodes to the same encoding.
      const std::string once = encode(tiers.event());
      runtime::DecodedEvent again;
      INFO("encoded: " << once);
      REQUIRE(decoder.decode(once, arena, again));
      CHECK(encode(again) == once);
    } else {
      ++rejected;
      const std::string& error = tiers.error();
      CHECK_FALSE(error.empty());
      CHECK(error.find('\n') == std::string::npos);
      CHECK(error.find('\r') == std::string::npos);
    }
    if (arena.used() > (1u << 20)) arena.reset();
  }
};

std::vector<std::string> seeds() {
  return {
      line_of("OrderPlaced", order_data()),
      R"({"specversion":"1.0","type":"OrderPlaced","id":"o-1","source":"s","subject":"","data":{"order_id":"7",)"
      R"("customer":"Zoë","country":"NL","amount":-1803.01e-1,"items":-0,"channel":"Store","coupon":null,)"
      R"("tags":["a","",  "é"],"placed_at":"2026-11-25T02:48:00Z","note":1.5}, "ext" : true })",
      line_of(
          "Everything",
          R"({"id":1,"b":false,"i":9223372036854775807,"f":-0.0,"s":"","ts":"2024-02-29T23:59:60Z","d":"-15m",)"
          R"("c":"Web","oi":null,"li":[],"lf":[1e22,0.1],"ls":["中"],"lb":[true],"lts":[],"ld":["1.500ms"],)"
          R"("lc":["Store"],"loi":[null,1],"los":[null],"lli":[[1],[]],"llos":[[null,"q"]],"olli":[[9]],"doi":null})"),
      R"({"specversion":"1.0","type":"shop.orders.OrderPlaced","id":"e-1","source":"s","time":"2026-01-31T12:00:00Z","data":)" +
          order_data(R"("x":[1,{"y":null}])") + "}",
      R"({"data":)" + order_data() + R"(,"type":"OrderPlaced"})",
      line_of("Everything",
              R"({"id":1,"b":true,"i":-5,"f":2.5,"s":"s\u00e9\n","ts":"2026-01-31T12:00:00Z","d":"90s","c":"Phone",)"
              R"("li":[1,2],"lf":[1e3],"ls":["a"],"lb":[false],"lts":[],"ld":["1.500ms"],"lc":["Store"],)"
              R"("loi":[null,1],"los":[null],"lli":[[1],[]],"llos":[[null,"q"]],"olli":[[9]],"oc":null,"dl":[]})"),
  };
}

}  // namespace

TEST_CASE("fuzz: random bytes are rejected with a reason", "[ingress][fuzz]") {
  Fuzzer fuzz;
  std::mt19937_64 rng(42);
  const std::string alphabet = "{}[]\":,0123456789.eE+-truefalsnl \\/u\t\r\n\x01\x7f\xc3\xa9\xff\xed\xa0\x80";
  for (int i = 0; i < 20000; ++i) {
    std::string line;
    size_t n = rng() % 400;
    for (size_t j = 0; j < n; ++j) {
      line.push_back(i % 2 ? static_cast<char>(rng()) : alphabet[rng() % alphabet.size()]);
    }
    fuzz.feed(line);
  }
  CHECK(fuzz.rejected > 19000);
}

TEST_CASE("fuzz: valid lines with random edits", "[ingress][fuzz]") {
  Fuzzer fuzz;
  std::mt19937_64 rng(43);
  const std::string tokens[] = {"{",    "}",    "[",        "]",        "\"",      ":",       ",",
                                "null", "true", "1e999",    "-0",       "\\u0000", "\\ud800", "\xff",
                                "\x01", " ",    "\"type\"", "\"data\"", "1.5",     "\"Web\"", "[null]"};
  const auto all = seeds();
  for (int i = 0; i < 30000; ++i) {
    std::string line = all[rng() % all.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !line.empty(); ++e) {
      size_t at = rng() % line.size();
      switch (rng() % 5) {
        case 0: line.erase(at, 1 + rng() % 8); break;
        case 1: line.insert(at, tokens[rng() % std::size(tokens)]); break;
        case 2: line[at] = static_cast<char>(rng()); break;
        case 3: line[at] = tokens[rng() % std::size(tokens)][0]; break;
        default: {  // duplicate a chunk
          size_t len = rng() % 16;
          line.insert(at, line.substr(at, len));
        }
      }
    }
    fuzz.feed(line);
  }
  CHECK(fuzz.accepted > 0);
  CHECK(fuzz.rejected > 0);
  CHECK(fuzz.tiers.express > 0);  // some edits leave a line the express tier takes
  CHECK(fuzz.tiers.dom > 0);
}

TEST_CASE("fuzz: every truncation of a valid line is rejected", "[ingress][fuzz]") {
  Fuzzer fuzz;
  for (const std::string& line : seeds()) {
    for (size_t n = 0; n < line.size(); ++n) {
      fuzz.feed(line.substr(0, n));
    }
    fuzz.feed(line);
  }
  CHECK(fuzz.accepted == seeds().size());
  CHECK(fuzz.tiers.express == 3);  // the seeds without escapes, nested values or data first
}

TEST_CASE("fast and reference paths agree at the edges", "[ingress][fuzz]") {
  Fuzzer fuzz;
  const std::string order = order_data();
  std::vector<std::string> lines = {
      line_of("Everything", R"({"id":1,"f":-0})"),
      line_of("OrderPlaced", order_data(R"("amount":-0)", {"amount"})),
      line_of("OrderPlaced", order_data(R"("amount":-0.0)", {"amount"})),
      line_of("OrderPlaced", order_data(R"("amount":-0e0)", {"amount"})),
      line_of("OrderPlaced", order_data(R"("amount":18446744073709551615)", {"amount"})),
      line_of("OrderPlaced", order_data(R"("amount":18446744073709551616)", {"amount"})),
      line_of("OrderPlaced", order_data(R"("amount":9007199254740993)", {"amount"})),
      line_of("OrderPlaced", order_data(R"("amount":-9223372036854775808)", {"amount"})),
      line_of("OrderPlaced", order_data(R"("amount":2e-400)", {"amount"})),
      line_of("OrderPlaced", order_data(R"("amount":1E2)", {"amount"})),
      line_of("OrderPlaced", order_data(R"("items":18446744073709551615)", {"items"})),
      line_of("OrderPlaced", order_data(R"("items":-0)", {"items"})),
      line_of("OrderPlaced", order_data(R"("customer":"a\u0000b\"")", {"customer"})),
      line_of("OrderPlaced", order_data(R"("coupon":"x","coupon":null)", {"coupon"})),
      line_of("OrderPlaced", order_data(R"("x":1,"x":2)")),
      R"({"data":)" + order + R"(,"type":"OrderPlaced","type":"OrderPlaced"})",
      R"({"type":"OrderPlaced","data":)" + order + R"(,"id":""})",
      R"({"type":"OrderPlaced","subject":"","data":)" + order + "}",
      R"({"type":"OrderPlaced","data_base64":"","data":)" + order + "}",
      R"({"typ\u0065":"OrderPlaced","data":)" + order + "}",
  };
  for (int depth = 250; depth <= 260; ++depth) {
    std::string nested = std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']');
    lines.push_back(line_of("OrderPlaced", order_data("\"note\":" + nested)));
    lines.push_back(R"({"type":"OrderPlaced","ext":)" + nested + R"(,"data":)" + order + "}");
  }
  for (const auto& line : lines) fuzz.feed(line);
  CHECK(fuzz.accepted > 10);
  CHECK(fuzz.tiers.express > 5);
  // The strict decoders agree too.
  Fuzzer strict(true);
  strict.feed(line_of("OrderPlaced", order_data(R"("note":1)")));
  CHECK(strict.tiers.error() == "unknown field 'note' (strict mode)");
  strict.feed(line_of("OrderPlaced", order));
  CHECK(strict.tiers.express == 1);
}
