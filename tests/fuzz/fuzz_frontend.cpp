// Fuzz target: the front end on one source text, in memory — parse,
// resolve, type-check and the flow-graph checks (compile_sources), then
// what flowc does with the result: print every diagnostic (human and JSON)
// and, for a program that checks, draw its graph, lower it, build its
// dispatch table and write its artifact, which the runtime's loader must
// accept. Invariants: no crash, no sanitizer report; `ok` exactly when no
// error was reported; every diagnostic has a message; a checked program's
// artifact loads.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "artifact/artifact_writer.h"
#include "check/program.h"
#include "diag/diagnostic_printer.h"
#include "fuzz_check.h"
#include "graph/graph_writer.h"
#include "ir/lower.h"
#include "load/app_loader.h"
#include "plan/plan_builder.h"

namespace flow::fuzz {

namespace {

/// The stdlib of the source tree (imports of `std.*` work); the root file's
/// own folder does not exist, so no other import reaches the file system.
CompileOptions options() {
  CompileOptions o;
  o.stdlib_dir = FLOW_FUZZ_STDLIB_DIR;
  return o;
}

void check_diagnostics(const Program& program, const DiagnosticEngine& diags) {
  bool any_error = false;
  std::ostringstream out;
  for (const Diagnostic& d : diags.diagnostics()) {
    FLOW_FUZZ_CHECK(!d.message.empty(), "a diagnostic without a message");
    any_error = any_error || d.severity == Severity::Error;
    print_human(out, d, PrintOptions{});
    print_json(out, d);
  }
  FLOW_FUZZ_CHECK(program.ok == !any_error, "Program::ok disagrees with the errors reported");
}

/// What flowc build and flowrt do with a program that checked.
void use_checked(Program& program) {
  std::ostringstream graph;
  write_graph(graph, program, GraphOptions{GraphFormat::Dot, ""});
  write_graph(graph, program, GraphOptions{GraphFormat::Mermaid, ""});
  ir::LowerResult lowered = ir::lower_program(program);
  if (!lowered.ok()) return;  // a construct lowering does not support: reported, not a crash
  const std::unique_ptr<plan::Plan> plan = plan::build_plan(program, lowered);
  std::string hash;
  const std::string bytes = artifact::write_artifact(program, *plan, {}, hash);
  std::string error;
  auto app = runtime::load_app_from_bytes(bytes, "fuzz.flowc", error);
  FLOW_FUZZ_CHECK(app != nullptr, ("the artifact of a checked program does not load: " + error).c_str());
}

}  // namespace

void frontend_one_input(std::string_view text) {
  DiagnosticEngine diags;
  auto program = compile_sources({{"/nonexistent-flow-fuzz/input.flow", std::string(text)}}, options(), diags);
  FLOW_FUZZ_CHECK(program != nullptr, "compile_sources returned no program for an in-memory source");
  check_diagnostics(*program, diags);
  if (program->ok) use_checked(*program);
}

}  // namespace flow::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  flow::fuzz::frontend_one_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
