// ExecRunner: drives the `exec` service processes of runtime.md §3 — starts
// each service lazily and keeps it running, writes one request line per
// delivery, matches answers (in any order) to deliveries, enforces timeouts
// and concurrency, retries with backoff, restarts dead processes without
// spinning, forwards stderr to the log, and reports every attempt so the
// runtime can journal it.
//
// Single-threaded and event-loop shaped: the runtime calls submit() and
// poll() from its main loop; nothing here blocks except poll() (up to its
// timeout) and shutdown(). Not thread-safe.
//
// Policies (details at each config field):
//  - Attempts: a delivery gets 1 + retry attempts; all carry the same
//    delivery id. Failure kinds: `error` answer, timeout, malformed output,
//    validator rejection, process death, start failure.
//  - Order: a retry whose backoff has passed goes before fresh deliveries;
//    fresh deliveries start in submission order (FIFO).
//  - Timeout: the attempt fails, and the process is killed (its whole
//    process group, SIGKILL) because an unresponsive process cannot be
//    trusted to answer later. The other deliveries in flight on it are not
//    charged for it: they are sent again, first, to the next process, with
//    their attempt number unchanged and no outcome reported for the cut
//    attempt (a runner note is logged; stats().resent counts them).
//  - Process death (exit, EOF on its stdout, EPIPE on its stdin): with one
//    delivery in flight, that attempt fails (ProcessDied). With several,
//    the death cannot be pinned on one: none is charged, and they are sent
//    again one at a time (the service's concurrency is 1 until each has
//    been attempted alone), so that a delivery that kills its process fails
//    alone and the others go through. Restarts are lazy (only when there is
//    work) and throttled: after deaths without one valid answer in between,
//    the n-th restart waits min(restart_backoff × 2^(n−1), cap).
//  - Malformed answer with the id of a delivery in flight: that delivery
//    fails. A line that cannot be attributed (not JSON with a string id, an
//    unknown id, or longer than max_answer_line) is logged; if the service's
//    concurrency is 1 and a delivery is in flight, that delivery fails (it is
//    the only one the output can belong to). Blank lines are ignored.
//  - An answer for a delivery that is not in flight (already settled, or
//    waiting for its retry) is logged and ignored.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "services/attempt_outcome.h"
#include "services/exec_config.h"

namespace flow::runtime {

struct ExecServiceStats {
  std::uint64_t starts = 0;          ///< processes started
  std::uint64_t start_failures = 0;  ///< spawns that failed
  std::uint64_t deaths = 0;          ///< processes that exited or were killed while running
  std::uint64_t attempts = 0;        ///< attempts charged to deliveries
  std::uint64_t resent = 0;          ///< attempts cut short by another's failure and sent again uncharged
  std::uint64_t delivered = 0;
  std::uint64_t dead_lettered = 0;
  pid_t pid = 0;  ///< the running process, 0 if none
};

class ExecRunner {
 public:
  /// Throws std::invalid_argument for a config that cannot work (empty name
  /// or command, timeout <= 0, negative backoff, concurrency 0).
  /// Sets SIGPIPE to ignored if the program left it at its default.
  explicit ExecRunner(std::vector<ExecServiceConfig> services, ExecRunnerOptions options = {});
  /// Kills (SIGKILL) and reaps whatever still runs; call shutdown() first
  /// for an orderly end.
  ~ExecRunner();
  ExecRunner(const ExecRunner&) = delete;
  ExecRunner& operator=(const ExecRunner&) = delete;

  std::size_t service_count() const;
  const ExecServiceConfig& service(std::size_t service_index) const;
  std::optional<std::size_t> find_service(std::string_view name) const;

  /// Queues a delivery of `event_json` (one valid JSON value) to a service.
  /// Does no I/O: the next poll() starts it. Throws std::out_of_range for a
  /// bad index, std::invalid_argument when `delivery_id` is empty or still
  /// unsettled at that service, std::logic_error after shutdown().
  void submit(std::size_t service_index, std::string delivery_id, std::string_view event_json);

  /// Runs timers and I/O until at least one outcome is appended to `out` or
  /// `timeout_ms` has passed (0: one non-blocking pass; < 0: no limit, but
  /// returns at once when idle()), or one of `wake_fds` is readable (the
  /// caller's own work, such as the http runner's: waited on in the same
  /// poll(2), so neither side busy-waits). Returns how many outcomes it
  /// appended.
  std::size_t poll(int timeout_ms, std::vector<AttemptOutcome>& out, std::span<const int> wake_fds = {});

  std::size_t in_flight() const;  ///< attempts written to a process and awaiting an answer
  std::size_t pending() const;    ///< unsettled deliveries: queued, in flight or waiting to retry
  bool idle() const { return pending() == 0; }
  ExecServiceStats stats(std::size_t service_index) const;

  /// Ends the runner. Every unsettled delivery is reported in `out` as
  /// Cancelled/Abandoned (the runtime can deliver it again on its next
  /// start). Each process then gets EOF on its stdin and up to `grace` to
  /// exit (its stderr still reaches the log), then SIGTERM to its process
  /// group, then SIGKILL half a second later; all are reaped. Idempotent.
  void shutdown(std::chrono::milliseconds grace, std::vector<AttemptOutcome>& out);
  /// The same, for when idle() (nothing to report); outcomes are dropped.
  void shutdown(std::chrono::milliseconds grace);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace flow::runtime
