// Loading the JIT modules and compiling through them (see native_loader.h).
#include "load/native_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <mutex>

#include "jit/jit_module_api.h"
#include "load/companion_path.h"

namespace flow::runtime {

namespace {

/// The table of the module `name`, or null with `error` set. Each module is
/// loaded at most once per process and stays loaded.
const JitModuleApi* jit_module(const std::string& name, std::string& error) {
  struct Loaded {
    const JitModuleApi* api = nullptr;
    std::string error;
  };
  static std::mutex mutex;
  static std::map<std::string, Loaded> modules;
  std::lock_guard lock(mutex);
  auto [it, first] = modules.try_emplace(name);
  Loaded& loaded = it->second;
  if (first) {
    const std::string beside = name, installed = "../lib/flow/" + name;
    std::optional<std::string> path;
    if (const char* dir = std::getenv("FLOW_JIT_MODULE_DIR"); dir && *dir) {
      path = std::string(dir) + "/" + name;
    } else {
      path = companion_path(nullptr, {beside.c_str(), installed.c_str()}, R_OK);
    }
    void* handle = path ? dlopen(path->c_str(), RTLD_NOW | RTLD_LOCAL) : nullptr;
    auto entry = handle ? reinterpret_cast<JitModuleEntry>(dlsym(handle, kJitModuleEntry)) : nullptr;
    const JitModuleApi* api = entry ? entry() : nullptr;
    if (!path) {
      loaded.error =
          "cannot find the JIT module " + name + " beside flowrt or in ../lib/flow (or set FLOW_JIT_MODULE_DIR)";
    } else if (!handle) {
      const char* why = dlerror();
      loaded.error = "cannot load the JIT module '" + *path + "': " + (why ? why : "unknown error");
    } else if (!api || api->abi != kJitModuleAbi || api->program_size != sizeof(codegen::CompiledProgram) ||
               api->module_size != sizeof(ir::Module) || api->options_size != sizeof(codegen::JitOptions)) {
      loaded.error = "the JIT module '" + *path + "' comes from another build of Flow";
    } else {
      loaded.api = api;
    }
  }
  if (!loaded.api) error = loaded.error;
  return loaded.api;
}

}  // namespace

std::unique_ptr<codegen::CompiledProgram> compile_native(std::string_view bitcode, const ir::Module& module,
                                                         const codegen::JitOptions& options, std::string& error) {
  // The small module first: it links cached machine code, and says so when
  // there is none. Failing to load it only costs the shortcut.
  if (options.use_cache && !options.cache_key.empty()) {
    std::string ignored;
    if (const JitModuleApi* cached = jit_module(kCachedJitModule, ignored)) {
      error.clear();
      if (auto* program = cached->load(bitcode, module, options, error))
        return std::unique_ptr<codegen::CompiledProgram>(program);
      if (!error.empty()) return nullptr;
    }
  }
  const JitModuleApi* full = jit_module(kFullJitModule, error);
  if (!full) return nullptr;
  return std::unique_ptr<codegen::CompiledProgram>(full->load(bitcode, module, options, error));
}

}  // namespace flow::runtime
