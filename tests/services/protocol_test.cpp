// Unit tests of the exec protocol's pure parts: request encoding, answer
// parsing, line splitting, backoff and output snippets.
#include <catch2/catch.hpp>

#include "base/json_string.h"
#include "services/backoff.h"
#include "services/exec_protocol.h"
#include "services/line_splitter.h"
#include "services/text_snippet.h"

using namespace flow::runtime;

TEST_CASE("request lines carry the id and the event on one line", "[services][protocol]") {
  CHECK(encode_request("d-17", R"({"type":"A","data":{}})") ==
        "{\"id\":\"d-17\",\"event\":{\"type\":\"A\",\"data\":{}}}\n");
  CHECK(encode_request("we\"ird\n", "{\n  \"a\": 1\r\n}") == "{\"id\":\"we\\\"ird\\n\",\"event\":{   \"a\": 1  }}\n");
  CHECK(flow::json_quote(std::string("a\x01z", 3), flow::JsonEscape::kKeepBytes) == "\"a\\u0001z\"");
}

TEST_CASE("good answers parse into emits or an error", "[services][protocol]") {
  AnswerParser parser;
  ParsedAnswer a = parser.parse(
      R"({"id":"d-1","emit":[{"type":"OrderApproved","data":{"n":12345678901234567890123,"x":1.10}},{"type":"B","data":{}}]})");
  REQUIRE(a.kind == ParsedAnswer::Kind::Emit);
  CHECK(a.id == "d-1");
  REQUIRE(a.emits.size() == 2);
  CHECK(a.emits[0].type == "OrderApproved");
  // Verbatim: no rounding of big or trailing-zero numbers.
  CHECK(a.emits[0].data_json == R"({"n":12345678901234567890123,"x":1.10})");
  CHECK(a.emits[1] == RawEmit{"B", "{}"});

  a = parser.parse(R"( {"emit":[], "id":"d-2", "extra":{"ignored":[1,2]}} )");
  CHECK(a.kind == ParsedAnswer::Kind::Emit);
  CHECK(a.id == "d-2");
  CHECK(a.emits.empty());

  a = parser.parse(R"({"id":"d-3","error":"credit bureau unavailable"})");
  CHECK(a.kind == ParsedAnswer::Kind::Error);
  CHECK(a.message == "credit bureau unavailable");

  a = parser.parse(R"({"id":"d-4","error":{"code":7}})");
  CHECK(a.kind == ParsedAnswer::Kind::Error);
  CHECK(a.message == R"({"code":7})");

  a = parser.parse(R"({"id":"d-\u00e9","emit":[{"type":"T\u0041","data":{"s":"\n"}}]})");
  REQUIRE(a.kind == ParsedAnswer::Kind::Emit);
  CHECK(a.id == "d-\xC3\xA9");
  CHECK(a.emits[0].type == "TA");
}

TEST_CASE("malformed answers say why, and keep the id when there is one", "[services][protocol]") {
  AnswerParser parser;
  struct Case {
    const char* line;
    const char* id;  // nullptr: unattributable
    const char* why;
  };
  const Case cases[] = {
      {"hello", nullptr, "not valid JSON"},
      {"", nullptr, "not valid JSON"},
      {"[1,2]", nullptr, "not a JSON object"},
      {R"("just a string")", nullptr, "not a JSON object"},
      {R"({"emit":[]})", nullptr, "no \"id\""},
      {R"({"id":5,"emit":[]})", nullptr, "\"id\" is not a string"},
      {R"({"id":"d-1"})", "d-1", "neither"},
      {R"({"id":"d-1","emit":[],"error":"x"})", "d-1", "both"},
      {R"({"id":"d-1","emit":{"type":"A","data":{}}})", "d-1", "\"emit\" is not an array"},
      {R"({"id":"d-1","emit":[{"type":"A"}]})", "d-1", "no \"data\""},
      {R"({"id":"d-1","emit":[{"data":{}}]})", "d-1", "no \"type\""},
      {R"({"id":"d-1","emit":[{"type":"","data":{}}]})", "d-1", "type is not a non-empty string"},
      {R"({"id":"d-1","emit":[{"type":"A","data":[1]}]})", "d-1", ".data is not an object"},
      {R"({"id":"d-1","emit":[7]})", "d-1", "emit[0] is not an object"},
      // simdjson refuses a document with a bare word after it up front.
      {R"({"id":"d-1","error":"x"} junk)", nullptr, "not valid JSON"},
      {R"({"id":"d-1","error":"x"}{})", "d-1", "not valid JSON"},
      {R"({"id":"d-1","emit":[{"type":"A","data":{"a":tru}}]})", "d-1", "not valid JSON"},
      {R"({"id":"d-1","id":"d-2","emit":[]})", "d-1", "twice"},
      {"{\"id\":\"d-1\",\"error\":\"\xff\"}", nullptr, "not valid JSON"},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    const ParsedAnswer a = parser.parse(c.line);
    CHECK(a.kind == ParsedAnswer::Kind::Malformed);
    if (c.id) {
      CHECK(a.id == std::string(c.id));
    } else if (a.id) {
      // Where simdjson stops before the id, there is nothing to attribute.
      FAIL_CHECK("unexpected id " << *a.id);
    }
    CHECK_THAT(a.message, Catch::Contains(c.why));
    CHECK(a.emits.empty());
  }
}

TEST_CASE("deeply nested garbage does not hurt the parser", "[services][protocol]") {
  AnswerParser parser;
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK(parser.parse(deep).kind == ParsedAnswer::Kind::Malformed);
  const std::string deep_data =
      R"({"id":"d-1","emit":[{"type":"A","data":{"x":)" + std::string(5000, '[') + std::string(5000, ']') + "}}]}";
  const ParsedAnswer a = parser.parse(deep_data);
  CHECK(a.id == "d-1");
}

TEST_CASE("line splitter buffers partial lines and cuts long ones", "[services][lines]") {
  std::vector<std::pair<std::string, std::size_t>> got;
  const LineSplitter::Sink sink = [&](std::string_view line, std::size_t cut) { got.emplace_back(line, cut); };
  LineSplitter s(8);
  s.feed("ab", sink);
  CHECK(got.empty());
  s.feed("c\r\nde\n\nlonger than eight\nx", sink);
  s.feed("yz", sink);
  REQUIRE(got.size() == 4);
  CHECK(got[0] == std::pair<std::string, std::size_t>{"abc", 0});
  CHECK(got[1] == std::pair<std::string, std::size_t>{"de", 0});
  CHECK(got[2] == std::pair<std::string, std::size_t>{"", 0});
  CHECK(got[3] == std::pair<std::string, std::size_t>{"longer t", 9});
  CHECK(s.buffered() == 3);
  s.feed(std::string(100000, 'q'), sink);
  CHECK(s.buffered() == 8);  // bounded
  s.finish(sink);
  REQUIRE(got.size() == 5);
  CHECK(got[4] == std::pair<std::string, std::size_t>{"xyzqqqqq", 99995});
  s.finish(sink);
  CHECK(got.size() == 5);
}

TEST_CASE("exponential backoff doubles up to the cap", "[services][backoff]") {
  CHECK(exponential_backoff_us(1000, 10000, 1) == 1000);
  CHECK(exponential_backoff_us(1000, 10000, 2) == 2000);
  CHECK(exponential_backoff_us(1000, 10000, 4) == 8000);
  CHECK(exponential_backoff_us(1000, 10000, 5) == 10000);
  CHECK(exponential_backoff_us(1000, 10000, 4000000000u) == 10000);
  CHECK(exponential_backoff_us(5000, 1000, 3) == 5000);  // a cap below the base keeps the base
  CHECK(exponential_backoff_us(0, 1000, 3) == 0);
  CHECK(exponential_backoff_us(INT64_MAX / 2 + 1, INT64_MAX, 3) == INT64_MAX);
}

TEST_CASE("snippets are bounded, printable and whole UTF-8", "[services][snippet]") {
  CHECK(printable_snippet("a\tb\x01", 10) == "a?b?");
  CHECK(printable_snippet("abcdef", 3) == "abc...");
  CHECK(printable_snippet("\xC3\xA9\xC3\xA9", 3) == "\xC3\xA9...");
  CHECK(printable_snippet("\xff\xfe ok", 10) == "?? ok");
  CHECK(drop_incomplete_utf8_tail("ab\xE2\x82") == "ab");
  CHECK(drop_incomplete_utf8_tail("ab\xE2\x82\xAC") == "ab\xE2\x82\xAC");
  CHECK(drop_incomplete_utf8_tail("abc") == "abc");
}
