// The `flowrt worker` subcommand's command line (CLI11), kept beside the
// worker so that flowrt's main only registers and dispatches it:
//   flowrt worker --nats URL --subject S [--queue Q] [--concurrency N]
//                 [--timeout SECONDS] [--drain-timeout SECONDS] -- CMD ARGS...
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "cluster/queue_worker.h"

namespace flow::cluster {

struct WorkerCommand {
  CLI::App* app = nullptr;
  WorkerOptions options;
  std::vector<std::string> command;
  double timeout_s = 30;
  double drain_timeout_s = 10;

  bool parsed() const { return app->parsed(); }
};

/// Adds the subcommand to `parent`.
std::unique_ptr<WorkerCommand> add_worker_command(CLI::App& parent);

/// Runs it (SIGTERM and SIGINT stop it gracefully); returns the exit status.
int run_worker_command(WorkerCommand& command);

}  // namespace flow::cluster
