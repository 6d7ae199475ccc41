// The LLVM module the code generator makes of a lowered program, set up for
// the host as the JIT sets it up, for tests that look at generated code
// (which calls remain, before and after the O2 pipeline).
#pragma once

#include <memory>
#include <set>
#include <string>

#include "ir/ir.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

namespace flow::testing {

struct HostModule {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::TargetMachine> machine;
  std::unique_ptr<llvm::Module> module;

  /// Runs the JIT's optimisation pipeline at `level` over the module.
  void optimise(int level = 2);
  /// The native function of `fn`.
  const llvm::Function& function(const ir::Function& fn) const;
  /// The functions `fn`'s native code calls (by name), intrinsics aside.
  std::multiset<std::string> callees(const ir::Function& fn) const;
};

/// Generates `module` for the host; fails the test when it cannot.
std::unique_ptr<HostModule> host_module(const ir::Module& module);

}  // namespace flow::testing
