// Service process plumbing: pipes, posix_spawn, signals, reaping
// (see child_process.h).
#include "services/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>

extern char** environ;

namespace flow::runtime {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

int UniqueFd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

namespace {

std::string errno_text(int err) { return std::system_category().message(err); }

/// A pipe whose ends are O_CLOEXEC and above fd 2. If the runtime runs with a
/// closed stdin/stdout/stderr, pipe2() may hand out 0..2, and a dup2 of fd 0
/// onto 0 in the child would keep its close-on-exec flag.
bool make_pipe(UniqueFd& read_end, UniqueFd& write_end, std::string& error) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    error = "pipe: " + errno_text(errno);
    return false;
  }
  for (int& fd : fds) {
    if (fd > 2) continue;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    ::close(fd);
    fd = moved;
  }
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  if (!read_end || !write_end) {
    error = "pipe: " + errno_text(errno);
    return false;
  }
  return true;
}

bool set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

/// RAII for the posix_spawn attribute objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

ExitInfo from_siginfo(const siginfo_t& info) {
  ExitInfo exit;
  exit.signaled = info.si_code != CLD_EXITED;
  exit.code = info.si_status;
  return exit;
}

ExitInfo from_wait_status(int status) {
  ExitInfo exit;
  if (WIFSIGNALED(status)) {
    exit.signaled = true;
    exit.code = WTERMSIG(status);
  } else {
    exit.code = WEXITSTATUS(status);
  }
  return exit;
}

}  // namespace

std::string ExitInfo::describe() const {
  if (!known) return "has ended (exit status unknown)";
  if (!signaled) return "exited with status " + std::to_string(code);
  const char* name = ::strsignal(code);
  return "was killed by signal " + std::to_string(code) + (name ? std::string(" (") + name + ")" : "");
}

std::optional<ChildProcess> spawn_shell(const std::string& command, const std::filesystem::path& working_dir,
                                        bool want_pidfd, std::string& error) {
  std::error_code ec;
  if (!working_dir.empty() && !std::filesystem::is_directory(working_dir, ec)) {
    error = "working directory '" + working_dir.string() + "' does not exist";
    return std::nullopt;
  }
  ChildProcess child;
  UniqueFd child_stdin, child_stdout, child_stderr;
  if (!make_pipe(child_stdin, child.stdin_fd, error) || !make_pipe(child.stdout_fd, child_stdout, error) ||
      !make_pipe(child.stderr_fd, child_stderr, error))
    return std::nullopt;
  // Only the parent's ends are non-blocking; the service sees ordinary pipes.
  if (!set_nonblocking(child.stdin_fd.get()) || !set_nonblocking(child.stdout_fd.get()) ||
      !set_nonblocking(child.stderr_fd.get())) {
    error = "fcntl: " + errno_text(errno);
    return std::nullopt;
  }

  SpawnSetup setup;
  posix_spawn_file_actions_adddup2(&setup.actions, child_stdin.get(), 0);
  posix_spawn_file_actions_adddup2(&setup.actions, child_stdout.get(), 1);
  posix_spawn_file_actions_adddup2(&setup.actions, child_stderr.get(), 2);
  // Belt and braces for descriptors other parts of the runtime opened
  // without O_CLOEXEC.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3);
  if (!working_dir.empty()) posix_spawn_file_actions_addchdir_np(&setup.actions, working_dir.c_str());

  // Own process group: a timeout kill reaches the shell's children too, and
  // a Ctrl-C meant for the runtime does not hit the services before the
  // runtime can shut them down in order.
  posix_spawnattr_setpgroup(&setup.attr, 0);
  // Ignored signals survive exec; the runtime ignores SIGPIPE (and may ignore
  // others), which the service must not inherit.
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2})
    sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  sigset_t empty_mask;
  sigemptyset(&empty_mask);
  posix_spawnattr_setsigmask(&setup.attr, &empty_mask);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::string arg0 = "sh", arg1 = "-c", arg2 = command;
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, "/bin/sh", &setup.actions, &setup.attr, argv, environ);
  if (rc != 0) {
    error = "cannot start '/bin/sh -c " + command + "'" +
            (working_dir.empty() ? std::string() : " in '" + working_dir.string() + "'") + ": " + errno_text(rc);
    return std::nullopt;
  }
  child.pid = pid;
  // The pid cannot be reused before we reap it, so opening the pidfd after
  // the spawn is race-free.
  if (want_pidfd) {
    const long pidfd = ::syscall(SYS_pidfd_open, pid, 0);
    if (pidfd >= 0) child.pid_fd.reset(static_cast<int>(pidfd));
  }
  return child;
}

std::optional<ExitInfo> peek_exit(pid_t pid) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    // ECHILD: someone else reaped it (a SIGCHLD handler set to SIG_IGN); it is gone.
    if (errno == ECHILD) return ExitInfo{false, 0, false};
    return std::nullopt;
  }
  if (info.si_pid == 0) return std::nullopt;
  return from_siginfo(info);
}

std::optional<ExitInfo> try_reap(pid_t pid) {
  int status = 0;
  pid_t r;
  do r = ::waitpid(pid, &status, WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == pid) return from_wait_status(status);
  if (r < 0 && errno == ECHILD) return ExitInfo{false, 0, false};
  return std::nullopt;
}

ExitInfo reap_blocking(pid_t pid) {
  int status = 0;
  pid_t r;
  do r = ::waitpid(pid, &status, 0);
  while (r < 0 && errno == EINTR);
  if (r == pid) return from_wait_status(status);
  return ExitInfo{false, 0, false};
}

void kill_group(pid_t pid, int sig) {
  if (pid <= 0) return;
  // The group may already be empty of everything but the (zombie) leader.
  if (::kill(-pid, sig) != 0) ::kill(pid, sig);
}

bool wait_readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  int r;
  do r = ::poll(&p, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  return r > 0;
}

void ignore_sigpipe_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction old {};
    if (::sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL &&
        !(old.sa_flags & SA_SIGINFO)) {
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      sigemptyset(&ignore.sa_mask);
      ::sigaction(SIGPIPE, &ignore, nullptr);
    }
  });
}

}  // namespace flow::runtime
