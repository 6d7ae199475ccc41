// Configuration of the exec-service runner (runtime.md §3): one
// ExecServiceConfig per `exec` service, and the runner-wide ExecRunnerOptions
// (log sink, emit validator, clocks, restart throttle, line limits).
//
// Deliberately compiler-free: the runtime maps a checked ServiceDecl
// (timeout_us / retry / backoff_us / concurrency, -1 = not given) onto this
// struct, using the k* defaults below for what the source left out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/attempt_outcome.h"

namespace flow::runtime {

/// Defaults for what a service declaration leaves out.
inline constexpr std::int64_t kDefaultExecTimeoutUs = 30'000'000;     ///< 30 s per attempt
inline constexpr std::uint32_t kDefaultExecRetry = 0;                ///< one attempt only
inline constexpr std::int64_t kDefaultExecBackoffUs = 1'000'000;      ///< 1 s before the first retry
inline constexpr std::int64_t kDefaultExecBackoffCapUs = 60'000'000;  ///< retry delays never exceed 60 s
inline constexpr std::uint32_t kDefaultExecConcurrency = 1;

struct ExecServiceConfig {
  std::string name;     ///< used in logs ("[Name] ...") and outcomes
  std::string command;  ///< run as `/bin/sh -c command`
  /// Working directory of the process (the .flow file's folder); empty: the
  /// runtime's own working directory.
  std::filesystem::path working_dir;
  /// Per attempt, counted from the moment the request line is handed to the
  /// process (time spent queued does not count). Must be > 0.
  std::int64_t timeout_us = kDefaultExecTimeoutUs;
  /// Retries after the first attempt; attempt retry+1 failing dead-letters.
  std::uint32_t retry = kDefaultExecRetry;
  /// Delay before attempt n+1 after attempt n failed:
  /// min(backoff_us × 2^(n−1), max(backoff_cap_us, backoff_us)).
  std::int64_t backoff_us = kDefaultExecBackoffUs;
  std::int64_t backoff_cap_us = kDefaultExecBackoffCapUs;
  /// Deliveries in flight at once to this service (>= 1); the rest queue FIFO.
  std::uint32_t concurrency = kDefaultExecConcurrency;
};

enum class LogKind : std::uint8_t {
  ServiceStderr,  ///< a line the service wrote to its stderr
  RunnerNote,     ///< something the runner observed (exit, malformed output, late answer)
};

/// One log line, already prefixed: "[Name] text" for stderr lines,
/// "[Name] flowrt: text" for the runner's own notes. `line` is only valid
/// during the sink call; stderr text is passed on byte for byte (it need not
/// be UTF-8), without the newline.
struct LogLine {
  LogKind kind = LogKind::ServiceStderr;
  std::size_t service_index = 0;
  std::string_view line;
};

using ExecLogSink = std::function<void(const LogLine&)>;

/// Why the validator refused an answer: `status` is UndeclaredEvent (a type
/// the service does not publish) or InvalidEvent (a payload not valid for
/// its type); `reason` says which event and how, for people.
struct EmitRejection {
  AttemptStatus status = AttemptStatus::InvalidEvent;
  std::string reason;
};

/// Checks a successful answer's emitted events against what the service
/// declares (types in `publishes`, payload valid for the type). Returns the
/// rejection when the answer must be refused (a failed attempt), nullopt
/// when it is fine. An exception thrown here counts as an InvalidEvent.
using EmitValidator =
    std::function<std::optional<EmitRejection>(std::size_t service_index, const std::vector<RawEmit>&)>;

/// Microseconds on some clock.
using ClockFn = std::function<std::int64_t()>;

/// The log sink and the validator run inside ExecRunner::poll(); they must
/// not call back into the runner.
struct ExecRunnerOptions {
  ExecLogSink log;          ///< default: each line to std::cerr
  EmitValidator validator;  ///< default: every answer is accepted
  /// Drives timeouts, retry backoff and restart throttling. Default:
  /// std::chrono::steady_clock. Tests inject a fake one.
  ClockFn monotonic_now_us;
  /// Stamps attempt start/end in outcomes (µs since the Unix epoch, like
  /// event times). Default: std::chrono::system_clock.
  ClockFn wall_now_us;
  /// Crash-loop throttle: after a process dies without having given one
  /// valid answer, the next start waits min(base × 2^(streak−1), cap), where
  /// streak counts such deaths in a row (reset by any valid answer).
  std::int64_t restart_backoff_us = 100'000;
  std::int64_t restart_backoff_cap_us = 30'000'000;
  /// An answer line longer than this is discarded as malformed
  /// (unattributable); memory per process stays bounded by it.
  std::size_t max_answer_line = 16u << 20;
  /// A stderr line longer than this is cut (the rest of it is dropped).
  std::size_t max_log_line = 4096;
  /// Notice process exits through Linux pidfds (exact, no wake-ups). Where
  /// the kernel has none, or when false, exits are noticed by checking
  /// every 50 ms instead.
  bool use_pidfd = true;
};

}  // namespace flow::runtime
