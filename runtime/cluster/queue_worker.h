// `flowrt worker`: runs an exec-protocol program (runtime.md §3), unchanged,
// as a member of a NATS queue group (serve.md §1, "Services that are not
// local processes"). Each request on the subject is one delivery
// (worker_wire.h); the worker hands it to the program through the exec
// runner of `flowrt run` (services/exec_runner.h: one process kept running,
// restarted when it dies, per-delivery timeout, `concurrency` deliveries in
// flight) and replies with the answer.
//
// What a worker guarantees: a request is answered once, after the program
// answered it (or failed it: an error reply). It keeps nothing: a request it
// received but never answered — because it was killed, or was stopped and
// the drain time ran out — is simply not answered, and the requester's
// timeout sends it again (same delivery id) to another member of the group.
// So nothing is lost while one member lives, and a program may see a
// delivery id twice, which the exec protocol allows (delivery is
// at-least-once; ids are stable across retries). A request for an id the
// worker is already running is not run again: both requesters get the one
// answer.
//
// SIGTERM/SIGINT: stop taking requests (the subscription drains: requests
// already delivered to this worker are still run), answer what is in flight
// for up to `drain_timeout`, stop the program, exit 0.
//
// Limits: a NATS request's payload is limited by the server's max_payload
// (1 MB by default). The queue group spreads requests at random, not by
// load: a busy worker queues what it gets.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace flow::cluster {

struct WorkerOptions {
  std::string urls;     ///< NATS servers, comma-separated
  std::string subject;  ///< the service's subject
  std::string queue;    ///< queue group; empty: the subject
  std::string command;  ///< run as `/bin/sh -c command`
  std::filesystem::path working_dir;
  std::int64_t timeout_us = 30'000'000;  ///< per delivery, as the exec runner counts it
  std::uint32_t concurrency = 1;         ///< deliveries in flight to the program
  std::chrono::milliseconds drain_timeout{10'000};
};

/// Runs until `stop` turns true (then drains as above) or the connection
/// closes for good. Returns the process exit status: 0 after a stop, 1
/// when NATS cannot be reached or is lost. Log lines go to `log`.
int run_queue_worker(const WorkerOptions& options, std::ostream& log, const std::atomic<bool>& stop);

/// `args` as one /bin/sh command line, each argument quoted, so that
/// `flowrt worker ... -- python3 my service.py` runs exactly those words.
std::string shell_command_line(const std::vector<std::string>& args);

}  // namespace flow::cluster
