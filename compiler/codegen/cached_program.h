// A program's machine code from the object cache alone: what `flowrt run`
// does on every start after the first. It needs ORC's linker and nothing of
// LLVM's optimiser or code generator, so the module that holds it
// (libflowjit-cached.so, runtime/jit/) is an eighth of the full back end's
// size and starts in a fraction of its time; on a miss the caller compiles
// with the full back end (jit.h), which also fills the cache.
//
// The key is the one CompiledProgram::compile would use for the same
// options (object_cache.h: host_cache_key), so either loader finds what
// the other stored.
#pragma once

#include <memory>

#include "codegen/jit.h"

namespace flow::codegen {

/// The program for `module` from the cache, or null when the cache is off,
/// has no object for it, or has one that does not link (that file is
/// removed, so the compiler replaces it). Needs `options.cache_key` (the
/// artifact's hash): without it there is nothing to look up. `module` must
/// outlive the program. Throws CodegenError when the program cannot be
/// prepared at all (a result that does not fit, a bad regex).
std::unique_ptr<CompiledProgram> load_cached_program(const ir::Module& module, const JitOptions& options);

}  // namespace flow::codegen
