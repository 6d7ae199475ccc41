// The boundary between flowrt and its JIT modules: the one table of
// functions each exports. LLVM lives only in the modules, so the commands
// that run no rules (dossier, explain, journal, export) never load or
// initialise it, and `run` loads it only for a program with rules
// (docs/performance.md, "Start-up"). There are two:
//  - libflowjit-cached.so links machine code from the object cache with
//    ORC's linker alone (codegen/cached_program.h): every start after the
//    first needs only this small one;
//  - libflowjit.so is the whole back end (optimiser, code generator), for a
//    program the cache does not hold yet.
//
// Both sides are built from the same sources in the same build: the types
// passed (ir::Module, JitOptions, CompiledProgram) have one layout, objects
// are allocated and freed through the shared C++ runtime, and no exception
// crosses the boundary (the module catches and returns the message). The
// ABI number and the sizes let the loader refuse a module from another build.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "codegen/jit.h"

namespace flow::runtime {

/// Bumped whenever this table or what it passes changes shape.
inline constexpr uint32_t kJitModuleAbi = 1;

struct JitModuleApi {
  uint32_t abi;
  uint32_t program_size;  // sizeof(codegen::CompiledProgram) in the module's build
  uint32_t module_size;   // sizeof(ir::Module)
  uint32_t options_size;  // sizeof(codegen::JitOptions)
  /// The native code of `module`, from `bitcode` (codegen/bitcode.h;
  /// empty: `module` itself). Returns the program (the caller owns it), or
  /// null: with `error` set when it fails, with `error` empty when this is
  /// the cache-only module and the cache does not hold the program. Never
  /// throws.
  codegen::CompiledProgram* (*load)(std::string_view bitcode, const ir::Module& module,
                                    const codegen::JitOptions& options, std::string& error);
};

/// The file names of the two modules.
inline constexpr const char* kCachedJitModule = "libflowjit-cached.so";
inline constexpr const char* kFullJitModule = "libflowjit.so";

/// The name of the module's one exported symbol, a function returning the table.
inline constexpr const char* kJitModuleEntry = "flow_jit_module_api";
using JitModuleEntry = const JitModuleApi* (*)();

}  // namespace flow::runtime
