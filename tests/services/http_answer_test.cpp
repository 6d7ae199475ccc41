// Unit tests of the http services' pure parts: the CloudEvents request, the
// reading of answers (statuses, bodies, content types) and of Retry-After.
#include <catch2/catch.hpp>

#include <ctime>

#include "services/exec_protocol.h"
#include "services/http_answer.h"
#include "services/http_request.h"

using namespace flow::runtime;

namespace {

HttpVerdict answer(long status, std::string_view content_type, std::string_view body) {
  AnswerParser parser;
  return read_http_answer({status, content_type, body}, parser);
}

// A stand-in for curl_getdate: one known date.
time_t fake_date(const char* text, const time_t*) {
  return std::string_view(text) == "Wed, 21 Oct 2015 07:28:00 GMT" ? 1445412480 : static_cast<time_t>(-1);
}

}  // namespace

TEST_CASE("a delivery is a CloudEvent in binary mode, keyed by its delivery id", "[services][http]") {
  CloudEventHead head{"OrderPlaced", "e-1", "shop", 0, std::nullopt};
  const HttpRequest r = binary_cloudevent_request(head, "d-e-1.0.0", R"({"order":"o-1"})");
  CHECK(r.body == R"({"order":"o-1"})");
  CHECK(r.headers == std::vector<std::string>{"Content-Type: application/json", "ce-specversion: 1.0",
                                              "ce-type: OrderPlaced", "ce-id: e-1", "ce-source: shop",
                                              "ce-time: 1970-01-01T00:00:00Z", "ce-flowdelivery: d-e-1.0.0",
                                              "Idempotency-Key: d-e-1.0.0"});
  // Values a header cannot hold are percent-encoded; an empty one is kept.
  head = {"OrderPlaced", "id with space", "caf\xc3\xa9 \"100%\"", std::nullopt, ""};
  const HttpRequest odd = binary_cloudevent_request(head, "d-1", "{}");
  CHECK(odd.headers[3] == "ce-id: id%20with%20space");
  CHECK(odd.headers[4] == "ce-source: caf%C3%A9%20%22100%25%22");
  CHECK(odd.headers[5] == "ce-subject;");
  CHECK(percent_encode_header("a\r\nb") == "a%0D%0Ab");
}

TEST_CASE("2xx answers publish what their body says", "[services][http]") {
  HttpVerdict v = answer(200, "application/json", R"({"emit":[{"type":"Quoted","data":{"price":1.50}}]})");
  REQUIRE(v.status == AttemptStatus::Ok);
  REQUIRE(v.emits.size() == 1);
  CHECK(v.emits[0] == RawEmit{"Quoted", R"({"price":1.50})"});
  // The exec answer may keep its id; the media type is matched as HTTP does.
  v = answer(200, "Application/JSON; charset=utf-8", R"({"id":"d-1","emit":[]})");
  CHECK(v.status == AttemptStatus::Ok);
  CHECK(v.emits.empty());
  // A CloudEvents batch, and one structured event.
  v = answer(200, "application/cloudevents-batch+json",
             R"([{"specversion":"1.0","type":"A","id":"1","source":"s","data":{}},{"type":"B","data":{"x":1}}])");
  REQUIRE(v.status == AttemptStatus::Ok);
  CHECK(v.emits == std::vector<RawEmit>{{"A", "{}"}, {"B", R"({"x":1})"}});
  v = answer(200, "application/cloudevents+json", R"({"specversion":"1.0","type":"A","data":{"y":2}})");
  REQUIRE(v.status == AttemptStatus::Ok);
  CHECK(v.emits == std::vector<RawEmit>{{"A", R"({"y":2})"}});
  CHECK(answer(200, "application/cloudevents-batch+json", "[]").status == AttemptStatus::Ok);
  // 204, or an empty body, publishes nothing.
  CHECK(answer(204, "", "").emits.empty());
  CHECK(answer(200, "text/html", " \r\n").status == AttemptStatus::Ok);
  CHECK(answer(202, "", "").status == AttemptStatus::Ok);
}

TEST_CASE("answers that cannot be used fail the attempt", "[services][http]") {
  HttpVerdict v = answer(200, "application/json", R"({"error":"no rate for AQ"})");
  CHECK(v.status == AttemptStatus::ServiceError);
  CHECK(v.error == "no rate for AQ");
  CHECK_FALSE(v.permanent);
  v = answer(200, "text/html", "<html>hello</html>");
  CHECK(v.status == AttemptStatus::Malformed);
  CHECK(v.error.find("text/html") != std::string::npos);
  v = answer(200, "application/json", R"({"emit":[{"type":"A"}]})");
  CHECK(v.status == AttemptStatus::Malformed);
  CHECK(v.error.find("emit[0] has no \"data\"") != std::string::npos);
  v = answer(200, "application/cloudevents-batch+json", R"([{"type":"A","data_base64":"AA=="}])");
  CHECK(v.status == AttemptStatus::Malformed);
  CHECK(v.error.find("event[0] has no \"data\"") != std::string::npos);
  CHECK(answer(200, "application/cloudevents-batch+json", R"({"type":"A","data":{}})").status ==
        AttemptStatus::Malformed);
  CHECK(answer(200, "application/json", R"({"emit":[]} trailing)").status == AttemptStatus::Malformed);
}

TEST_CASE("408, 429 and 5xx are retried; other statuses are final", "[services][http]") {
  for (long status : {408L, 429L, 500L, 502L, 503L, 504L, 599L}) {
    INFO(status);
    const HttpVerdict v = answer(status, "text/plain", "busy");
    CHECK(v.status == AttemptStatus::HttpStatus);
    CHECK_FALSE(v.permanent);
    CHECK(v.error == "HTTP " + std::to_string(status) + ": busy");
  }
  for (long status : {400L, 401L, 403L, 404L, 409L, 422L, 301L, 302L, 100L}) {
    INFO(status);
    const HttpVerdict v = answer(status, "", "");
    CHECK(v.status == AttemptStatus::HttpStatus);
    CHECK(v.permanent);
  }
  CHECK(answer(400, "text/plain", "no such customer").error ==
        "HTTP 400: no such customer (final: only 408, 429 and 5xx answers are retried)");
  CHECK(answer(301, "", "").error == "HTTP 301 (redirects are not followed: not retried)");
}

TEST_CASE("Retry-After is read in seconds or as an HTTP date", "[services][http]") {
  const int64_t now = int64_t{1445412470} * 1'000'000;  // ten seconds before the date
  CHECK(retry_after_us("120", now, fake_date) == 120'000'000);
  CHECK(retry_after_us(" 0 ", now, fake_date) == 0);
  CHECK(retry_after_us("Wed, 21 Oct 2015 07:28:00 GMT", now, fake_date) == 10'000'000);
  CHECK(retry_after_us("Wed, 21 Oct 2015 07:28:00 GMT", now + 60'000'000, fake_date) == 0);  // past
  CHECK_FALSE(retry_after_us("soon", now, fake_date));
  CHECK_FALSE(retry_after_us("-5", now, fake_date));
  CHECK_FALSE(retry_after_us("", now, fake_date));
  CHECK(retry_after_us("99999999999999999999", now, fake_date) > 0);  // huge: capped by the runner
}
