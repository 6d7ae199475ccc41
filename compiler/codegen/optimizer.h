// Optimisation and machine-code generation for the JIT: the LLVM new-pass-
// manager per-module pipeline (O2 by default, so rules that call rules are
// inlined where the inliner finds it pays), and an ORC IRCompiler that runs
// it before code generation and hands the object to an ObjectCache.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "llvm/ExecutionEngine/ObjectCache.h"
#include "llvm/ExecutionEngine/Orc/IRCompileLayer.h"
#include "llvm/Target/TargetMachine.h"

namespace flow::codegen {

/// Runs the default per-module pipeline of `opt_level` (0..3) on `module`.
void optimise_module(llvm::Module& module, llvm::TargetMachine& machine, int opt_level);

/// How often the expensive steps ran (tests check that a cache hit skips them).
struct CompileCounters {
  std::atomic<uint32_t> optimizer_runs{0};
  std::atomic<uint32_t> codegen_runs{0};
  std::atomic<uint64_t> optimizer_ns{0};  // wall time spent in each
  std::atomic<uint64_t> codegen_ns{0};
};

/// Optimises, then compiles a module to an object file. With a cache it
/// first asks the cache (when `lookup` is set; the JIT wrapper looks up
/// before even building the module, so it turns this off) and stores what it
/// compiled. Reports failures as llvm::Error, never throws.
class OptimizingCompiler : public llvm::orc::IRCompileLayer::IRCompiler {
 public:
  OptimizingCompiler(std::unique_ptr<llvm::TargetMachine> machine, int opt_level, llvm::ObjectCache* cache, bool lookup,
                     CompileCounters* counters);

  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module& module) override;

 private:
  std::unique_ptr<llvm::TargetMachine> machine_;
  int opt_level_;
  llvm::ObjectCache* cache_;
  bool lookup_;
  CompileCounters* counters_;
};

}  // namespace flow::codegen
