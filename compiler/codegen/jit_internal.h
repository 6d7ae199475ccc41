// Between jit.cpp and bitcode.cpp: building a CompiledProgram from some
// source of an LLVM module (generated from IR, or parsed from bitcode).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "codegen/jit.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace flow::codegen {

struct ModuleSource {
  /// Identifies the module's content for the cache key (e.g. a hash of the
  /// bitcode); empty: the loader hashes the built module's bitcode.
  std::string content_hash;
  /// Builds the unoptimised module; called only when the cache has no
  /// object (or to compute the content hash). May throw CodegenError.
  std::function<std::unique_ptr<llvm::Module>(llvm::LLVMContext&, const ErrorSiteTable&)> build;
};

std::unique_ptr<CompiledProgram> load_program(const ir::Module& module, const ModuleSource& source,
                                              const JitOptions& options);

/// SHA-256 hex of some bytes (bitcode content hashes).
std::string content_hash(std::string_view bytes);

}  // namespace flow::codegen
