// `flowrt worker` options and signal handling (see worker_command.h).
#include "cluster/worker_command.h"

#include <csignal>
#include <iostream>

namespace flow::cluster {

namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) {
  stop_requested.store(true);
}

}  // namespace

std::unique_ptr<WorkerCommand> add_worker_command(CLI::App& parent) {
  auto command = std::make_unique<WorkerCommand>();
  auto* app = parent.add_subcommand("worker", "Run an exec-protocol program as a NATS queue-group worker");
  command->app = app;
  auto& o = command->options;
  app->add_option("--nats", o.urls, "NATS server URLs, comma-separated")->required();
  app->add_option("--subject", o.subject, "The subject the service is requested on")->required();
  app->add_option("--queue", o.queue, "Queue group (default: the subject)");
  app->add_option("--concurrency", o.concurrency, "Deliveries in flight to the program at once")
      ->check(CLI::PositiveNumber);
  app->add_option("--timeout", command->timeout_s, "Seconds the program may take per delivery")
      ->check(CLI::PositiveNumber);
  app->add_option("--drain-timeout", command->drain_timeout_s,
                  "Seconds to finish deliveries in flight on SIGTERM/SIGINT")
      ->check(CLI::NonNegativeNumber);
  app->add_option("command", command->command, "The program and its arguments, after --")->required();
  return command;
}

int run_worker_command(WorkerCommand& command) {
  auto& o = command.options;
  o.command = shell_command_line(command.command);
  o.timeout_us = static_cast<std::int64_t>(command.timeout_s * 1e6);
  o.drain_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(command.drain_timeout_s * 1e3));
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  return run_queue_worker(o, std::cerr, stop_requested);
}

}  // namespace flow::cluster
