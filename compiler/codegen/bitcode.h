// Bitcode: the form in which an artifact (.flowc) carries a program's
// native code, target-independent and unoptimised. The runtime, which
// re-lowers the same IR from the checked program, JIT-compiles it; the
// object cache makes every load after the first skip the optimiser.
//
//   std::string bc = codegen::write_bitcode(module);          // flowc build
//   auto program = codegen::compile_bitcode(bc, module, {});   // flowrt
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "codegen/jit.h"

namespace flow::codegen {

/// The LLVM bitcode of every function of `module` (native_abi.h), tagged
/// with the IR's fingerprint. Throws CodegenError.
std::string write_bitcode(const ir::Module& module);

/// The same module as LLVM's textual IR (`flowc build --emit llvm`): what
/// write_bitcode encodes, before any optimisation. Throws CodegenError.
std::string write_llvm_text(const ir::Module& module);

/// JIT-compiles bitcode from write_bitcode. `module` is the IR it was
/// written from (for result types, error messages, regexes); a mismatch is a
/// CodegenError, as is malformed bitcode. Unless options.cache_key is set,
/// the cache key hashes the bitcode.
std::unique_ptr<CompiledProgram> compile_bitcode(std::string_view bitcode, const ir::Module& module,
                                                 const JitOptions& options = {});

}  // namespace flow::codegen
