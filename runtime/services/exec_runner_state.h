// Internal state of ExecRunner (exec_runner.h), shared by its three source
// files: exec_runner.cpp (public API, poll loop, shutdown), exec_attempts.cpp
// (queues, attempts, answers, retries) and exec_process_io.cpp (processes,
// pipes, deaths). Not part of the library's interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "services/child_process.h"
#include "services/exec_protocol.h"
#include "services/exec_runner.h"
#include "services/line_splitter.h"

namespace flow::runtime {

/// One unsettled delivery at one service.
struct Delivery {
  std::string id;
  std::uint64_t seq = 0;  ///< submission order
  std::string request;    ///< the encoded request line, the same for every attempt
  std::uint32_t attempts = 0;
  /// In flight when its process died with other deliveries in flight: not
  /// charged, it is attempted again alone (ServiceState::suspects).
  bool suspect = false;
  // The current attempt, while in_flight.
  bool in_flight = false;
  std::int64_t started_mono = 0;
  std::int64_t started_wall = 0;
  std::int64_t deadline = 0;  ///< monotonic
};

/// A running service process and its buffers.
struct ServiceProcess {
  ServiceProcess(ChildProcess c, std::size_t max_answer_line, std::size_t max_log_line)
      : child(std::move(c)), stdout_lines(max_answer_line), stderr_lines(max_log_line) {}

  ChildProcess child;
  std::string outbuf;  ///< request bytes not yet accepted by the pipe
  std::size_t out_off = 0;
  LineSplitter stdout_lines;
  LineSplitter stderr_lines;
  bool answered = false;  ///< gave at least one valid answer (for the crash-loop throttle)
  bool exited = false;    ///< its pidfd fired, or peek_exit() saw it gone
  std::string broken;     ///< why it must be ended though it may still run (EOF on stdout, EPIPE)
};

/// The ids of recently settled deliveries, so a late or duplicate answer can
/// be told apart from output that belongs to nothing. Bounded.
class RecentIds {
 public:
  explicit RecentIds(std::size_t capacity) : capacity_(capacity) {}
  void add(const std::string& id);
  bool contains(const std::string& id) const { return set_.count(id) != 0; }

 private:
  std::size_t capacity_;
  std::deque<std::string> order_;
  std::unordered_set<std::string> set_;
};

struct ServiceState {
  explicit ServiceState(ExecServiceConfig c) : config(std::move(c)) {}

  ExecServiceConfig config;
  std::unordered_map<std::string, Delivery> deliveries;  ///< every unsettled one, by id
  std::deque<std::string> fresh;                         ///< never attempted, FIFO
  /// Failed, waiting for their next attempt: (not before, seq) -> id.
  std::map<std::pair<std::int64_t, std::uint64_t>, std::string> retry_due;
  std::vector<std::string> in_flight;  ///< ids, at most slots()
  /// Suspects not yet attempted alone. While there are any, one delivery at
  /// a time is in flight, so that the next death has one culprit.
  std::size_t suspects = 0;
  std::optional<ServiceProcess> process;
  std::uint32_t crash_streak = 0;       ///< deaths in a row without a valid answer
  std::int64_t restart_not_before = 0;  ///< monotonic
  RecentIds recent{1024};
  ExecServiceStats stats;

  /// How many deliveries may be in flight now.
  std::size_t slots() const { return suspects > 0 ? 1 : config.concurrency; }
};

enum class Stream : std::uint8_t { Stdin, Stdout, Stderr, PidFd };

/// Why end_process() is called.
enum class EndKind : std::uint8_t {
  Exited,  ///< the process is known to have terminated
  Broken,  ///< it closed a pipe; give it a moment to exit, then kill it
  Killed,  ///< the runner gave up on it (timeout): kill at once
};

struct ExecRunner::State {
  ExecRunnerOptions options;
  std::vector<ServiceState> services;
  std::vector<AttemptOutcome> outbox;  ///< produced since poll() began
  std::vector<pid_t> zombies;          ///< killed, not yet reaped
  AnswerParser parser;
  std::uint64_t next_seq = 0;
  bool shut_down = false;
  bool draining = false;  ///< shutting down: stdout is read and discarded

  std::int64_t mono() const { return options.monotonic_now_us(); }
  std::int64_t wall() const { return options.wall_now_us(); }
  void log(std::size_t svc, LogKind kind, std::string_view text) const;
  std::size_t pending() const;
  bool any_process() const;
  /// Runs I/O (stderr to the log, stdout discarded) until every process has
  /// exited or `until_ms_from_now` has passed; for shutdown.
  void wait_for_exits(std::int64_t until_ms_from_now);

  // exec_attempts.cpp
  void step();
  void check_timeouts(std::size_t svc, std::int64_t now);
  void dispatch(std::size_t svc, std::int64_t now);
  void begin_attempt(std::size_t svc, Delivery& d, std::int64_t now);
  void fail_attempt(std::size_t svc, const std::string& id, AttemptStatus status, std::string error,
                    std::vector<RawEmit> emits = {});
  void succeed(std::size_t svc, const std::string& id, std::vector<RawEmit> emits);
  /// Takes an in-flight delivery back without charging it an attempt (its
  /// process ended for reasons not its own) and queues it to go again
  /// first; a suspect goes alone.
  void resend(std::size_t svc, const std::string& id, bool suspect, const std::string& why);
  void handle_answer(std::size_t svc, std::string_view line, std::size_t cut);
  void unattributable(std::size_t svc, const std::string& reason, std::string_view line);
  std::int64_t next_timer() const;

  // exec_process_io.cpp
  bool start_process(std::size_t svc, std::string& error);
  void flush_writes(std::size_t svc);
  /// Reads what is available; true if it stopped at its per-wake limit
  /// with more possibly waiting.
  bool read_stream(std::size_t svc, Stream stream);
  void on_stdout_line(std::size_t svc, std::string_view line, std::size_t cut);
  void on_stderr_line(std::size_t svc, std::string_view line, std::size_t cut) const;
  void end_process(std::size_t svc, EndKind kind, const std::string& detail);
  void end_finished_processes();
  /// Waits for the processes' pipes (and `wake_fds`) up to `timeout_ms`
  /// and does the I/O; true when one of `wake_fds` is readable.
  bool io_wait(int timeout_ms, std::span<const int> wake_fds = {});
  void reap_zombies();
  bool needs_frequent_wakeups() const;
};

/// "250 ms", "30 s", "1500 us": durations as they appear in error texts.
std::string format_duration_us(std::int64_t us);

}  // namespace flow::runtime
