// The ORC LLJIT wrapper: target set-up, explicit runtime symbols, the
// cache-first load path, entry-point lookup, and calls that mirror the
// interpreter's.
#include "codegen/jit.h"

#include <chrono>
#include <mutex>

#include "codegen/jit_internal.h"
#include "codegen/llvm_codegen.h"
#include "codegen/object_cache.h"
#include "codegen/optimizer.h"
#include "codegen/runtime_symbols.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

namespace flow::codegen {

/// A program's machine code: the LLJIT that linked it, with the cache and
/// the counters its compiler reports to.
struct LlvmMachineCode final : MachineCode {
  CompileCounters counters;
  std::unique_ptr<FileObjectCache> cache;
  std::unique_ptr<llvm::orc::LLJIT> jit;
};

namespace {

void initialise_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

[[noreturn]] void fail(const std::string& what, llvm::Error error) {
  throw CodegenError(what + ": " + llvm::toString(std::move(error)));
}

template <typename T>
T take(llvm::Expected<T> value, const std::string& what) {
  if (!value) fail(what, value.takeError());
  return std::move(*value);
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

llvm::CodeGenOptLevel codegen_level(int opt_level) {
  switch (opt_level) {
    case 0: return llvm::CodeGenOptLevel::None;
    case 1: return llvm::CodeGenOptLevel::Less;
    case 2: return llvm::CodeGenOptLevel::Default;
    default: return llvm::CodeGenOptLevel::Aggressive;
  }
}

std::string bitcode_of(const llvm::Module& module) {
  std::string bytes;
  llvm::raw_string_ostream out(bytes);
  llvm::WriteBitcodeToFile(module, out);
  out.flush();
  return bytes;
}

}  // namespace

std::string content_hash(std::string_view bytes) {
  llvm::SHA256 hash;
  hash.update(llvm::StringRef(bytes.data(), bytes.size()));
  return llvm::toHex(hash.final(), /*LowerCase=*/true);
}

// Builds a CompiledProgram: the steps of load_program, in order.
class ProgramLoader {
 public:
  ProgramLoader(const ir::Module& module, const ModuleSource& source, const JitOptions& options)
      : source_(source), options_(options), program_(new CompiledProgram(module)) {}

  std::unique_ptr<CompiledProgram> load() {
    auto start = std::chrono::steady_clock::now();
    initialise_llvm();
    program_->prepare();
    target_ = take(llvm::orc::JITTargetMachineBuilder::detectHost(), "cannot target this machine");
    target_.setCodeGenOptLevel(codegen_level(options_.opt_level));
    open_cache();
    // A cache hit whose object then fails to link is forgotten and compiled afresh.
    for (int attempt = 0;; ++attempt) {
      create_jit();
      bool from_cache = attempt == 0 && add_cached_object();
      if (!from_cache) add_module();
      if (look_up_entries(from_cache)) {
        program_->stats_.cache_hit = from_cache;
        break;
      }
      forget_cached_object();
    }
    JitStats& stats = program_->stats_;
    stats.optimizer_runs = engine_->counters.optimizer_runs;
    stats.codegen_runs = engine_->counters.codegen_runs;
    stats.optimizer_ms = static_cast<double>(engine_->counters.optimizer_ns) / 1e6;
    stats.codegen_ms = static_cast<double>(engine_->counters.codegen_ns) / 1e6;
    if (cache()) {
      stats.cache_written = cache()->counters().writes > 0;
      stats.cache_rejected += cache()->counters().rejected;
      stats.cache_file = cache()->path_for(key_);
    }
    stats.load_ms = milliseconds_since(start);
    program_->machine_code_ = std::move(engine_);
    return std::move(program_);
  }

 private:
  FileObjectCache* cache() { return engine_->cache.get(); }
  llvm::orc::LLJIT& jit() { return *engine_->jit; }

  /// The cache and the key, which needs the content hash: the caller's, the
  /// source's, or (last resort) a hash of the module built here and kept.
  void open_cache() {
    engine_ = std::make_unique<LlvmMachineCode>();
    if (!options_.use_cache) return;
    std::string dir = options_.cache_dir.empty() ? default_cache_dir() : options_.cache_dir;
    if (dir.empty()) return;
    std::string content = !options_.cache_key.empty() ? options_.cache_key : source_.content_hash;
    if (content.empty()) content = content_hash(bitcode_of(built_module()));
    key_ = host_cache_key(target_, content, program_->module_, options_.opt_level);
    engine_->cache = std::make_unique<FileObjectCache>(dir);
  }

  llvm::Module& built_module() {
    if (!module_) {
      context_ = std::make_unique<llvm::LLVMContext>();
      module_ = source_.build(*context_, program_->sites_);
      if (!module_) throw CodegenError("no module to compile");
    }
    return *module_;
  }

  void create_jit() {
    auto& engine = *engine_;
    engine.jit.reset();
    int opt_level = options_.opt_level;
    FileObjectCache* cache = engine.cache.get();
    CompileCounters* counters = &engine.counters;
    llvm::orc::LLJITBuilder builder;
    builder.setJITTargetMachineBuilder(target_)
        .setLinkProcessSymbolsByDefault(false)  // only runtime_symbols() resolve
        .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
        .setCompileFunctionCreator([=](llvm::orc::JITTargetMachineBuilder machine)
                                       -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
          auto tm = machine.createTargetMachine();
          if (!tm) return tm.takeError();
          // The loader already looked in the cache before building the module.
          return std::make_unique<OptimizingCompiler>(std::move(*tm), opt_level, cache, /*lookup=*/false, counters);
        });
    engine.jit = take(builder.create(), "cannot create the JIT");
    llvm::orc::SymbolMap symbols;
    for (const RuntimeSymbol& s : runtime_symbols()) {
      symbols[engine.jit->mangleAndIntern(s.name)] = llvm::orc::ExecutorSymbolDef(
          llvm::orc::ExecutorAddr::fromPtr(s.address), llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
    }
    if (auto error = engine.jit->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols)))) {
      fail("cannot define the runtime symbols", std::move(error));
    }
  }

  /// Adds the cached object for the key, if there is one that the JIT
  /// accepts; a rejected one is deleted (and recompiled by the caller).
  bool add_cached_object() {
    if (!cache()) return false;
    auto object = cache()->load(key_);
    if (!object) return false;
    if (auto error = jit().addObjectFile(std::move(object))) {
      llvm::consumeError(std::move(error));
      forget_cached_object();
      create_jit();  // start from a clean JIT
      return false;
    }
    return true;
  }

  void forget_cached_object() {
    cache()->remove(key_);
    ++program_->stats_.cache_rejected;
  }

  void add_module() {
    llvm::Module& module = built_module();
    module.setModuleIdentifier(key_.empty() ? std::string("flow") : key_);  // the cache's key
    module.setDataLayout(jit().getDataLayout());
    module.setTargetTriple(jit().getTargetTriple().str());
    llvm::orc::ThreadSafeModule safe(std::move(module_), llvm::orc::ThreadSafeContext(std::move(context_)));
    if (auto error = jit().addIRModule(std::move(safe))) fail("cannot add the module", std::move(error));
  }

  /// Looks every entry point up at once (which compiles and links the
  /// module). False when a cached object does not link.
  bool look_up_entries(bool from_cache) {
    auto& j = jit();
    const auto& functions = program_->module_.functions;
    llvm::orc::SymbolLookupSet names;
    std::vector<llvm::orc::SymbolStringPtr> interned;
    for (const auto& fn : functions) {
      interned.push_back(j.mangleAndIntern(native_symbol(fn->id)));
      names.add(interned.back());
    }
    auto found =
        j.getExecutionSession().lookup(llvm::orc::makeJITDylibSearchOrder(&j.getMainJITDylib()), std::move(names));
    if (!found) {
      if (from_cache) {
        llvm::consumeError(found.takeError());
        return false;
      }
      fail("cannot compile the program", found.takeError());
    }
    program_->entries_.assign(functions.size(), nullptr);
    for (size_t i = 0; i < functions.size(); ++i) {
      program_->entries_[i] = (*found)[interned[i]].getAddress().toPtr<NativeFn>();
    }
    return true;
  }

  const ModuleSource& source_;
  const JitOptions& options_;
  std::unique_ptr<CompiledProgram> program_;
  std::unique_ptr<LlvmMachineCode> engine_;  // the program's, once loaded
  llvm::orc::JITTargetMachineBuilder target_{llvm::Triple()};
  std::string key_;
  std::unique_ptr<llvm::LLVMContext> context_;
  std::unique_ptr<llvm::Module> module_;
};

std::unique_ptr<CompiledProgram> load_program(const ir::Module& module, const ModuleSource& source,
                                              const JitOptions& options) {
  return ProgramLoader(module, source, options).load();
}

std::unique_ptr<CompiledProgram> CompiledProgram::compile(const ir::Module& module, const JitOptions& options) {
  ModuleSource source;
  const ir::Module* ir = &module;
  source.build = [ir](llvm::LLVMContext& context, const ErrorSiteTable& sites) {
    return generate_module(*ir, sites, context);
  };
  return load_program(module, source, options);
}

}  // namespace flow::codegen
