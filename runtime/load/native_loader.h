// The app's rules as native code, for `flowrt run`: the JIT modules
// (runtime/jit/jit_module_api.h) are loaded with dlopen on first use, so
// only a run that has rules pays for LLVM, and a run whose machine code is
// in the object cache only for the small module that links it.
//
// A module is looked for in $FLOW_JIT_MODULE_DIR when set, else beside the
// executable (the build tree), else in ../lib/flow from it (the installed
// layout). Modules stay loaded until the process ends.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "codegen/jit.h"

namespace flow::runtime {

/// Compiles `bitcode` (empty: `module` itself) to native code for `module`,
/// which must outlive the program. Null with `error` set when the module
/// cannot be found or loaded, or the compilation fails.
std::unique_ptr<codegen::CompiledProgram> compile_native(std::string_view bitcode, const ir::Module& module,
                                                         const codegen::JitOptions& options, std::string& error);

}  // namespace flow::runtime
