// The LLVM back end's entry point for the runtime and tests: a program's IR
// compiled to native code with ORC LLJIT (optimised with the O2 pipeline,
// machine code cached on disk by content hash), with the same call API as
// the reference interpreter plus a raw fast path for conditions.
//
//   auto program = codegen::CompiledProgram::compile(module, options);
//   eval::EvalResult r = program->run(fn_id, event, eval_context);   // like Interpreter::run
//
//   FlowRtContext ctx = program->context(now_us, arena);             // the dispatcher's hot path
//   bool fired; int32_t status = program->test(condition_id, event, ctx, fired);
//   if (status != FLOW_RT_OK) journal(program->error(status, ctx));
//
// Artifacts store bitcode instead (bitcode.h: write_bitcode / compile_bitcode).
// No LLVM header is needed to use this one, and only compile() needs LLVM
// at link time: the calls on a program live in flow_native
// (compiled_program.cpp), so flowrt can use a program that its JIT module
// (runtime/jit/) built without linking LLVM itself.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "codegen/error_sites.h"
#include "codegen/native_abi.h"
#include "eval/interpreter.h"
#include "ir/ir.h"

namespace flow::codegen {

struct JitOptions {
  /// Optimisation level of the module pipeline and the code generator, 0..3.
  int opt_level = 2;
  /// Reuse and store machine code in the object cache (object_cache.h).
  bool use_cache = true;
  /// The cache folder; empty: $FLOW_CACHE_DIR, else $XDG_CACHE_HOME/flow,
  /// else ~/.cache/flow.
  std::string cache_dir;
  /// What identifies the program's content, e.g. the artifact's hash. Empty:
  /// a hash of the bitcode (compile_bitcode) or of the generated module.
  std::string cache_key;
};

/// What loading a program did (per program).
struct JitStats {
  uint32_t optimizer_runs = 0;  // runs of the LLVM optimisation pipeline (0 on a cache hit)
  uint32_t codegen_runs = 0;    // runs of the LLVM code generator (0 on a cache hit)
  bool cache_hit = false;       // the machine code came from the cache
  bool cache_written = false;   // the machine code was stored in the cache
  uint32_t cache_rejected = 0;  // cache files found corrupt (ignored and rewritten)
  std::string cache_file;       // the cache file used or written; empty without a cache
  double load_ms = 0;           // wall time of compile()/compile_bitcode(), of which
  double optimizer_ms = 0;      //   in the LLVM optimisation pipeline
  double codegen_ms = 0;        //   in the LLVM code generator
};

/// What owns a program's machine code (the JIT that linked it); destroying
/// it frees the code. Implemented by jit.cpp.
class MachineCode {
 public:
  virtual ~MachineCode();
};

/// The value in the result slot `slot` of a function returning `type`
/// (native_abi.h, result_slot), as the interpreter would return it.
eval::Value read_result(const Type* type, const void* slot);

class CompiledProgram {
 public:
  /// The largest result slot is an optional string or map: 24 bytes.
  static constexpr size_t kResultSlotBytes = 32;

  /// Generates, optimises and JIT-compiles every function of `module` (or
  /// loads the machine code from the cache). `module` must outlive the
  /// program. Throws CodegenError (llvm_codegen.h) when it cannot.
  static std::unique_ptr<CompiledProgram> compile(const ir::Module& module, const JitOptions& options = {});

  ~CompiledProgram();
  CompiledProgram(const CompiledProgram&) = delete;
  CompiledProgram& operator=(const CompiledProgram&) = delete;

  const ir::Module& module() const { return module_; }
  const JitStats& stats() const { return stats_; }

  /// The native entry point of IR function `function_id` (native_abi.h).
  NativeFn entry(int function_id) const { return entries_.at(static_cast<size_t>(function_id)); }

  /// A context for native calls: `now_us` for now(), `arena` for strings and
  /// lists made during evaluation (it must outlive the values returned).
  FlowRtContext context(int64_t now_us, FlowArena* arena) const {
    FlowRtContext c{};
    c.now_us = now_us;
    c.arena = arena;
    c.regexes = regexes_;
    return c;
  }

  /// The fast path for bool functions (rules, conditions, emit guards):
  /// FLOW_RT_OK and `result`, or an error status (details: error()).
  int32_t test(int function_id, const uint8_t* event, FlowRtContext& context, bool& result) const {
    uint8_t slot = 0;
    int32_t status = entries_[static_cast<size_t>(function_id)](event, &context, &slot);
    result = slot != 0;
    return status;
  }

  /// Evaluates like eval::Interpreter::run: the value, or the evaluation
  /// error with the interpreter's kind, message, range and function, and
  /// with `context.trace` set the same trace entries (through the native
  /// trace hook). A call without the event a function needs, or one that
  /// asks for quantifier witnesses (`context.witnesses`, explain's), is
  /// delegated to the interpreter. Thread-safe.
  eval::EvalResult run(const ir::Function& function, const uint8_t* event, const eval::EvalContext& context) const;
  eval::EvalResult run(int function_id, const uint8_t* event, const eval::EvalContext& context) const {
    return run(module_.function(function_id), event, context);
  }

  /// The error a native call reported (its status and the context it wrote).
  eval::EvalError error(int32_t status, const FlowRtContext& context) const { return sites_.error(status, context); }

 private:
  friend class ProgramLoader;        // jit.cpp
  friend class CachedProgramLoader;  // cached_program.cpp
  explicit CompiledProgram(const ir::Module& module);
  /// Checks that every result fits a slot and builds the regex table
  /// (throws CodegenError): what every loader does first.
  void prepare();
  const eval::Interpreter& interpreter() const;

  const ir::Module& module_;
  ErrorSiteTable sites_;
  std::unique_ptr<MachineCode> machine_code_;
  std::vector<NativeFn> entries_;  // by function id
  FlowRegexTable* regexes_ = nullptr;
  JitStats stats_;
  mutable std::once_flag interpreter_once_;
  mutable std::unique_ptr<eval::Interpreter> interpreter_;
};

}  // namespace flow::codegen
