#include "driver/build_command.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "artifact/artifact.h"
#include "codegen/bitcode.h"
#include "codegen/llvm_codegen.h"
#include "dispatch/dispatch_table.h"
#include "ir/lower.h"

namespace flow {

int run_build(Program& program, const std::string& output_path) {
  ir::LowerResult lowered = ir::lower_program(program);
  if (!lowered.ok()) {
    for (const auto& e : lowered.errors) std::cerr << "flowc: error: cannot compile: " << e.message << "\n";
    return 1;
  }
  dispatch::DispatchTable table = dispatch::build_dispatch_table(program, *lowered.module);
  std::string bitcode;
  try {
    bitcode = codegen::write_bitcode(*lowered.module);
  } catch (const std::exception& e) {
    std::cerr << "flowc: error: cannot generate native code: " << e.what() << "\n";
    return 1;
  }
  std::string content_hash;
  std::string bytes = artifact::write_artifact(program, *lowered.module, table, bitcode, content_hash);
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
  std::cerr << "wrote " << output_path << " (" << bytes.size() << " bytes, " << lowered.module->functions.size()
            << " functions, sha256 " << content_hash.substr(0, 16) << "...)\n";
  return 0;
}

}  // namespace flow
