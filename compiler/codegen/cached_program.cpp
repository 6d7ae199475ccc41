// Linking a cached object with ORC's JITLink layer (see cached_program.h).
#include "codegen/cached_program.h"

#include <chrono>

#include "codegen/native_abi.h"
#include "codegen/object_cache.h"
#include "codegen/runtime_symbols.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/ExecutorProcessControl.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"

namespace flow::codegen {

namespace {

/// The machine code of a cached program: the session that linked it.
struct LinkedObject final : MachineCode {
  std::unique_ptr<llvm::orc::ExecutionSession> session;
  std::unique_ptr<llvm::orc::ObjectLinkingLayer> linker;
  ~LinkedObject() override {
    if (session) llvm::consumeError(session->endSession());  // frees the code
  }
};

}  // namespace

class CachedProgramLoader {
 public:
  CachedProgramLoader(const ir::Module& module, const JitOptions& options)
      : options_(options), program_(new CompiledProgram(module)) {}

  std::unique_ptr<CompiledProgram> load() {
    auto start = std::chrono::steady_clock::now();
    if (!options_.use_cache || options_.cache_key.empty()) return nullptr;
    std::string dir = options_.cache_dir.empty() ? default_cache_dir() : options_.cache_dir;
    if (dir.empty()) return nullptr;
    auto target = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!target) {
      llvm::consumeError(target.takeError());
      return nullptr;
    }
    const std::string key = host_cache_key(*target, options_.cache_key, program_->module_, options_.opt_level);
    FileObjectCache cache(dir);
    auto object = cache.load(key);
    if (!object) return nullptr;
    program_->prepare();
    if (!link(std::move(object))) {
      cache.remove(key);
      return nullptr;
    }
    JitStats& stats = program_->stats_;
    stats.cache_hit = true;
    stats.cache_file = cache.path_for(key);
    stats.load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return std::move(program_);
  }

 private:
  /// Links the object against the runtime symbols and looks every entry
  /// point up; false (and nothing kept) when any step fails.
  bool link(std::unique_ptr<llvm::MemoryBuffer> object) {
    auto code = std::make_unique<LinkedObject>();
    auto control = llvm::orc::SelfExecutorProcessControl::Create();
    if (!control) {
      llvm::consumeError(control.takeError());
      return false;
    }
    code->session = std::make_unique<llvm::orc::ExecutionSession>(std::move(*control));
    llvm::orc::ExecutionSession& session = *code->session;
    code->linker = std::make_unique<llvm::orc::ObjectLinkingLayer>(session);
    llvm::orc::JITDylib& library = session.createBareJITDylib("flow");
    llvm::orc::SymbolMap symbols;
    for (const RuntimeSymbol& s : runtime_symbols()) {
      symbols[session.intern(s.name)] = llvm::orc::ExecutorSymbolDef(
          llvm::orc::ExecutorAddr::fromPtr(s.address), llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
    }
    if (!succeeded(library.define(llvm::orc::absoluteSymbols(std::move(symbols))))) return false;
    if (!succeeded(code->linker->add(library, std::move(object)))) return false;

    const auto& functions = program_->module_.functions;
    llvm::orc::SymbolLookupSet names;
    std::vector<llvm::orc::SymbolStringPtr> interned;
    for (const auto& fn : functions) {
      interned.push_back(session.intern(native_symbol(fn->id)));
      names.add(interned.back());
    }
    auto found = session.lookup(llvm::orc::makeJITDylibSearchOrder(&library), std::move(names));
    if (!found) {
      llvm::consumeError(found.takeError());
      return false;
    }
    program_->entries_.assign(functions.size(), nullptr);
    for (size_t i = 0; i < functions.size(); ++i) {
      program_->entries_[i] = (*found)[interned[i]].getAddress().toPtr<NativeFn>();
    }
    program_->machine_code_ = std::move(code);
    return true;
  }

  static bool succeeded(llvm::Error error) {
    if (!error) return true;
    llvm::consumeError(std::move(error));
    return false;
  }

  const JitOptions& options_;
  std::unique_ptr<CompiledProgram> program_;
};

std::unique_ptr<CompiledProgram> load_cached_program(const ir::Module& module, const JitOptions& options) {
  return CachedProgramLoader(module, options).load();
}

}  // namespace flow::codegen
