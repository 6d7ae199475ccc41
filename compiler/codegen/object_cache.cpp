// The file format and folder handling of the object cache.
//
// File: "FLOWOBJ1" | u32 key length | key | u64 object size | u64 xxh3 of
// the object | object bytes (native-endian: a cache never leaves its host).
#include "codegen/object_cache.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "codegen/ir_fingerprint.h"
#include "codegen/native_abi.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/xxhash.h"

namespace flow::codegen {

namespace {

constexpr char kMagic[8] = {'F', 'L', 'O', 'W', 'O', 'B', 'J', '1'};

void add_part(llvm::SHA256& hash, const std::string& part) {
  // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
  uint64_t size = part.size();
  hash.update(llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(&size), sizeof size));
  hash.update(part);
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

template <typename T>
bool read_scalar(llvm::StringRef& bytes, T& out) {
  if (bytes.size() < sizeof(T)) return false;
  std::memcpy(&out, bytes.data(), sizeof(T));
  bytes = bytes.drop_front(sizeof(T));
  return true;
}

}  // namespace

std::string make_cache_key(const CacheKeyParts& parts) {
  llvm::SHA256 hash;
  add_part(hash, "flow-object-cache");
  add_part(hash, std::to_string(kAbiVersion));
  add_part(hash, LLVM_VERSION_STRING);
  add_part(hash, parts.content_hash);
  add_part(hash, parts.ir_fingerprint);
  add_part(hash, parts.triple);
  add_part(hash, parts.cpu);
  add_part(hash, parts.features);
  add_part(hash, std::to_string(parts.opt_level));
  std::array<uint8_t, 32> digest = hash.final();
  return llvm::toHex(digest, /*LowerCase=*/true);
}

std::string host_cache_key(const llvm::orc::JITTargetMachineBuilder& target, const std::string& content_hash,
                           const ir::Module& module, int opt_level) {
  CacheKeyParts parts;
  parts.content_hash = content_hash;
  parts.ir_fingerprint = ir_fingerprint(module);
  parts.triple = target.getTargetTriple().str();
  parts.cpu = target.getCPU();
  parts.features = target.getFeatures().getString();
  parts.opt_level = opt_level;
  return make_cache_key(parts);
}

std::string default_cache_dir() {
  if (std::string dir = env("FLOW_CACHE_DIR"); !dir.empty()) return dir;
  if (std::string xdg = env("XDG_CACHE_HOME"); !xdg.empty()) return xdg + "/flow";
  if (std::string home = env("HOME"); !home.empty()) return home + "/.cache/flow";
  return {};
}

FileObjectCache::FileObjectCache(std::string dir) : dir_(std::move(dir)) {}

std::string FileObjectCache::path_for(const std::string& key) const {
  return dir_ + "/" + key + ".flowobj";
}

std::unique_ptr<llvm::MemoryBuffer> FileObjectCache::load(const std::string& key) {
  auto file = llvm::MemoryBuffer::getFile(path_for(key), /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!file) {
    ++counters_.misses;
    return nullptr;
  }
  llvm::StringRef bytes = (*file)->getBuffer();
  auto reject = [&]() -> std::unique_ptr<llvm::MemoryBuffer> {
    ++counters_.rejected;
    ++counters_.misses;
    return nullptr;
  };
  if (!bytes.starts_with(llvm::StringRef(kMagic, sizeof kMagic))) return reject();
  bytes = bytes.drop_front(sizeof kMagic);
  uint32_t key_size = 0;
  if (!read_scalar(bytes, key_size) || key_size != key.size() || bytes.size() < key_size) return reject();
  if (bytes.take_front(key_size) != key) return reject();
  bytes = bytes.drop_front(key_size);
  uint64_t size = 0;
  uint64_t checksum = 0;
  if (!read_scalar(bytes, size) || !read_scalar(bytes, checksum) || bytes.size() != size) return reject();
  if (llvm::xxh3_64bits(bytes) != checksum) return reject();
  ++counters_.hits;
  // A copy: the object must be suitably aligned for the linker.
  return llvm::MemoryBuffer::getMemBufferCopy(bytes, key);
}

bool FileObjectCache::store(const std::string& key, llvm::StringRef object) {
  if (dir_.empty()) return false;
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) return false;
  static std::atomic<uint64_t> counter{0};
  std::string temporary = path_for(key) + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    auto key_size = static_cast<uint32_t>(key.size());
    uint64_t size = object.size();
    uint64_t checksum = llvm::xxh3_64bits(object);
    out.write(kMagic, sizeof kMagic);
    out.write(reinterpret_cast<const char*>(&key_size), sizeof key_size);
    out.write(key.data(), static_cast<std::streamsize>(key.size()));
    out.write(reinterpret_cast<const char*>(&size), sizeof size);
    out.write(reinterpret_cast<const char*>(&checksum), sizeof checksum);
    out.write(object.data(), static_cast<std::streamsize>(object.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temporary, error);
      return false;
    }
  }
  // rename() replaces a corrupt file atomically; readers see old or new.
  std::filesystem::rename(temporary, path_for(key), error);
  if (error) {
    std::filesystem::remove(temporary, error);
    return false;
  }
  ++counters_.writes;
  return true;
}

void FileObjectCache::remove(const std::string& key) {
  std::error_code error;
  std::filesystem::remove(path_for(key), error);
}

void FileObjectCache::notifyObjectCompiled(const llvm::Module* module, llvm::MemoryBufferRef object) {
  store(module->getModuleIdentifier(), object.getBuffer());
}

std::unique_ptr<llvm::MemoryBuffer> FileObjectCache::getObject(const llvm::Module* module) {
  return load(module->getModuleIdentifier());
}

}  // namespace flow::codegen
