// The delivery side of HttpRunner: queues, starting attempts up to the
// concurrency limit, reading what each attempt got, retries with backoff
// and Retry-After, and the final delivered / dead-lettered verdict.
#include <algorithm>
#include <exception>

#include "base/time_format.h"
#include "services/attempt_queue.h"
#include "services/backoff.h"
#include "services/http_answer.h"
#include "services/http_runner_state.h"

namespace flow::runtime {

namespace {

/// CURLOPT_WRITEFUNCTION: keeps the answer's body, up to its limit.
size_t keep_body(char* data, size_t size, size_t count, void* delivery) {
  auto& d = *static_cast<HttpDelivery*>(delivery);
  const size_t n = size * count;
  if (d.answer.size() + n > d.answer_limit) {
    d.answer_too_long = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  d.answer.append(data, n);
  return n;
}

}  // namespace

bool HttpRunner::State::start_ready(std::int64_t now) {
  bool started = false;
  for (HttpServiceState& s : services) {
    while (s.in_flight < s.config.concurrency && has_ready(s, now)) {
      const std::string id = pop_ready(s, now);
      begin_attempt(s.deliveries.at(id), now);
      started = true;
    }
  }
  return started;
}

void HttpRunner::State::begin_attempt(HttpDelivery& d, std::int64_t) {
  HttpServiceState& s = services[d.service];
  ++d.attempts;
  ++s.stats.attempts;
  d.started_wall = wall();
  if (!ensure_curl()) {
    // Nothing an attempt later could change: the delivery fails now.
    fail(d, AttemptStatus::StartFailed, curl_error, true, 0);
    return;
  }
  if (!d.headers) {
    for (const std::string& header : d.request.headers) d.headers = curl->slist_append(d.headers, header.c_str());
    // No "Expect: 100-continue" round trip before larger bodies.
    d.headers = curl->slist_append(d.headers, "Expect:");
  }
  CURL* easy = curl->easy_init();
  if (!easy || !d.headers) {
    if (easy) curl->easy_cleanup(easy);
    fail(d, AttemptStatus::ConnectionFailed, "libcurl could not prepare the request (out of memory?)", false, 0);
    return;
  }
  d.answer.clear();
  d.answer_limit = options.max_answer_body;
  d.answer_too_long = false;
  d.error[0] = '\0';
  const HttpServiceConfig& c = s.config;
  curl->easy_setopt(easy, CURLOPT_URL, c.url.c_str());
  curl->easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl->easy_setopt(easy, CURLOPT_POST, 1L);
  curl->easy_setopt(easy, CURLOPT_POSTFIELDS, d.request.body.data());
  curl->easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(d.request.body.size()));
  curl->easy_setopt(easy, CURLOPT_HTTPHEADER, d.headers);
  curl->easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl->easy_setopt(easy, CURLOPT_WRITEFUNCTION, &keep_body);
  curl->easy_setopt(easy, CURLOPT_WRITEDATA, &d);
  curl->easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<std::int64_t>(c.timeout_us / 1000, 1)));
  curl->easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl->easy_setopt(easy, CURLOPT_ERRORBUFFER, d.error);
  curl->easy_setopt(easy, CURLOPT_PRIVATE, &d);
  if (const CURLMcode code = curl->multi_add_handle(multi, easy); code != CURLM_OK) {
    curl->easy_cleanup(easy);
    fail(d, AttemptStatus::ConnectionFailed, std::string("libcurl refused the request: ") + curl->multi_strerror(code),
         false, 0);
    return;
  }
  d.easy = easy;
  ++s.in_flight;
}

void HttpRunner::State::finish_transfers() {
  if (!multi) return;
  int left = 0;
  while (CURLMsg* message = curl->multi_info_read(multi, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    const CURLcode code = message->data.result;  // read now: the message dies with the handle
    char* delivery = nullptr;
    curl->easy_getinfo(easy, CURLINFO_PRIVATE, &delivery);
    attempt_done(*reinterpret_cast<HttpDelivery*>(delivery), code);
  }
}

void HttpRunner::State::attempt_done(HttpDelivery& d, CURLcode code) {
  const HttpServiceConfig& config = services[d.service].config;
  long status = 0;
  char* content_type = nullptr;
  curl->easy_getinfo(d.easy, CURLINFO_RESPONSE_CODE, &status);
  curl->easy_getinfo(d.easy, CURLINFO_CONTENT_TYPE, &content_type);
  const std::string type = content_type ? content_type : "";
  std::int64_t retry_after = 0;
  curl_header* header = nullptr;
  if (curl->easy_header(d.easy, "Retry-After", 0, CURLH_HEADER, -1, &header) == CURLHE_OK && header) {
    retry_after = retry_after_us(header->value, wall(), curl->getdate).value_or(0);
  }
  end_transfer(d);

  if (code == CURLE_OPERATION_TIMEDOUT) {
    fail(d, AttemptStatus::Timeout, "no answer within " + format_duration(config.timeout_us), false, 0);
    return;
  }
  if (code == CURLE_WRITE_ERROR && d.answer_too_long) {
    fail(d, AttemptStatus::Malformed,
         "an answer body longer than " + std::to_string(options.max_answer_body) + " bytes", false, 0);
    return;
  }
  if (code != CURLE_OK) {
    std::string detail = d.error[0] ? std::string(d.error) : std::string(curl->easy_strerror(code));
    fail(d, AttemptStatus::ConnectionFailed, "no answer from " + config.url + ": " + detail, false, 0);
    return;
  }
  HttpVerdict verdict = read_http_answer({status, type, d.answer}, parser);
  if (verdict.status != AttemptStatus::Ok) {
    const bool asked_to_wait = verdict.status == AttemptStatus::HttpStatus;
    fail(d, verdict.status, std::move(verdict.error), verdict.permanent, asked_to_wait ? retry_after : 0);
    return;
  }
  std::optional<EmitRejection> rejection;
  if (options.validator) {
    try {
      rejection = options.validator(d.service, verdict.emits);
    } catch (const std::exception& e) {
      rejection = EmitRejection{AttemptStatus::InvalidEvent, std::string("validator failed: ") + e.what()};
    } catch (...) {
      rejection = EmitRejection{AttemptStatus::InvalidEvent, "validator failed"};
    }
  }
  if (rejection) {
    fail(d, rejection->status, std::move(rejection->reason), false, 0, std::move(verdict.emits));
  } else {
    succeed(d, std::move(verdict.emits));
  }
}

namespace {

AttemptOutcome outcome_of(const HttpServiceState& s, const HttpDelivery& d, AttemptStatus status, std::string error,
                          std::int64_t ended_wall) {
  AttemptOutcome o;
  o.delivery_id = d.id;
  o.service_index = d.service;
  o.service = s.config.name;
  o.attempt = d.attempts;
  o.started_us = d.started_wall;
  o.ended_us = ended_wall;
  o.status = status;
  o.error = std::move(error);
  return o;
}

}  // namespace

void HttpRunner::State::fail(HttpDelivery& d, AttemptStatus status, std::string error, bool permanent,
                             std::int64_t asked_wait_us, std::vector<RawEmit> emits) {
  HttpServiceState& s = services[d.service];
  AttemptOutcome o = outcome_of(s, d, status, std::move(error), wall());
  o.emits = std::move(emits);
  if (permanent || d.attempts > s.config.retry) {
    o.state = DeliveryState::DeadLettered;
    ++s.stats.dead_lettered;
    outbox.push_back(std::move(o));
    drop(d);
    return;
  }
  const std::int64_t delay = std::max(exponential_backoff_us(s.config.backoff_us, s.config.backoff_cap_us, d.attempts),
                                      std::min(asked_wait_us, kMaxRetryAfterUs));
  o.state = DeliveryState::Retrying;
  o.next_attempt_us = o.ended_us + delay;
  s.retry_due.emplace(std::make_pair(mono() + delay, d.seq), d.id);
  outbox.push_back(std::move(o));
}

void HttpRunner::State::succeed(HttpDelivery& d, std::vector<RawEmit> emits) {
  HttpServiceState& s = services[d.service];
  AttemptOutcome o = outcome_of(s, d, AttemptStatus::Ok, {}, wall());
  o.emits = std::move(emits);
  o.state = DeliveryState::Delivered;
  ++s.stats.delivered;
  outbox.push_back(std::move(o));
  drop(d);
}

void HttpRunner::State::end_transfer(HttpDelivery& d) {
  if (!d.easy) return;
  curl->multi_remove_handle(multi, d.easy);
  curl->easy_cleanup(d.easy);
  d.easy = nullptr;
  --services[d.service].in_flight;
}

void HttpRunner::State::drop(HttpDelivery& d) {
  if (d.headers) curl->slist_free_all(d.headers);
  const std::string id = d.id;  // d is the map's node: copy the key first
  services[d.service].deliveries.erase(id);
}

}  // namespace flow::runtime
