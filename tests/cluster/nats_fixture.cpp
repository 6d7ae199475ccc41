// Helpers for the cluster tests (see nats_fixture.h).
#include "nats_fixture.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "cluster/nats_connection.h"
#include "cluster/nats_error.h"
#include "cluster/nats_handles.h"
#include "cluster/stream_setup.h"

extern char** environ;

namespace flow::cluster::test {

namespace {

/// A port the kernel just had free on 127.0.0.1.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

std::optional<std::filesystem::path> find_nats_server() {
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/usr/local/sbin";
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t colon = path.find(':', start);
    if (colon == std::string::npos) colon = path.size();
    if (colon > start) {
      std::filesystem::path candidate = std::filesystem::path(path.substr(start, colon - start)) / "nats-server";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = colon + 1;
  }
  return std::nullopt;
}

pid_t spawn_process(const std::vector<std::string>& argv, const std::filesystem::path& log,
                    const std::vector<std::string>& env) {
  // Everything the child needs is prepared before fork(): the test process
  // has NATS client threads, so the child may only exec.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log.string());
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::close_range(3, ~0u, 0);  // not the test's NATS sockets
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  ::close(log_fd);
  if (pid < 0) throw std::runtime_error("fork() failed");
  return pid;
}

int kill_and_wait(pid_t pid, int sig, std::chrono::milliseconds grace) {
  ::kill(pid, sig);
  const auto until = std::chrono::steady_clock::now() + grace;
  int status = 0;
  while (std::chrono::steady_clock::now() < until) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return status;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit, const std::function<void()>& step) {
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (step) step();
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

NatsServers::NatsServers(int count) {
  auto binary = find_nats_server();
  if (!binary) throw std::runtime_error("nats-server is not on PATH");
  binary_ = *binary;
  servers_.resize(static_cast<std::size_t>(count));
  for (auto& server : servers_) {
    server.client_port = free_port();
    server.cluster_port = count > 1 ? free_port() : 0;
  }
  for (int i = 0; i < count; ++i) start(i);
  wait_for_jetstream();
}

NatsServers::~NatsServers() {
  for (int i = 0; i < static_cast<int>(servers_.size()); ++i) stop(i);
}

std::string NatsServers::url(int server) const {
  return "nats://127.0.0.1:" + std::to_string(servers_.at(static_cast<std::size_t>(server)).client_port);
}

std::string NatsServers::urls() const {
  std::string out;
  for (int i = 0; i < static_cast<int>(servers_.size()); ++i) out += (i ? "," : "") + url(i);
  return out;
}

std::vector<std::string> NatsServers::arguments(int server) const {
  const auto& s = servers_.at(static_cast<std::size_t>(server));
  const std::string name = "n" + std::to_string(server);
  std::vector<std::string> args{binary_.string(),
                                "-a",
                                "127.0.0.1",
                                "-p",
                                std::to_string(s.client_port),
                                "-js",
                                "-sd",
                                (dir_.path() / name).string(),
                                "--server_name",
                                name};
  if (servers_.size() > 1) {
    std::string routes;
    for (const auto& other : servers_) {
      routes += (routes.empty() ? "" : ",") + std::string("nats://127.0.0.1:") + std::to_string(other.cluster_port);
    }
    args.insert(args.end(), {"--cluster_name", "flowtest", "--cluster",
                             "nats://127.0.0.1:" + std::to_string(s.cluster_port), "--routes", routes});
  }
  return args;
}

void NatsServers::start(int server) {
  auto& s = servers_.at(static_cast<std::size_t>(server));
  if (s.pid > 0) return;
  s.pid = spawn_process(arguments(server), dir_.path() / ("n" + std::to_string(server) + ".log"));
}

void NatsServers::stop(int server) {
  auto& s = servers_.at(static_cast<std::size_t>(server));
  if (s.pid <= 0) return;
  kill_and_wait(s.pid, SIGTERM);
  s.pid = -1;
}

void NatsServers::wait_for_jetstream() const {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string last_error = "no answer";
  while (std::chrono::steady_clock::now() < until) {
    try {
      NatsConnectOptions options;
      options.urls = urls();
      options.connect_timeout = std::chrono::milliseconds(500);
      // Short: a request sent before the cluster has a leader goes
      // unanswered, and the next try should not wait long.
      options.api_timeout = std::chrono::milliseconds(300);
      NatsConnection nats(options);
      // A cluster is ready when it can place a stream on every server.
      const natsStatus status =
          add_plain_stream(nats, "FLOWTEST_PROBE", "flowtest.probe", static_cast<int>(servers_.size()));
      if (status == NATS_OK) {
        js_DeleteStream(nats.js(), "FLOWTEST_PROBE", nullptr, nullptr);
        return;
      }
      last_error = nats_failure_text(status);
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("JetStream did not come up: " + last_error);
}

natsStatus add_plain_stream(const NatsConnection& nats, const char* name, const char* subject, int replicas) {
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = name;
  config.Subjects = &subject;
  config.SubjectsLen = 1;
  config.Storage = js_MemoryStorage;
  config.Replicas = replicas;
  jsStreamInfo* raw = nullptr;
  const natsStatus status = js_AddStream(&raw, nats.js(), &config, nullptr, nullptr);
  StreamInfoHandle info(raw);
  return status;
}

NatsServers& shared_cluster() {
  static NatsServers servers(3);
  static const bool streams_made = [] {
    NatsConnectOptions options;
    options.urls = servers.urls();
    NatsConnection admin(options);
    ensure_cluster_streams(admin, {kSharedClusterPartitions, 3});
    return true;
  }();
  (void)streams_made;
  return servers;
}

}  // namespace flow::cluster::test
