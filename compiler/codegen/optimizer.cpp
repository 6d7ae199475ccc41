// The O2 pipeline and the optimising, caching ORC compiler.
#include "codegen/optimizer.h"

#include <chrono>

#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"

namespace flow::codegen {

void optimise_module(llvm::Module& module, llvm::TargetMachine& machine, int opt_level) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  llvm::OptimizationLevel level = opt_level <= 0   ? llvm::OptimizationLevel::O0
                                  : opt_level == 1 ? llvm::OptimizationLevel::O1
                                  : opt_level == 2 ? llvm::OptimizationLevel::O2
                                                   : llvm::OptimizationLevel::O3;
  llvm::ModulePassManager pipeline = level == llvm::OptimizationLevel::O0
                                         ? builder.buildO0DefaultPipeline(level)
                                         : builder.buildPerModuleDefaultPipeline(level);
  pipeline.run(module, modules);
}

OptimizingCompiler::OptimizingCompiler(std::unique_ptr<llvm::TargetMachine> machine, int opt_level,
                                       llvm::ObjectCache* cache, bool lookup, CompileCounters* counters)
    : IRCompiler(llvm::orc::irManglingOptionsFromTargetOptions(machine->Options)),
      machine_(std::move(machine)),
      opt_level_(opt_level),
      cache_(cache),
      lookup_(lookup),
      counters_(counters) {}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> OptimizingCompiler::operator()(llvm::Module& module) {
  if (cache_ && lookup_) {
    if (auto cached = cache_->getObject(&module)) return cached;
  }
  auto nanoseconds_since = [](std::chrono::steady_clock::time_point start) {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  };
  auto start = std::chrono::steady_clock::now();
  optimise_module(module, *machine_, opt_level_);
  if (counters_) {
    ++counters_->optimizer_runs;
    counters_->optimizer_ns += nanoseconds_since(start);
  }
  // Code generation proper; the cache is ours to fill, so none here.
  start = std::chrono::steady_clock::now();
  llvm::orc::SimpleCompiler codegen(*machine_);
  auto object = codegen(module);
  if (!object) return object.takeError();
  if (counters_) {
    ++counters_->codegen_runs;
    counters_->codegen_ns += nanoseconds_since(start);
  }
  if (cache_) cache_->notifyObjectCompiled(&module, (*object)->getMemBufferRef());
  return std::move(*object);
}

}  // namespace flow::codegen
