// flowc: the Flow compiler's command line (runtime.md §1).
//   flowc check FILE... [-I DIR]... [--werror] [--diagnostics human|json]
//   flowc graph FILE... [--flow NAME] [--format dot|mermaid]
//   flowc build FILE... [-o APP.flowc] [--emit ast|checked|ir|plan|llvm]
//   flowc fmt FILE... [--check | --stdout]        (FILE '-': standard input to standard output)
// Exit status: 0 success (warnings allowed), 1 the program has errors,
// 2 bad usage or an unreadable file.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "check/program.h"
#include "diag/diagnostic_printer.h"
#include "driver/big_stack.h"
#include "driver/build_command.h"
#include "driver/cli_parse.h"
#include "driver/emit_command.h"
#include "driver/fmt_command.h"
#include "graph/graph_writer.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitErrors = 1;
constexpr int kExitUsage = 2;

struct FrontEndOptions {
  std::vector<std::string> files;
  std::vector<std::string> include_dirs;
  std::string diagnostics_format = "human";
  std::string colour = "auto";
  bool werror = false;
};

void add_front_end_options(CLI::App* command, FrontEndOptions& options) {
  command->add_option("files", options.files, "Flow source files (.flow)")
      ->required()
      ->check(CLI::ExistingFile)
      ->default_str("");  // lists have no default worth showing
  command->add_option("-I,--include", options.include_dirs, "Also look for imported modules in DIR")
      ->check(CLI::ExistingDirectory)
      ->default_str("");
  command->add_flag("--werror", options.werror, "Treat warnings as errors");
  command->add_option("--diagnostics", options.diagnostics_format, "Diagnostic format")
      ->check(CLI::IsMember({"human", "json"}));
  command->add_option("--color", options.colour, "Colour diagnostics")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

bool use_colour(const std::string& setting) {
  if (setting == "always") return true;
  if (setting == "never") return false;
  const char* no_colour = std::getenv("NO_COLOR");
  return isatty(STDERR_FILENO) && !(no_colour && *no_colour);
}

/// Compiles and prints diagnostics; returns the exit status and the program.
int compile_and_report(const FrontEndOptions& options, std::unique_ptr<flow::Program>& program) {
  flow::DiagnosticEngine diags;
  flow::CompileOptions compile_options;
  compile_options.include_dirs = options.include_dirs;
  program = flow::compile_files(options.files, compile_options, diags);
  if (options.werror) diags.promote_warnings_to_errors();
  diags.sort();
  flow::PrintOptions print_options{use_colour(options.colour)};
  for (const auto& d : diags.diagnostics()) {
    if (options.diagnostics_format == "json")
      flow::print_json(std::cerr, d);
    else
      flow::print_human(std::cerr, d, print_options);
  }
  if (!program) return kExitUsage;
  size_t errors = diags.error_count();
  size_t warnings = diags.warning_count();
  if (options.diagnostics_format == "human" && (errors || warnings)) {
    std::cerr << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings << " warning"
              << (warnings == 1 ? "" : "s") << "\n";
  }
  return errors ? kExitErrors : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"flowc — the Flow compiler: check, draw, build and format event-driven process definitions", "flowc"};
  app.set_version_flag("--version", std::string("flowc ") + FLOW_VERSION);
  // --help shows each option's default (subcommands inherit this).
  app.option_defaults()->always_capture_default();
  app.require_subcommand(1);

  FrontEndOptions check_options;
  auto* check = app.add_subcommand("check", "Parse and check Flow files; print diagnostics");
  add_front_end_options(check, check_options);

  FrontEndOptions graph_options;
  std::string graph_format = "dot";
  std::string graph_flow;
  auto* graph = app.add_subcommand("graph", "Draw events, services and subscriptions (to stdout)");
  add_front_end_options(graph, graph_options);
  graph->add_option("--format", graph_format, "Output format")->check(CLI::IsMember({"dot", "mermaid"}));
  graph->add_option("--flow", graph_flow, "Draw only this flow");

  FrontEndOptions build_options;
  std::string build_output;
  auto* build = app.add_subcommand("build", "Check, lower and write a self-contained artifact for flowrt");
  add_front_end_options(build, build_options);
  build->add_option("-o,--output", build_output, "The artifact to write (APP.flowc)");
  std::string build_emit;
  build->add_option("--emit", build_emit, "Print this stage to stdout (and write the artifact only if -o is given)")
      ->check(CLI::IsMember({"ast", "checked", "ir", "plan", "llvm"}));
  bool build_quiet = false;
  build->add_flag("-q,--quiet", build_quiet, "Print diagnostics only, not the summary of what was written");
  build->footer(
      "Stages for --emit: ast (the parsed modules), checked (declarations with resolved\n"
      "names and types), ir (the lowered rule IR), plan (the runtime plan: layouts,\n"
      "services, flows, dispatch table, rules), llvm (the LLVM IR of the rules).\n"
      "Give -o, --emit or both.");

  flow::FmtOptions fmt_options;
  std::string fmt_colour = "auto";
  auto* fmt = app.add_subcommand("fmt", "Rewrite Flow files in canonical form, keeping every comment");
  fmt->add_option("files", fmt_options.files,
                  "Flow source files (.flow) to format in place; '-' formats standard input to standard output")
      ->required()
      ->check(CLI::ExistingFile | CLI::IsMember({"-"}))
      ->default_str("");
  auto* fmt_check = fmt->add_flag("--check", fmt_options.check,
                                  "Write nothing; list each file that is not formatted on stderr, exit 1 if any");
  fmt->add_flag("--stdout", fmt_options.to_stdout, "Print the formatted text to stdout instead of rewriting the files")
      ->excludes(fmt_check);
  fmt->add_option("--color", fmt_colour, "Colour diagnostics")->check(CLI::IsMember({"auto", "always", "never"}));
  fmt->footer(
      "Canonical form: two-space indents; one item per line in a body that spans lines\n"
      "(enums, events and emits written on one line stay on one line); no ';' separators;\n"
      "spaces around operators; literals spelled as written; parentheses as written, plus\n"
      "those precedence needs; line breaks inside expressions kept; over neighbouring lines,\n"
      "the '=' of rules, the '{' of one-line events, the '=>' of decision arms, flow items\n"
      "and trailing comments aligned; blank lines kept (at most one), and always around\n"
      "declarations that span lines. Every comment is kept.\n"
      "A file is rewritten (atomically) only when it changes, and only after the result\n"
      "was checked to parse to the same program with the same comments. A file with\n"
      "syntax errors is left alone: its errors are reported as by 'flowc check'.\n"
      "Exit status: 0 all formatted; 1 syntax errors, a file not formatted (--check) or\n"
      "an internal error; 2 bad usage or a file that cannot be read or written.");

  if (auto status = flow::parse_command_line(app, argc, argv)) return *status;

  return flow::run_with_big_stack([&]() -> int {
    std::unique_ptr<flow::Program> program;
    if (check->parsed()) return compile_and_report(check_options, program);
    if (graph->parsed()) {
      int status = compile_and_report(graph_options, program);
      if (status != kExitOk || !program || !program->ok) return status == kExitOk ? kExitErrors : status;
      flow::GraphOptions options;
      options.format = graph_format == "mermaid" ? flow::GraphFormat::Mermaid : flow::GraphFormat::Dot;
      options.flow = graph_flow;
      if (!flow::write_graph(std::cout, *program, options)) {
        std::cerr << "flowc: error: no flow named '" << graph_flow << "'\n";
        return kExitUsage;
      }
      return kExitOk;
    }
    if (build->parsed()) {
      if (build_output.empty() && build_emit.empty()) {
        std::cerr << "flowc build: give -o APP.flowc, --emit STAGE, or both\n";
        return kExitUsage;
      }
      // One artifact in: rebuild it (an artifact from before runtime plans).
      const auto& files = build_options.files;
      if (files.size() == 1 && files[0].size() > 6 && files[0].compare(files[0].size() - 6, 6, ".flowc") == 0) {
        if (!build_emit.empty()) {
          std::cerr << "flowc build: --emit takes Flow sources (.flow), not an artifact\n";
          return kExitUsage;
        }
        return flow::run_rebuild(files[0], build_output, build_quiet);
      }
      int status = compile_and_report(build_options, program);
      if (status != kExitOk || !program || !program->ok) return status == kExitOk ? kExitErrors : status;
      if (!build_emit.empty()) {
        status = flow::run_emit(*program, *flow::emit_stage_named(build_emit), std::cout);
        std::cout.flush();
        if (status != kExitOk || build_output.empty()) return status;
      }
      return flow::run_build(*program, build_output, build_quiet);
    }
    if (fmt->parsed()) {
      fmt_options.colour = use_colour(fmt_colour);
      return flow::run_fmt(fmt_options);
    }
    return kExitUsage;
  });
}
