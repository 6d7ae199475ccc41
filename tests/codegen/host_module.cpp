// host_module.h: code generation for the host without the JIT.
#include "host_module.h"

#include <catch2/catch.hpp>

#include "codegen/error_sites.h"
#include "codegen/llvm_codegen.h"
#include "codegen/native_abi.h"
#include "codegen/optimizer.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Support/TargetSelect.h"

namespace flow::testing {

std::unique_ptr<HostModule> host_module(const ir::Module& module) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  REQUIRE(static_cast<bool>(builder));
  auto machine = builder->createTargetMachine();
  REQUIRE(static_cast<bool>(machine));
  auto host = std::make_unique<HostModule>();
  host->machine = std::move(*machine);
  codegen::ErrorSiteTable sites(module);
  host->module = codegen::generate_module(module, sites, host->context);
  host->module->setDataLayout(host->machine->createDataLayout());
  host->module->setTargetTriple(host->machine->getTargetTriple().str());
  return host;
}

void HostModule::optimise(int level) {
  codegen::optimise_module(*module, *machine, level);
}

const llvm::Function& HostModule::function(const ir::Function& fn) const {
  const llvm::Function* f = module->getFunction(codegen::native_symbol(fn.id));
  REQUIRE(f);
  return *f;
}

std::multiset<std::string> HostModule::callees(const ir::Function& fn) const {
  std::multiset<std::string> names;
  for (const auto& block : function(fn)) {
    for (const auto& instruction : block) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(&instruction);
      if (!call || llvm::isa<llvm::IntrinsicInst>(call)) continue;
      names.insert(call->getCalledFunction() ? call->getCalledFunction()->getName().str() : "(indirect)");
    }
  }
  return names;
}

}  // namespace flow::testing
