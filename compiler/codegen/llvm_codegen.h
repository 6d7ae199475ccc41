// IR -> LLVM IR: one LLVM function per ir::Function, with the native ABI of
// native_abi.h (`int32_t flow_fn_<id>(const uint8_t* event, FlowRtContext*
// ctx, void* result)`), calling the flow_rt helpers of rt_abi/flow_rt.h for
// everything that is not a few machine instructions. The generated module is
// verified and unoptimised; jit.cpp optimises and compiles it.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "ir/ir.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace flow::codegen {

class ErrorSiteTable;

/// A module the back end cannot compile: malformed IR (a lowering bug), a
/// bitcode/IR mismatch, or an LLVM failure. Never an evaluation error.
class CodegenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Generates the LLVM module for `module`. `sites` must have been built
/// from the same module. Throws CodegenError.
std::unique_ptr<llvm::Module> generate_module(const ir::Module& module, const ErrorSiteTable& sites,
                                              llvm::LLVMContext& context, const std::string& name = "flow");

}  // namespace flow::codegen
