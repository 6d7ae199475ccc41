// The process side of ExecRunner: starting service processes, writing
// requests, reading answers and stderr, waiting on all pipes with poll(2),
// and noticing, ending and reaping processes that die or are given up on.
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <thread>

#include "services/backoff.h"
#include "services/exec_runner_state.h"
#include "services/text_snippet.h"

namespace flow::runtime {

namespace {

// How long a process that closed its stdout or stdin gets to finish exiting
// before it is killed: long enough to collect its real exit status (exit
// closes the pipes a moment before the process becomes a zombie), short
// enough not to stall the loop.
constexpr int kBrokenExitWaitMs = 50;

// Bytes read from one pipe per wake-up, so one chatty service cannot starve
// the others.
constexpr int kReadRoundsPerWake = 16;

}  // namespace

bool ExecRunner::State::start_process(std::size_t svc, std::string& error) {
  ServiceState& s = services[svc];
  std::optional<ChildProcess> child = spawn_shell(s.config.command, s.config.working_dir, options.use_pidfd, error);
  if (!child) {
    ++s.stats.start_failures;
    log(svc, LogKind::RunnerNote, error);
    return false;
  }
  s.stats.pid = child->pid;
  ++s.stats.starts;
  s.process.emplace(std::move(*child), options.max_answer_line, options.max_log_line);
  return true;
}

void ExecRunner::State::flush_writes(std::size_t svc) {
  ServiceProcess& p = *services[svc].process;
  while (p.out_off < p.outbuf.size()) {
    if (!p.child.stdin_fd) return;
    const ssize_t n = ::write(p.child.stdin_fd.get(), p.outbuf.data() + p.out_off, p.outbuf.size() - p.out_off);
    if (n > 0) {
      p.out_off += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;  // the pipe is full; poll() says when it has room
    } else {
      // EPIPE: nothing reads its stdin any more (SIGPIPE is ignored).
      if (p.broken.empty()) p.broken = "closed its stdin (" + std::system_category().message(errno) + ")";
      p.child.stdin_fd.reset();
      return;
    }
  }
  p.outbuf.clear();
  p.out_off = 0;
}

void ExecRunner::State::on_stdout_line(std::size_t svc, std::string_view line, std::size_t cut) {
  if (!draining) handle_answer(svc, line, cut);
}

void ExecRunner::State::on_stderr_line(std::size_t svc, std::string_view line, std::size_t cut) const {
  if (cut == 0) {
    log(svc, LogKind::ServiceStderr, line);
    return;
  }
  // The splitter cut at a byte count; do not leave half a UTF-8 sequence.
  log(svc, LogKind::ServiceStderr,
      std::string(drop_incomplete_utf8_tail(line)) + "... (" + std::to_string(cut) + " more bytes cut)");
}

bool ExecRunner::State::read_stream(std::size_t svc, Stream stream) {
  ServiceProcess& p = *services[svc].process;
  const bool is_stdout = stream == Stream::Stdout;
  UniqueFd& fd = is_stdout ? p.child.stdout_fd : p.child.stderr_fd;
  LineSplitter& lines = is_stdout ? p.stdout_lines : p.stderr_lines;
  const LineSplitter::Sink sink = [&](std::string_view line, std::size_t cut) {
    if (is_stdout)
      on_stdout_line(svc, line, cut);
    else
      on_stderr_line(svc, line, cut);
  };
  char buf[65536];
  for (int round = 0; round < kReadRoundsPerWake; ++round) {
    if (!fd) return false;
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n > 0) {
      lines.feed(std::string_view(buf, static_cast<std::size_t>(n)), sink);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    // End of stream (or a read error, which means the same here). A last
    // line without a newline still counts.
    lines.finish(sink);
    fd.reset();
    // A service that closes its stdout can never answer again. (Closing
    // stderr is its own business.) While draining, we just wait for exit.
    if (is_stdout && !draining && p.broken.empty()) p.broken = "closed its stdout";
    return false;
  }
  return true;
}

void ExecRunner::State::end_process(std::size_t svc, EndKind kind, const std::string& detail) {
  ServiceState& s = services[svc];
  if (!s.process) return;
  ServiceProcess& p = *s.process;
  // Whatever it wrote before going still counts: answers first, then the
  // deliveries still unanswered fail.
  // (A process killed for a timeout gets the same chance: only the timed-out
  // delivery is past saving.)
  while (read_stream(svc, Stream::Stdout)) {
  }
  while (read_stream(svc, Stream::Stderr)) {
  }
  p.stdout_lines.finish([&](std::string_view line, std::size_t cut) { on_stdout_line(svc, line, cut); });
  p.stderr_lines.finish([&](std::string_view line, std::size_t cut) { on_stderr_line(svc, line, cut); });

  const pid_t pid = p.child.pid;
  std::optional<ExitInfo> exit = peek_exit(pid);
  if (!exit && kind == EndKind::Broken) {
    if (p.child.pid_fd) {
      wait_readable(p.child.pid_fd.get(), kBrokenExitWaitMs);
    } else {
      for (int i = 0; i < kBrokenExitWaitMs / 5 && !exit; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        exit = peek_exit(pid);
      }
    }
    if (!exit) exit = peek_exit(pid);
  }
  // The leader is not reaped yet, so its pid (the group id) is still ours:
  // this reaches any grandchildren too, and is harmless if all are gone.
  kill_group(pid, SIGKILL);

  std::string what;
  if (kind == EndKind::Killed)
    what = detail;
  else if (exit)
    what = "process " + exit->describe();
  else
    what = "process " + detail + "; killed";
  if (!try_reap(pid)) zombies.push_back(pid);

  // At shutdown, exiting (or dying of our SIGTERM) is what was asked for.
  const bool quiet = draining && exit && (exit->signaled ? exit->code == SIGTERM : exit->code == 0);
  if (!quiet) log(svc, LogKind::RunnerNote, what);
  ++s.stats.deaths;
  s.stats.pid = 0;
  const bool answered = p.answered;
  s.process.reset();

  // Killed for another delivery's timeout, the deliveries still in flight
  // did nothing wrong. A death of its own is charged to the delivery in
  // flight when there is one; with several it is not known which (if any)
  // caused it, so each goes again alone.
  const std::vector<std::string> unanswered = s.in_flight;
  if (kind == EndKind::Killed) {
    for (const std::string& id : unanswered) resend(svc, id, false, what);
  } else if (unanswered.size() == 1) {
    fail_attempt(svc, unanswered.front(), AttemptStatus::ProcessDied, what);
  } else {
    for (const std::string& id : unanswered)
      resend(svc, id, true, what + " with " + std::to_string(unanswered.size()) + " deliveries in flight");
  }

  // Crash-loop throttle: a process that dies without ever answering waits
  // longer before each restart; one that answered may restart at once.
  if (answered) {
    s.crash_streak = 0;
    s.restart_not_before = 0;
  } else {
    ++s.crash_streak;
    s.restart_not_before =
        mono() + exponential_backoff_us(options.restart_backoff_us, options.restart_backoff_cap_us, s.crash_streak);
  }
}

void ExecRunner::State::end_finished_processes() {
  for (std::size_t i = 0; i < services.size(); ++i) {
    ServiceState& s = services[i];
    if (!s.process) continue;
    if (!s.process->child.pid_fd && !s.process->exited && peek_exit(s.process->child.pid)) s.process->exited = true;
    if (s.process->exited)
      end_process(i, EndKind::Exited, {});
    else if (!s.process->broken.empty())
      end_process(i, EndKind::Broken, s.process->broken);
  }
}

bool ExecRunner::State::io_wait(int timeout_ms, std::span<const int> wake_fds) {
  std::vector<pollfd> fds;
  std::vector<std::pair<std::size_t, Stream>> owners;
  const auto watch = [&](std::size_t svc, const UniqueFd& fd, short events, Stream stream) {
    if (!fd) return;
    fds.push_back(pollfd{fd.get(), events, 0});
    owners.emplace_back(svc, stream);
  };
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (!services[i].process) continue;
    const ServiceProcess& p = *services[i].process;
    watch(i, p.child.stdout_fd, POLLIN, Stream::Stdout);
    watch(i, p.child.stderr_fd, POLLIN, Stream::Stderr);
    if (p.out_off < p.outbuf.size()) watch(i, p.child.stdin_fd, POLLOUT, Stream::Stdin);
    watch(i, p.child.pid_fd, POLLIN, Stream::PidFd);
  }
  const std::size_t own = fds.size();
  for (const int fd : wake_fds) fds.push_back(pollfd{fd, POLLIN, 0});
  const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
  if (ready <= 0) {
    end_finished_processes();  // also covers kernels without pidfd
    return false;
  }
  bool woken = false;
  for (std::size_t k = own; k < fds.size(); ++k) woken |= fds[k].revents != 0;
  for (std::size_t k = 0; k < own; ++k) {
    if (fds[k].revents == 0) continue;
    const auto [svc, stream] = owners[k];
    if (!services[svc].process) continue;
    switch (stream) {
      case Stream::Stdout:
      case Stream::Stderr: read_stream(svc, stream); break;
      case Stream::Stdin: flush_writes(svc); break;
      case Stream::PidFd: services[svc].process->exited = true; break;
    }
  }
  end_finished_processes();
  return woken;
}

void ExecRunner::State::reap_zombies() {
  std::erase_if(zombies, [](pid_t pid) { return try_reap(pid).has_value(); });
}

bool ExecRunner::State::needs_frequent_wakeups() const {
  if (!zombies.empty()) return true;
  return std::any_of(services.begin(), services.end(),
                     [](const ServiceState& s) { return s.process && !s.process->child.pid_fd; });
}

}  // namespace flow::runtime
