// The inside of a JIT module (see jit_module_api.h): the LLVM back end
// behind the one exported function. Built twice, with LLVM linked in
// statically and every other symbol hidden: with FLOW_JIT_CACHE_ONLY as
// libflowjit-cached.so (the object cache and ORC's linker only), without
// as libflowjit.so (the whole back end).
#include <exception>

#include "jit/jit_module_api.h"
#if FLOW_JIT_CACHE_ONLY
#include "codegen/cached_program.h"
#else
#include "codegen/bitcode.h"
#endif

namespace flow::runtime {
namespace {

std::unique_ptr<codegen::CompiledProgram> build(std::string_view bitcode, const ir::Module& module,
                                                const codegen::JitOptions& options) {
#if FLOW_JIT_CACHE_ONLY
  (void)bitcode;
  return codegen::load_cached_program(module, options);
#else
  return bitcode.empty() ? codegen::CompiledProgram::compile(module, options)
                         : codegen::compile_bitcode(bitcode, module, options);
#endif
}

codegen::CompiledProgram* load(std::string_view bitcode, const ir::Module& module, const codegen::JitOptions& options,
                               std::string& error) {
  try {
    return build(bitcode, module, options).release();
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unknown error in the JIT module";
  }
  return nullptr;
}

const JitModuleApi kApi{kJitModuleAbi, sizeof(codegen::CompiledProgram), sizeof(ir::Module),
                        sizeof(codegen::JitOptions), &load};

}  // namespace
}  // namespace flow::runtime

extern "C" __attribute__((visibility("default"))) const flow::runtime::JitModuleApi* flow_jit_module_api() {
  return &flow::runtime::kApi;
}
