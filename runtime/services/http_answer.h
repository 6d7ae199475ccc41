// What an http service's answer to one delivery means (serve.md §1): the
// events it publishes, or why the attempt failed and whether another
// attempt may help.
//
//  - 2xx: delivered. 204, or any 2xx with an empty body, publishes
//    nothing; otherwise the body says what it publishes, by its
//    Content-Type: application/cloudevents-batch+json (a JSON array of
//    structured CloudEvents), application/cloudevents+json (one), or JSON
//    (application/json, any +json type, or none given) in the exec answer's
//    form {"emit": [...]} — where {"error": "..."} is a failed attempt, as
//    from an exec service. A body that is none of these is malformed.
//  - 408, 429 and 5xx: a failed attempt, retried (with the answer's
//    Retry-After, when it gives one).
//  - anything else (other 4xx, 3xx — redirects are not followed — and 1xx):
//    the delivery fails at once, with no retry: sending the same request
//    again would get the same answer.
//
// Pure: the response's parts in, a verdict out; libcurl stays in the runner.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/attempt_outcome.h"
#include "services/exec_protocol.h"

namespace flow::runtime {

struct HttpResponse {
  long status = 0;
  std::string_view content_type;  // as sent; empty when none
  std::string_view body;
};

struct HttpVerdict {
  /// Ok, ServiceError ({"error": ...}), Malformed, or HttpStatus.
  AttemptStatus status = AttemptStatus::Ok;
  bool permanent = false;      // no retry can help (an HttpStatus outside 408, 429, 5xx)
  std::string error;           // why it failed, for people; empty when Ok
  std::vector<RawEmit> emits;  // when Ok
};

HttpVerdict read_http_answer(const HttpResponse& response, AnswerParser& parser);

/// How long a Retry-After value asks to wait, in µs from `now_us` (wall
/// clock): delta-seconds ("120") or an HTTP date, read by `parse_date`
/// (libcurl's curl_getdate). Nothing for a value that is neither; a date in
/// the past is 0.
std::optional<int64_t> retry_after_us(std::string_view value, int64_t now_us,
                                      time_t (*parse_date)(const char*, const time_t*));

}  // namespace flow::runtime
