// Configuration of the http-service runner (serve.md §1): one
// HttpServiceConfig per `http` service, and the runner-wide
// HttpRunnerOptions (log sink, emit validator, limits).
//
// Deliberately compiler-free, like exec_config.h, whose defaults it shares:
// the runtime maps a plan's service (timeout_us / retry / backoff_us /
// concurrency, -1 = not given) onto this struct.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "services/exec_config.h"

namespace flow::runtime {

/// The longest wait a Retry-After answer is granted before the next
/// attempt; longer requests wait this long.
inline constexpr std::int64_t kMaxRetryAfterUs = 600'000'000;  // 10 min

struct HttpServiceConfig {
  std::string name;  ///< used in logs and outcomes
  std::string url;   ///< http:// or https://, checked by the compiler (E0408)
  /// Per attempt, from the moment the request is handed to libcurl to the
  /// last byte of the answer (connecting included). Must be > 0.
  std::int64_t timeout_us = kDefaultExecTimeoutUs;
  /// Retries after the first attempt, for the failures that allow one.
  std::uint32_t retry = kDefaultExecRetry;
  /// Delay before attempt n+1: min(backoff_us × 2^(n−1), max(backoff_cap_us,
  /// backoff_us)), or what the answer's Retry-After asks (up to
  /// kMaxRetryAfterUs) when that is longer.
  std::int64_t backoff_us = kDefaultExecBackoffUs;
  std::int64_t backoff_cap_us = kDefaultExecBackoffCapUs;
  /// Requests in flight at once to this service (>= 1); the rest queue FIFO.
  std::uint32_t concurrency = kDefaultExecConcurrency;
};

/// The log sink and the validator run inside HttpRunner::run(); they must
/// not call back into the runner.
struct HttpRunnerOptions {
  /// Notes of the runner ("[Name] flowrt: ..."); default: std::cerr.
  std::function<void(std::string_view)> log;
  /// Checks a successful answer's events, as for exec services (the index
  /// is the http service's); default: every answer is accepted.
  EmitValidator validator;
  /// An answer body longer than this fails the attempt (as malformed);
  /// memory per request stays bounded by it.
  std::size_t max_answer_body = 16u << 20;
  /// Sent as User-Agent.
  std::string user_agent = "flowrt";
};

}  // namespace flow::runtime
