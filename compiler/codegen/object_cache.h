// The on-disk cache of JIT-compiled machine code, so that loading an
// unchanged program a second time skips the LLVM optimiser and code
// generator. One file per program: `<dir>/<key>.flowobj`, where the key
// hashes the program's content hash (given by the caller: the artifact's,
// or a hash of the bitcode), the target (triple, CPU, features), the LLVM
// version, the optimisation level and the code generator's ABI version.
//
// Files are written atomically (temporary file + rename). A file that does
// not have the expected header, key, size or checksum is ignored (counted as
// rejected) and overwritten by the next compilation; nothing here throws or
// aborts on a bad file or an unwritable folder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ir/ir.h"
#include "llvm/ExecutionEngine/ObjectCache.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/MemoryBuffer.h"

namespace flow::codegen {

/// What identifies one compiled program in the cache.
struct CacheKeyParts {
  std::string content_hash;  // the program (artifact hash, or bitcode hash)
  std::string ir_fingerprint;
  std::string triple;
  std::string cpu;
  std::string features;
  int opt_level = 2;
};

/// 64 hex digits (SHA-256 of the parts, the LLVM version and kAbiVersion).
std::string make_cache_key(const CacheKeyParts& parts);

/// The key of `module`'s machine code for `target` (the host, as the JIT
/// detects it) at `opt_level`, its content identified by `content_hash`.
std::string host_cache_key(const llvm::orc::JITTargetMachineBuilder& target, const std::string& content_hash,
                           const ir::Module& module, int opt_level);

/// The default cache folder: $FLOW_CACHE_DIR, else $XDG_CACHE_HOME/flow,
/// else $HOME/.cache/flow; empty when none of them is set.
std::string default_cache_dir();

class FileObjectCache : public llvm::ObjectCache {
 public:
  /// `dir` is created on the first write.
  explicit FileObjectCache(std::string dir);

  const std::string& dir() const { return dir_; }
  std::string path_for(const std::string& key) const;

  /// The cached object for `key`, or null (missing, unreadable or corrupt).
  std::unique_ptr<llvm::MemoryBuffer> load(const std::string& key);
  /// Stores `object` for `key`; false when the folder is not writable.
  bool store(const std::string& key, llvm::StringRef object);
  /// Forgets `key` (an object that loaded but did not link).
  void remove(const std::string& key);

  // llvm::ObjectCache: the module identifier is the key (jit.cpp sets it).
  void notifyObjectCompiled(const llvm::Module* module, llvm::MemoryBufferRef object) override;
  std::unique_ptr<llvm::MemoryBuffer> getObject(const llvm::Module* module) override;

  struct Counters {
    uint32_t hits = 0;
    uint32_t misses = 0;
    uint32_t writes = 0;
    uint32_t rejected = 0;  // files present but corrupt
  };
  const Counters& counters() const { return counters_; }

 private:
  std::string dir_;
  Counters counters_;
};

}  // namespace flow::codegen
