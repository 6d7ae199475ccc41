// The messages of `flowrt worker`: requests in the exec protocol's JSON
// (event text kept verbatim), replies in its answer form.
#include <catch2/catch.hpp>

#include "cluster/queue_worker.h"
#include "cluster/worker_wire.h"

namespace fc = flow::cluster;
namespace fr = flow::runtime;

TEST_CASE("a worker request gives its id and the event's text verbatim", "[wire]") {
  std::string problem;
  std::optional<std::string> id;
  auto request = fc::parse_worker_request(
      R"({"id":"d-1","event":{"type":"Job","data":{"amount":1.10,"big":12345678901234567890}}})", problem, id);
  REQUIRE(request);
  CHECK(request->id == "d-1");
  CHECK(request->event_json == R"({"type":"Job","data":{"amount":1.10,"big":12345678901234567890}})");
}

TEST_CASE("bad worker requests say what is wrong", "[wire]") {
  struct Case {
    const char* payload;
    const char* problem;
    bool has_id;
  };
  const Case cases[] = {
      {"not json", "not valid JSON", false},     {"[1]", "not a JSON object", false},
      {R"({"event":{}})", "no \"id\"", false},   {R"({"id":7,"event":{}})", "\"id\" is not a string", false},
      {R"({"id":"d-2"})", "no \"event\"", true}, {R"({"id":"d-3","event":[]})", "\"event\" is not an object", true},
  };
  for (const auto& c : cases) {
    std::string problem;
    std::optional<std::string> id;
    INFO(c.payload);
    CHECK_FALSE(fc::parse_worker_request(c.payload, problem, id));
    CHECK(problem == c.problem);
    CHECK(id.has_value() == c.has_id);
  }
}

TEST_CASE("worker replies are exec answers", "[wire]") {
  fr::AttemptOutcome ok;
  ok.status = fr::AttemptStatus::Ok;
  ok.emits = {{"Approved", R"({"amount":1.10})"}, {"Noted", "{}"}};
  CHECK(fc::encode_worker_answer("d-1", ok) ==
        R"({"id":"d-1","emit":[{"type":"Approved","data":{"amount":1.10}},{"type":"Noted","data":{}}]})");

  fr::AttemptOutcome none;
  CHECK(fc::encode_worker_answer("d-2", none) == R"({"id":"d-2","emit":[]})");

  fr::AttemptOutcome error;
  error.status = fr::AttemptStatus::ServiceError;
  error.error = "bureau \"down\"";
  CHECK(fc::encode_worker_answer("d-3", error) == R"({"id":"d-3","error":"bureau \"down\""})");

  fr::AttemptOutcome timeout;
  timeout.status = fr::AttemptStatus::Timeout;
  timeout.error = "no answer within 1s";
  CHECK(fc::encode_worker_answer("d-4", timeout).starts_with(R"({"id":"d-4","error":"flowrt worker: )"));

  CHECK(fc::encode_worker_error(std::nullopt, "bad") == R"({"error":"bad"})");
}

TEST_CASE("the worker's command line quotes each argument", "[wire]") {
  CHECK(fc::shell_command_line({"python3", "-u", "my service.py", "it's"}) ==
        R"('python3' '-u' 'my service.py' 'it'\''s')");
}
