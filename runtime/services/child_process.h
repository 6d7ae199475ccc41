// Starting, signalling and reaping one service process: `/bin/sh -c command`
// in its own process group, with its stdin/stdout/stderr on non-blocking
// pipes. Every descriptor the parent keeps is O_CLOEXEC, and the child gets
// nothing above fd 2, so service processes never hold each other's pipes
// (which would hide a dead service's EOF) or the runtime's journal files.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

namespace flow::runtime {

/// An owned file descriptor, closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release();
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

struct ChildProcess {
  pid_t pid = -1;       ///< also the process group id
  UniqueFd stdin_fd;    ///< write end, non-blocking
  UniqueFd stdout_fd;   ///< read end, non-blocking
  UniqueFd stderr_fd;   ///< read end, non-blocking
  /// Readable once the child has exited (Linux pidfd); empty where the
  /// kernel has none, and then the caller must poll peek_exit().
  UniqueFd pid_fd;
};

/// How a child ended.
struct ExitInfo {
  bool signaled = false;
  int code = 0;       ///< exit status, or the signal number when `signaled`
  bool known = true;  ///< false: reaped by someone else (SIGCHLD set to SIG_IGN)

  std::string describe() const;  ///< "exited with status 3" / "was killed by signal 9 (Killed)"
};

/// Starts `/bin/sh -c command` with `working_dir` (empty: ours) as its
/// working directory, in a new process group, with default signal
/// dispositions and an empty signal mask. Returns nullopt and sets `error` on
/// failure.
/// `want_pidfd`: open a pidfd for it (where the kernel can).
std::optional<ChildProcess> spawn_shell(const std::string& command, const std::filesystem::path& working_dir,
                                        bool want_pidfd, std::string& error);

/// Whether the child has terminated, without reaping it: an unreaped child
/// keeps its pid — and so its process group id — from being reused, which
/// makes a following kill_group() safe.
std::optional<ExitInfo> peek_exit(pid_t pid);
/// Reaps the child if it has terminated; nullopt if it is still running.
std::optional<ExitInfo> try_reap(pid_t pid);
/// Reaps the child, waiting for it. Only for children already sent SIGKILL.
ExitInfo reap_blocking(pid_t pid);
/// Sends `sig` to the child's whole process group (grandchildren included).
/// Must be called before the child is reaped.
void kill_group(pid_t pid, int sig);
/// Waits up to `timeout_ms` for `fd` to become readable (used on a pidfd).
bool wait_readable(int fd, int timeout_ms);

/// Ignores SIGPIPE process-wide unless the program already chose a
/// disposition: a service that dies must surface as EPIPE on its stdin, not
/// kill the runtime. Children get SIGPIPE back at its default (spawn_shell).
void ignore_sigpipe_once();

}  // namespace flow::runtime
