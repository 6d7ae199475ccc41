// Writing and reading the bitcode form, checked against the IR fingerprint.
#include "codegen/bitcode.h"

#include "codegen/ir_fingerprint.h"
#include "codegen/jit_internal.h"
#include "codegen/llvm_codegen.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

namespace flow::codegen {

namespace {

const char* kFingerprintNode = "flow.ir_fingerprint";

std::string fingerprint_of(const llvm::Module& module) {
  const llvm::NamedMDNode* node = module.getNamedMetadata(kFingerprintNode);
  if (!node || node->getNumOperands() != 1 || node->getOperand(0)->getNumOperands() != 1) return {};
  auto* text = llvm::dyn_cast<llvm::MDString>(node->getOperand(0)->getOperand(0));
  return text ? text->getString().str() : std::string();
}

/// The module an artifact carries: the generated code for this host's
/// triple, tagged with the IR's fingerprint.
std::unique_ptr<llvm::Module> artifact_module(const ir::Module& module, llvm::LLVMContext& context) {
  ErrorSiteTable sites(module);
  auto llvm_module = generate_module(module, sites, context);
  llvm_module->setTargetTriple(llvm::sys::getProcessTriple());
  llvm::NamedMDNode* node = llvm_module->getOrInsertNamedMetadata(kFingerprintNode);
  node->addOperand(llvm::MDNode::get(context, {llvm::MDString::get(context, ir_fingerprint(module))}));
  return llvm_module;
}

}  // namespace

std::string write_bitcode(const ir::Module& module) {
  llvm::LLVMContext context;
  auto llvm_module = artifact_module(module, context);
  std::string bytes;
  llvm::raw_string_ostream out(bytes);
  llvm::WriteBitcodeToFile(*llvm_module, out);
  out.flush();
  return bytes;
}

std::string write_llvm_text(const ir::Module& module) {
  llvm::LLVMContext context;
  auto llvm_module = artifact_module(module, context);
  std::string text;
  llvm::raw_string_ostream out(text);
  llvm_module->print(out, nullptr);
  out.flush();
  return text;
}

std::unique_ptr<CompiledProgram> compile_bitcode(std::string_view bitcode, const ir::Module& module,
                                                 const JitOptions& options) {
  ModuleSource source;
  // Only a cache needs it, and then only without the caller's own key.
  if (options.use_cache && options.cache_key.empty()) source.content_hash = content_hash(bitcode);
  const ir::Module* ir = &module;
  source.build = [bitcode, ir](llvm::LLVMContext& context, const ErrorSiteTable&) {
    llvm::MemoryBufferRef buffer(llvm::StringRef(bitcode.data(), bitcode.size()), "flow.bc");
    auto parsed = llvm::parseBitcodeFile(buffer, context);
    if (!parsed) throw CodegenError("malformed bitcode: " + llvm::toString(parsed.takeError()));
    std::unique_ptr<llvm::Module> llvm_module = std::move(*parsed);
    std::string recorded = fingerprint_of(*llvm_module);
    if (recorded.empty()) throw CodegenError("the bitcode was not written by write_bitcode");
    if (recorded != ir_fingerprint(*ir)) throw CodegenError("the bitcode was written for a different program");
    return llvm_module;
  };
  return load_program(module, source, options);
}

}  // namespace flow::codegen
