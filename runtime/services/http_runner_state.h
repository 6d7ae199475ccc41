// Internal state of HttpRunner (http_runner.h), shared by its two source
// files: http_runner.cpp (public API, the epoll set, timers, libcurl's
// socket and timer callbacks, shutdown) and http_attempts.cpp (queues,
// attempts, answers, retries). Not part of the library's interface.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "services/child_process.h"
#include "services/curl_library.h"
#include "services/exec_protocol.h"
#include "services/http_runner.h"

namespace flow::runtime {

/// One unsettled delivery at one http service. Lives in its service's map,
/// whose nodes never move: libcurl's handle points back to it.
struct HttpDelivery {
  std::string id;
  std::size_t service = 0;
  std::uint64_t seq = 0;  ///< submission order
  HttpRequest request;
  curl_slist* headers = nullptr;  ///< the request's headers for libcurl, from the first attempt on
  std::uint32_t attempts = 0;
  // The current attempt, while `easy` is set.
  CURL* easy = nullptr;
  std::int64_t started_wall = 0;
  std::string answer;  ///< the body received so far
  std::size_t answer_limit = 0;
  bool answer_too_long = false;
  char error[CURL_ERROR_SIZE] = {};  ///< libcurl's detail of a failure
};

struct HttpServiceState {
  explicit HttpServiceState(HttpServiceConfig c) : config(std::move(c)) {}

  HttpServiceConfig config;
  std::unordered_map<std::string, HttpDelivery> deliveries;  ///< every unsettled one, by id
  std::deque<std::string> fresh;                             ///< never attempted, FIFO
  /// Failed, waiting for their next attempt: (not before, monotonic µs; seq) -> id.
  std::map<std::pair<std::int64_t, std::uint64_t>, std::string> retry_due;
  std::size_t in_flight = 0;
  HttpServiceStats stats;
};

struct HttpRunner::State {
  HttpRunnerOptions options;
  std::vector<HttpServiceState> services;
  std::vector<AttemptOutcome> outbox;  ///< produced since run() began
  AnswerParser parser;
  UniqueFd epoll_fd;  ///< libcurl's sockets and timer_fd
  UniqueFd timer_fd;  ///< fires at next_timer()
  const CurlApi* curl = nullptr;
  std::string curl_error;  ///< why libcurl cannot be used, once that is known
  CURLM* multi = nullptr;
  std::optional<std::int64_t> curl_deadline;  ///< monotonic µs: when libcurl wants its timeout action
  std::uint64_t next_seq = 0;
  bool shut_down = false;

  static std::int64_t mono();
  static std::int64_t wall();
  // libcurl's multi-socket callbacks (CURLMOPT_SOCKETFUNCTION, _TIMERFUNCTION).
  static int on_socket(CURL* easy, curl_socket_t socket, int what, void* state, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* state);
  void log(std::size_t svc, const std::string& text) const;
  std::size_t pending() const;

  // http_runner.cpp
  /// Loads libcurl and makes the multi handle, once; false when it cannot.
  bool ensure_curl();
  /// Hands libcurl the socket events epoll has, and its timeout when due;
  /// true if anything was done.
  bool transfer_io();
  std::int64_t next_timer() const;
  void arm_timer();

  // http_attempts.cpp
  /// Starts attempts up to each service's concurrency; true if any started.
  bool start_ready(std::int64_t now);
  void begin_attempt(HttpDelivery& d, std::int64_t now);
  /// Takes the transfers libcurl has finished and settles their attempts.
  void finish_transfers();
  void attempt_done(HttpDelivery& d, CURLcode code);
  void fail(HttpDelivery& d, AttemptStatus status, std::string error, bool permanent, std::int64_t asked_wait_us,
            std::vector<RawEmit> emits = {});
  void succeed(HttpDelivery& d, std::vector<RawEmit> emits);
  /// Ends the current attempt's transfer (the handle leaves the multi).
  void end_transfer(HttpDelivery& d);
  /// Forgets a settled delivery.
  void drop(HttpDelivery& d);
};

}  // namespace flow::runtime
