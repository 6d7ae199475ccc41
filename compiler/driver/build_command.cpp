#include "driver/build_command.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "artifact/artifact_writer.h"
#include "codegen/bitcode.h"
#include "codegen/llvm_codegen.h"
#include "ir/lower.h"
#include "plan/plan_builder.h"

namespace flow {

std::unique_ptr<plan::Plan> lower_to_plan(Program& program) {
  ir::LowerResult lowered = ir::lower_program(program);
  if (!lowered.ok()) {
    for (const auto& e : lowered.errors) std::cerr << "flowc: error: cannot compile: " << e.message << "\n";
    return nullptr;
  }
  return plan::build_plan(program, lowered);
}

int run_build(Program& program, const std::string& output_path, bool quiet) {
  std::unique_ptr<plan::Plan> plan = lower_to_plan(program);
  if (!plan) return 1;
  std::string bitcode;
  try {
    bitcode = codegen::write_bitcode(*plan->module);
  } catch (const std::exception& e) {
    std::cerr << "flowc: error: cannot generate native code: " << e.what() << "\n";
    return 1;
  }
  std::string content_hash;
  std::string bytes = artifact::write_artifact(program, *plan, bitcode, content_hash);
  // Write beside the target and rename, so a reader never sees half a file.
  std::string temporary = output_path + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::cerr << "flowc: error: cannot write '" << output_path << "'\n";
      std::remove(temporary.c_str());
      return 2;
    }
  }
  if (std::rename(temporary.c_str(), output_path.c_str()) != 0) {
    std::cerr << "flowc: error: cannot write '" << output_path << "'\n";
    std::remove(temporary.c_str());
    return 2;
  }
  if (quiet) return 0;
  std::cerr << "wrote " << output_path << " (" << bytes.size() << " bytes, " << plan->module->functions.size()
            << " functions, sha256 " << content_hash.substr(0, 16) << "...)\n";
  return 0;
}

int run_rebuild(const std::string& artifact_path, const std::string& output_path, bool quiet) {
  artifact::ArtifactContents contents;
  std::string error;
  if (!artifact::read_artifact_file(artifact_path, contents, error)) {
    std::cerr << "flowc: error: " << error << "\n";
    return 2;
  }
  DiagnosticEngine diags;
  std::unique_ptr<Program> program = artifact::compile_artifact_sources(contents, diags);
  if (!program || !program->ok) {
    std::string first = diags.diagnostics().empty() ? "" : ": " + diags.diagnostics()[0].message;
    std::cerr << "flowc: error: " << artifact_path << ": its embedded sources do not check with this version (flowc "
              << contents.flowc_version << " built it)" << first << "\n";
    return 1;
  }
  ir::LowerResult lowered = ir::lower_program(*program);
  if (!lowered.ok()) {
    std::cerr << "flowc: error: " << artifact_path << ": cannot compile its sources\n";
    return 1;
  }
  std::unique_ptr<plan::Plan> plan = plan::build_plan(*program, lowered);
  if (artifact::definitions_json(*plan) != contents.definitions_json) {
    std::cerr << "flowc: error: " << artifact_path
              << ": its definitions differ from what its sources compile to (built by flowc " << contents.flowc_version
              << "); rebuild it from its sources\n";
    return 1;
  }
  return run_build(*program, output_path, quiet);
}

}  // namespace flow
