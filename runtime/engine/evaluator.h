// Evaluator: how the engine runs the program's compiled functions (rules,
// conditions, emit guards and initialisers, field defaults): with the
// native code when the run has it, else with the reference interpreter.
// Both give identical results, errors and traces (tests/codegen), so the
// parts that evaluate need not know which one runs.
//
// Limits: the conditions of the dispatch loop call the native code's fast
// path themselves (decider.h); everything else goes through run().
#pragma once

#include "codegen/jit.h"
#include "eval/interpreter.h"
#include "ir/ir.h"

namespace flow::runtime {

class Evaluator {
 public:
  /// `module` and `jit` (null: interpret) must outlive the evaluator.
  Evaluator(const ir::Module& module, const codegen::CompiledProgram* jit) : interpreter_(module), jit_(jit) {}

  eval::EvalResult run(int function, const uint8_t* event, const eval::EvalContext& context) const {
    return jit_ ? jit_->run(function, event, context) : interpreter_.run(function, event, context);
  }
  /// The native code, or null.
  const codegen::CompiledProgram* jit() const { return jit_; }
  const eval::Interpreter& interpreter() const { return interpreter_; }
  const ir::Module& module() const { return interpreter_.module(); }

 private:
  eval::Interpreter interpreter_;
  const codegen::CompiledProgram* jit_;
};

}  // namespace flow::runtime
