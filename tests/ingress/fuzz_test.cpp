// Hostile input: random bytes, valid lines with random edits, every
// truncation. The decoder must never crash (run under the sanitizer build,
// scripts/test), must give a one-line reason for every rejection, and what
// it accepts must encode and decode to the same text.
#include <catch2/catch.hpp>
#include <random>

#include "ingress_fixture.h"

using namespace flow;
using namespace flow::testing;

namespace {

struct Fuzzer {
  runtime::CloudEventDecoder decoder{*shop().catalog};
  Arena arena;
  size_t accepted = 0, rejected = 0;

  void feed(const std::string& line) {
    runtime::DecodedEvent event;
    if (decoder.decode(line, arena, event)) {
      ++accepted;
      REQUIRE(event.type);
      REQUIRE(event.instance);
      // Whatever was accepted is a well-formed instance: it encodes, and the
      // encoding decodes to the same encoding.
      std::string once;
      runtime::append_cloudevent_json(once, *event.type, event.instance, {"id", "src", event.time, event.subject});
      runtime::DecodedEvent again;
      INFO("accepted: " << line << "\nencoded: " << once);
      REQUIRE(decoder.decode(once, arena, again));
      std::string twice;
      runtime::append_cloudevent_json(twice, *again.type, again.instance, {"id", "src", again.time, again.subject});
      CHECK(twice == once);
    } else {
      ++rejected;
      const std::string& error = decoder.error();
      INFO("line: " << line);
      CHECK_FALSE(error.empty());
      CHECK(error.find('\n') == std::string::npos);
      CHECK(error.find('\r') == std::string::npos);
      CHECK_FALSE(event.type);  // nothing half-filled is handed out
    }
    if (arena.used() > (1u << 20)) arena.reset();
  }
};

std::vector<std::string> seeds() {
  return {
      line_of("OrderPlaced", order_data()),
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
  const std::string tokens[] = {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\\u0000",
                                "\\ud800", "\xff", "\x01", " ", "\"type\"", "\"data\"", "1.5", "\"Web\"", "[null]"};
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
}
