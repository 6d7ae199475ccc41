// HttpRunner: drives the deliveries to `http` services (serve.md §1) — a
// POST per attempt through libcurl's multi interface, keep-alive
// connections reused per host, at most `concurrency` requests in flight per
// service, timeouts, retries with backoff and Retry-After, and the
// retryable/final split of http_answer.h — and reports every attempt, as
// the exec runner does, so the runtime can journal it.
//
// Single-threaded and event-loop shaped, like ExecRunner: submit() queues,
// run() does whatever is ready without waiting, and wait_fd() is one file
// descriptor (an epoll set holding libcurl's sockets and a timer for
// libcurl's timeouts and the retries due) that is readable whenever run()
// has something to do — so the runtime can wait on it together with its
// exec services' pipes, without busy waiting. poll() waits on it alone.
//
// Policies:
//  - Attempts: 1 + retry, all with the same request (and delivery id). Failed
//    attempts: connection errors (refused, reset, closed before an answer,
//    TLS), timeouts, 408, 429, 5xx, malformed answers, {"error": ...}
//    answers, and events the validator refuses. Any other non-2xx status
//    fails the delivery at once (DeadLettered on its first such attempt).
//  - Order: a retry whose delay has passed goes before fresh deliveries;
//    fresh deliveries start in submission order.
//  - Connections: one libcurl connection cache for all services (sized to
//    their total concurrency), so a connection to a host is kept alive and
//    reused by the next request to it.
//  - libcurl is loaded (curl_library.h) when the first request starts; if
//    it cannot be, every delivery fails at once (StartFailed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "services/attempt_outcome.h"
#include "services/http_config.h"
#include "services/http_request.h"

namespace flow::runtime {

struct HttpServiceStats {
  std::uint64_t attempts = 0;
  std::uint64_t delivered = 0;
  std::uint64_t dead_lettered = 0;
};

class HttpRunner {
 public:
  /// Throws std::invalid_argument for a config that cannot work (empty name
  /// or URL, timeout <= 0, negative backoff, concurrency 0), and
  /// std::system_error when the epoll set or timer cannot be made.
  explicit HttpRunner(std::vector<HttpServiceConfig> services, HttpRunnerOptions options = {});
  ~HttpRunner();
  HttpRunner(const HttpRunner&) = delete;
  HttpRunner& operator=(const HttpRunner&) = delete;

  std::size_t service_count() const;
  const HttpServiceConfig& service(std::size_t service_index) const;

  /// Queues a delivery. Does no I/O: the next run() starts it. Throws
  /// std::out_of_range for a bad index, std::invalid_argument when
  /// `delivery_id` is empty or still unsettled at that service,
  /// std::logic_error after shutdown().
  void submit(std::size_t service_index, std::string delivery_id, HttpRequest request);

  /// Starts what may start, moves transfers on, and appends the outcomes of
  /// the attempts that ended to `out`, without waiting. Returns how many.
  std::size_t run(std::vector<AttemptOutcome>& out);
  /// Readable (POLLIN) when run() has something to do.
  int wait_fd() const;
  /// run() until an outcome comes or `timeout_ms` has passed (0: one pass),
  /// waiting on wait_fd() in between. Returns how many outcomes it appended.
  std::size_t poll(int timeout_ms, std::vector<AttemptOutcome>& out);

  std::size_t in_flight() const;  ///< requests sent and not yet answered
  std::size_t pending() const;    ///< unsettled deliveries: queued, in flight or waiting to retry
  HttpServiceStats stats(std::size_t service_index) const;

  /// Ends the runner: every unsettled delivery is reported in `out` as
  /// Cancelled/Abandoned (the runtime delivers it again on its next
  /// start), requests in flight are cut, connections closed. Idempotent.
  void shutdown(std::vector<AttemptOutcome>& out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace flow::runtime
