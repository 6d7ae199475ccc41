// Helpers for the cluster tests: finding nats-server, starting one
// JetStream server or a three-server JetStream cluster on free loopback
// ports with stores in a scratch folder (and stopping, restarting and
// removing them), and waiting for a condition with a bound.
#pragma once

#include <nats/nats.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "../services/runner_fixture.h"

namespace flow::cluster {
class NatsConnection;
}

namespace flow::cluster::test {

/// A fresh folder, removed with its contents at the end (the exec runner
/// tests' own).
using ScratchDir = flow::runtime::test::ScratchDir;

/// nats-server on PATH (or in /usr/sbin, where Debian puts it).
std::optional<std::filesystem::path> find_nats_server();

/// `count` nats-servers with JetStream: one standalone server, or (count
/// 3) a cluster. The constructor returns once JetStream answers.
class NatsServers {
 public:
  explicit NatsServers(int count);
  ~NatsServers();
  NatsServers(const NatsServers&) = delete;
  NatsServers& operator=(const NatsServers&) = delete;

  /// Every server's client URL, comma-separated.
  std::string urls() const;
  std::string url(int server) const;
  /// Stops one server (SIGTERM, then SIGKILL) / starts it again on the
  /// same ports and store.
  void stop(int server);
  void start(int server);
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  struct Server {
    int client_port = 0;
    int cluster_port = 0;
    pid_t pid = -1;
  };
  std::vector<std::string> arguments(int server) const;
  void wait_for_jetstream() const;

  ScratchDir dir_;
  std::filesystem::path binary_;
  std::vector<Server> servers_;
};

inline constexpr std::uint32_t kSharedClusterPartitions = 6;

/// One three-server cluster for the tests that need one, started on first
/// use with Flow's streams made (kSharedClusterPartitions partitions, three
/// replicas) and stopped at exit: a cluster takes a second or two to start
/// and to place replicated streams. Its tests use different partitions.
NatsServers& shared_cluster();

/// Adds a one-subject stream in memory; JetStream's answer.
natsStatus add_plain_stream(const NatsConnection& nats, const char* name, const char* subject, int replicas);

/// Runs `step` (if any) and checks `done` until it holds or `limit` has
/// passed; returns done().
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit,
                const std::function<void()>& step = {});

/// Starts `argv` with stdout and stderr appended to `log` and extra
/// environment `env` ("NAME=value"); returns its pid.
pid_t spawn_process(const std::vector<std::string>& argv, const std::filesystem::path& log,
                    const std::vector<std::string>& env = {});
/// Sends `sig` and waits for the process; returns its wait status.
int kill_and_wait(pid_t pid, int sig, std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

}  // namespace flow::cluster::test
