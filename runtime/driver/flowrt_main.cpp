// flowrt: the Flow runtime's command line (runtime.md §2).
//   flowrt run APP.flowc|FILE.flow [--journal DIR] [--input FILE|-] [--fsync always|batch|never] [--strict]
//   flowrt journal verify|dump --journal DIR [--json]
//   flowrt dossier --journal DIR (--key K | --instance ID | --all) [--at TIMESTAMP] [--json]
//   flowrt explain --journal DIR --event ID [--json]
//   flowrt replay --journal DIR --with APP.flowc|FILE.flow [--json] [-I DIR] [--samples N] [--max-instances N]
//   flowrt journal export --journal DIR [--format sqlite|jsonl] [-o OUT]
//   flowrt journal index --journal DIR [--rebuild]
//   flowrt worker --nats URL --subject S [--queue Q] [--concurrency N] [--timeout SECONDS] -- CMD ARGS...
// Exit status: 0 success; 1 the journal or the app is unusable; 2 bad usage;
// 3 `run` rejected an input or dead-lettered a delivery.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "artifact/artifact.h"
#include "base/time_format.h"
#include "cluster/worker_command.h"
#include "driver/cli_parse.h"
#include "engine/engine.h"
#include "load/app_loader.h"
#include "load/native_loader.h"
#include "queries/dossier/dossier.h"
#include "queries/dump/journal_dump.h"
#include "queries/explain/explain.h"
#include "queries/export/export_jsonl.h"
#include "queries/export/export_sqlite.h"
#include "queries/index/journal_index.h"
#include "queries/replay/replay.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitRejected = 3;

struct RunArgs {
  std::string app_path, journal_dir = "journal", input = "-", fsync = "batch", backend = "jit", services_dir;
  bool strict = false;
  std::vector<std::string> include_dirs;
  uint64_t max_chain = flow::runtime::RunOptions{}.max_chain;
};

/// The summary's last line: how the rules ran (nothing for a program
/// without rules).
void print_rule_code(std::ostream& out, const std::string& backend, const flow::codegen::CompiledProgram* native) {
  if (backend == "interp") {
    out << "  rules: interpreted\n";
  } else if (native) {
    const auto& stats = native->stats();
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f", stats.load_ms);
    out << "  rules: native code, " << (stats.cache_hit ? "linked from the object cache" : "compiled") << " in " << ms
        << " ms\n";
  }
}

int run_command(const RunArgs& args) {
  const std::string& app_path = args.app_path;
  const std::string& input = args.input;
  const std::string& fsync = args.fsync;
  std::string error, diagnostics;
  flow::runtime::LoadOptions load_options;
  load_options.include_dirs = args.include_dirs;
  auto app = flow::runtime::load_app(app_path, load_options, diagnostics, error);
  std::cerr << diagnostics;
  if (!app) {
    std::cerr << "flowrt: error: " << error << "\n";
    return kExitFailure;
  }
  flow::runtime::RunOptions options;
  options.journal_dir = args.journal_dir;
  options.fsync = fsync == "always"  ? flow::journal::FsyncMode::Always
                  : fsync == "never" ? flow::journal::FsyncMode::Never
                                     : flow::journal::FsyncMode::Batch;
  options.strict = args.strict;
  options.progress = isatty(STDERR_FILENO);
  options.services_dir = args.services_dir;
  options.max_chain = args.max_chain;
  std::unique_ptr<flow::codegen::CompiledProgram> native;
  // A program without functions has nothing to compile: it never loads LLVM.
  if (args.backend == "jit" && !app->module().functions.empty()) {
    flow::codegen::JitOptions jit_options;
    jit_options.cache_key = app->content_hash;
    std::string jit_error;
    native = flow::runtime::compile_native(app->bitcode, app->module(), jit_options, jit_error);
    if (!native) {
      std::cerr << "flowrt: error: cannot compile the rules to native code: " << jit_error << "\n";
      return kExitFailure;
    }
    options.jit = native.get();
  }
  try {
    flow::runtime::Engine engine(*app, options, std::cerr);
    if (input == "-") {
      flow::runtime::run_input(engine, STDIN_FILENO);
    } else {
      const int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        std::cerr << "flowrt: error: cannot read input '" << input << "': " << std::strerror(errno) << "\n";
        return kExitUsage;
      }
      try {
        flow::runtime::run_input(engine, fd);
      } catch (...) {
        ::close(fd);
        throw;
      }
      ::close(fd);
    }
    engine.print_summary(std::cerr);
    print_rule_code(std::cerr, args.backend, native.get());
    const auto& summary = engine.summary();
    return summary.rejected > 0 || summary.dead_lettered > 0 ? kExitRejected : kExitOk;
  } catch (const std::exception& e) {
    std::cerr << "flowrt: error: " << e.what() << "\n";
    return kExitFailure;
  }
}

// ---- Queries: dossier, explain, replay, journal export / index -------------
// (runtime.md §6; docs/journal.md "Queries").

struct QueryArgs {
  CLI::App* dossier = nullptr;
  CLI::App* index = nullptr;
  CLI::App* explain = nullptr;
  CLI::App* export_ = nullptr;
  std::string export_dir = "journal", format, output;
  CLI::App* replay = nullptr;
  std::string replay_dir = "journal", with;
  std::vector<std::string> replay_includes;
  bool replay_json = false;
  size_t samples = 3, max_instances = 1000;
  unsigned threads = 0;
  std::string explain_dir = "journal", event;
  bool explain_json = false;
  std::string dossier_dir = "journal", key, instance, at, flow, status;
  bool all = false, dossier_json = false;
  std::string index_dir = "journal";
  bool index_rebuild = false;
};

void add_query_commands(CLI::App& app, CLI::App* journal, QueryArgs& q) {
  q.dossier = app.add_subcommand("dossier", "An instance's state and history (or --all instances)");
  q.dossier->add_option("--journal", q.dossier_dir, "Journal folder");
  auto* key = q.dossier->add_option("--key", q.key, "The instance whose key value is K");
  auto* instance = q.dossier->add_option("--instance", q.instance, "The instance with this id");
  auto* all = q.dossier->add_flag("--all", q.all, "List every instance with its status");
  key->excludes(instance)->excludes(all);
  instance->excludes(all);
  q.dossier->add_option("--at", q.at, "As of this moment (RFC 3339, e.g. 2026-11-20T09:30:00Z)");
  q.dossier->add_option("--flow", q.flow, "With --all: only instances that entered this flow");
  q.dossier->add_option("--status", q.status, "With --all: only this status")
      ->check(CLI::IsMember({"active", "completed", "failed", "waiting", "working", "done"}));
  q.dossier->add_flag("--json", q.dossier_json, "JSON output (docs/journal.md)");

  q.explain = app.add_subcommand("explain", "Why an event went where it went");
  q.explain->add_option("--journal", q.explain_dir, "Journal folder");
  q.explain->add_option("--event", q.event, "The event id")->required();
  q.explain->add_flag("--json", q.explain_json, "JSON output (docs/journal.md)");

  q.replay = app.add_subcommand("replay", "What-if: the journal's events under other definitions");
  q.replay->add_option("--journal", q.replay_dir, "Journal folder");
  q.replay->add_option("--with", q.with, "APP.flowc or FILE.flow")->required()->check(CLI::ExistingFile);
  q.replay->add_option("-I,--include", q.replay_includes, "Module folders for a .flow file")->default_str("");
  q.replay->add_flag("--json", q.replay_json, "JSON output (docs/journal.md)");
  q.replay->add_option("--samples", q.samples, "Sample events per subscription and direction");
  q.replay->add_option("--max-instances", q.max_instances, "Instances listed per subscription (0: all)");
  q.replay->add_option("--threads", q.threads, "Worker threads (0: one per core)");

  q.export_ = journal->add_subcommand("export", "Write the journal as tables: SQLite or JSON lines");
  q.export_->add_option("--journal", q.export_dir, "Journal folder");
  q.export_->add_option("--format", q.format, "sqlite or jsonl (default: sqlite with -o FILE, else jsonl to stdout)")
      ->check(CLI::IsMember({"sqlite", "jsonl"}));
  q.export_->add_option("-o,--output", q.output,
                        "Output file (- or none: stdout, jsonl only); replaced when it exists");

  q.index = journal->add_subcommand("index", "Build or bring up to date the query index of a journal");
  q.index->add_option("--journal", q.index_dir, "Journal folder");
  q.index->add_flag("--rebuild", q.index_rebuild, "Rebuild it from scratch");
}

/// Runs the query subcommand that was parsed; -1 when none was.
int run_query_command(const QueryArgs& q) {
  namespace rq = flow::runtime::queries;
  if (q.dossier->parsed()) {
    rq::DossierOptions options;
    if (!q.key.empty() || q.dossier->count("--key") > 0) {
      options.select = rq::DossierOptions::Select::Key;
      options.value = q.key;
    } else if (q.dossier->count("--instance") > 0) {
      options.select = rq::DossierOptions::Select::Instance;
      options.value = q.instance;
    } else if (q.all) {
      options.select = rq::DossierOptions::Select::All;
    } else {
      std::cerr << "flowrt dossier: give --key K, --instance ID or --all\n";
      return kExitUsage;
    }
    if ((!q.flow.empty() || !q.status.empty()) && !q.all) {
      std::cerr << "flowrt dossier: --flow and --status go with --all\n";
      return kExitUsage;
    }
    if (!q.at.empty()) {
      auto at = flow::parse_timestamp(q.at);
      if (!at) {
        std::cerr << "flowrt dossier: --at '" << q.at << "' is not an RFC 3339 timestamp (e.g. 2026-11-20T09:30:00Z)\n";
        return kExitUsage;
      }
      options.at_us = *at;
    }
    options.json = q.dossier_json;
    options.flow = q.flow;
    options.status = q.status;
    return rq::run_dossier(q.dossier_dir, options, std::cout, std::cerr);
  }
  if (q.explain->parsed()) {
    rq::ExplainOptions options{q.event, q.explain_json};
    return rq::run_explain(q.explain_dir, options, std::cout, std::cerr);
  }
  if (q.replay->parsed()) {
    rq::ReplayOptions options;
    options.with = q.with;
    options.include_dirs = q.replay_includes;
    options.json = q.replay_json;
    options.samples = q.samples;
    options.max_instances = q.max_instances;
    options.threads = q.threads;
    return rq::run_replay(q.replay_dir, options, std::cout, std::cerr);
  }
  if (q.export_->parsed()) {
    try {
      rq::ExportSummary summary;
      // Without a file the export goes to stdout, which only JSON lines can.
      const bool to_stdout = q.output.empty() || q.output == "-";
      const std::string format = !q.format.empty() ? q.format : to_stdout ? "jsonl" : "sqlite";
      if (format == "sqlite") {
        if (to_stdout) {
          std::cerr << "flowrt journal export: SQLite needs a file (-o OUT.db)\n";
          return kExitUsage;
        }
        summary = rq::export_sqlite(q.export_dir, q.output, std::cerr);
      } else if (to_stdout) {
        summary = rq::export_jsonl(q.export_dir, std::cout, std::cerr);
      } else {
        std::ofstream out(q.output, std::ios::binary | std::ios::trunc);
        if (!out) {
          std::cerr << "flowrt: error: cannot write '" << q.output << "'\n";
          return kExitFailure;
        }
        summary = rq::export_jsonl(q.export_dir, out, std::cerr);
        out.close();
        if (!out) {
          std::cerr << "flowrt: error: cannot write '" << q.output << "'\n";
          return kExitFailure;
        }
      }
      std::cerr << "flowrt: exported " << summary.records << " records as " << summary.rows << " rows to "
                << (to_stdout ? std::string("stdout") : q.output) << "\n";
      return kExitOk;
    } catch (const std::exception& e) {
      std::cerr << "flowrt: error: " << e.what() << "\n";
      return kExitFailure;
    }
  }
  if (q.index->parsed()) {
    try {
      rq::IndexOpenOptions options;
      options.force_rebuild = q.index_rebuild;
      rq::IndexOpenReport report;
      auto index = rq::JournalIndex::open(q.index_dir, options, report);
      const char* how = report.how == rq::IndexOpenReport::How::Fresh     ? "up to date"
                        : report.how == rq::IndexOpenReport::How::Updated ? "updated"
                                                                          : "built";
      std::cout << "index " << how;
      if (report.how != rq::IndexOpenReport::How::Fresh) std::cout << " (" << report.reason << ")";
      std::cout << (report.how == rq::IndexOpenReport::How::Fresh ? ""
                    : report.saved                                ? ", saved"
                                                                  : ", not saved")
                << "\n";
      if (!report.save_error.empty()) std::cout << "not saved: " << report.save_error << "\n";
      std::cout << index->describe();
      return kExitOk;
    } catch (const std::exception& e) {
      std::cerr << "flowrt: error: " << e.what() << "\n";
      return kExitFailure;
    }
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"flowrt — the Flow runtime: run process definitions and ask their journal", "flowrt"};
  app.set_version_flag("--version", std::string("flowrt ") + FLOW_VERSION);
  // --help shows each option's default (subcommands inherit this).
  app.option_defaults()->always_capture_default();
  app.require_subcommand(1);

  RunArgs r;
  auto* run = app.add_subcommand("run", "Run events through a definition; journal everything");
  run->add_option("app", r.app_path, "APP.flowc (from flowc build) or FILE.flow")->required()->check(CLI::ExistingFile);
  run->add_option("--journal", r.journal_dir, "Journal folder (created if missing)");
  run->add_option("--input", r.input, "CloudEvents JSON lines (- for stdin)");
  run->add_option("--fsync", r.fsync, "Durability: always, batch (group commit) or never")
      ->check(CLI::IsMember({"always", "batch", "never"}));
  run->add_flag("--strict", r.strict, "Reject event fields the type does not declare");
  run->add_option("-I,--include", r.include_dirs, "Module folders for a .flow file")->default_str("");
  run->add_option("--backend", r.backend, "Evaluate rules with native code (jit) or the reference interpreter (interp)")
      ->check(CLI::IsMember({"jit", "interp"}));
  run->add_option("--services-dir", r.services_dir,
                  "Folder of the root .flow file for exec services (default: where it was built)");
  run->add_option("--max-chain", r.max_chain, "Events one input may cause, transitively, before the chain is cut")
      ->check(CLI::PositiveNumber);

  auto* journal = app.add_subcommand("journal", "Inspect a journal");
  journal->require_subcommand(1);
  std::string verify_dir = "journal", dump_dir = "journal";
  bool dump_json = false, dump_artifacts = false;
  auto* verify = journal->add_subcommand("verify", "Check every record of a journal");
  verify->add_option("--journal", verify_dir, "Journal folder");
  auto* dump = journal->add_subcommand("dump", "Print every record of a journal");
  dump->add_option("--journal", dump_dir, "Journal folder");
  dump->add_flag("--json", dump_json, "One JSON object per record");
  dump->add_flag("--artifacts", dump_artifacts, "Include the artifacts of definition records (--json)");

  QueryArgs query_args;
  add_query_commands(app, journal, query_args);

  auto worker = flow::cluster::add_worker_command(app);

  if (auto status = flow::parse_command_line(app, argc, argv)) return *status;

  if (run->parsed()) return run_command(r);
  if (worker->parsed()) return flow::cluster::run_worker_command(*worker);
  if (verify->parsed()) {
    if (!std::filesystem::is_directory(verify_dir)) {
      std::cerr << "flowrt: error: no journal at '" << verify_dir << "'\n";
      return kExitFailure;
    }
    return flow::runtime::verify_journal(verify_dir, std::cout) ? kExitOk : kExitFailure;
  }
  if (dump->parsed()) {
    if (!std::filesystem::is_directory(dump_dir)) {
      std::cerr << "flowrt: error: no journal at '" << dump_dir << "'\n";
      return kExitFailure;
    }
    flow::runtime::DumpOptions options{dump_json, dump_artifacts};
    return flow::runtime::dump_journal(dump_dir, options, std::cout, std::cerr) == 0 ? kExitOk : kExitFailure;
  }
  if (int status = run_query_command(query_args); status >= 0) return status;
  return kExitUsage;
}
