// The object cache: a second load of an unchanged program skips the LLVM
// optimiser and code generator; corrupt files are ignored and rewritten;
// the key separates programs, options and targets; the folder follows
// FLOW_CACHE_DIR / XDG_CACHE_HOME / HOME and an unusable one is harmless.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "codegen/bitcode.h"
#include "codegen/object_cache.h"
#include "dual_fixture.h"
#include "llvm/Support/xxhash.h"
#include "shop_program.h"

using namespace flow;
using namespace flow::testing;
namespace fs = std::filesystem;

namespace {

/// A fresh folder under the temp directory, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path =
        fs::temp_directory_path() / ("flow-cache-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

/// Sets an environment variable for one scope.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(const std::string& n, const char* value) : name(n) {
    if (const char* v = std::getenv(n.c_str())) old = v;
    if (value) {
      ::setenv(n.c_str(), value, 1);
    } else {
      ::unsetenv(n.c_str());
    }
  }
  ~ScopedEnv() {
    if (old) {
      ::setenv(name.c_str(), old->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
};

codegen::JitOptions cached_in(const fs::path& dir) {
  codegen::JitOptions options;
  options.cache_dir = dir.string();
  return options;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

/// Evaluates NeedsReview and Risk natively on one order.
std::string evaluate(const Compiled& c, const codegen::CompiledProgram& program) {
  Arena arena;
  layout::EventBuilder b(c.layout("OrderPlaced"), arena);
  fill_order(b, 5000.0, "US");
  auto review = program.run(c.rule("NeedsReview"), b.instance(), {});
  auto risk = program.run(c.rule("Risk"), b.instance(), {});
  return review.value().to_string() + " " + risk.value().to_string();
}

}  // namespace

TEST_CASE("a second load of an unchanged program comes from the cache") {
  TempDir dir;
  auto c = compile(kShopProgram);
  auto first = codegen::CompiledProgram::compile(c->module(), cached_in(dir.path));
  CHECK_FALSE(first->stats().cache_hit);
  CHECK(first->stats().optimizer_runs == 1);
  CHECK(first->stats().codegen_runs == 1);
  CHECK(first->stats().cache_written);
  CHECK(fs::exists(first->stats().cache_file));
  CHECK(fs::path(first->stats().cache_file).parent_path() == dir.path);

  auto second = codegen::CompiledProgram::compile(c->module(), cached_in(dir.path));
  CHECK(second->stats().cache_hit);
  CHECK(second->stats().optimizer_runs == 0);  // the optimiser did not run
  CHECK(second->stats().codegen_runs == 0);
  CHECK_FALSE(second->stats().cache_written);
  CHECK(second->stats().cache_file == first->stats().cache_file);
  CHECK(evaluate(*c, *second) == evaluate(*c, *first));
  CHECK(evaluate(*c, *second) == "true \"medium\"");
}

TEST_CASE("a corrupt cache file is ignored, recompiled and rewritten") {
  TempDir dir;
  auto c = compile(kShopProgram);
  auto original = codegen::CompiledProgram::compile(c->module(), cached_in(dir.path));
  std::string file = original->stats().cache_file;
  std::string good = read_file(file);
  REQUIRE(good.size() > 100);

  auto flip_last = good;
  flip_last.back() = static_cast<char>(flip_last.back() ^ 0x5A);
  std::string wrong_key = good;
  wrong_key[14] = static_cast<char>(wrong_key[14] ^ 1);
  // A well-formed file (right key, size and checksum) whose object is junk:
  // only linking can tell, and then the file is dropped too.
  std::string junk_object;
  {
    std::string header = good.substr(0, 8 + 4 + 64);
    std::string payload(512, 'x');
    uint64_t size = payload.size();
    uint64_t checksum = llvm::xxh3_64bits(payload);
    junk_object = header + std::string(reinterpret_cast<const char*>(&size), 8) +
                  std::string(reinterpret_cast<const char*>(&checksum), 8) + payload;
  }
  struct Corruption {
    const char* what;
    std::string bytes;
  };
  for (const Corruption& corruption :
       {Corruption{"empty", ""}, Corruption{"truncated", good.substr(0, good.size() / 2)},
        Corruption{"bit flip in the object", flip_last}, Corruption{"wrong key", wrong_key},
        Corruption{"not a cache file", "hello, world"}, Corruption{"junk object", junk_object}}) {
    INFO(corruption.what);
    write_file(file, corruption.bytes);
    auto reloaded = codegen::CompiledProgram::compile(c->module(), cached_in(dir.path));
    CHECK_FALSE(reloaded->stats().cache_hit);
    CHECK(reloaded->stats().cache_rejected >= 1);
    CHECK(reloaded->stats().optimizer_runs == 1);
    CHECK(reloaded->stats().cache_written);
    CHECK(evaluate(*c, *reloaded) == "true \"medium\"");
    CHECK(read_file(file) == good);  // rewritten
    auto again = codegen::CompiledProgram::compile(c->module(), cached_in(dir.path));
    CHECK(again->stats().cache_hit);
  }
}

TEST_CASE("the cache key covers the program, the options and the given content hash") {
  TempDir dir;
  auto shop = compile(kShopProgram);
  auto other = compile_expr("e.i + 1", "int");
  auto a = codegen::CompiledProgram::compile(shop->module(), cached_in(dir.path));
  auto b = codegen::CompiledProgram::compile(other->module(), cached_in(dir.path));
  CHECK(a->stats().cache_file != b->stats().cache_file);

  auto o1 = cached_in(dir.path);
  o1.opt_level = 1;
  auto c = codegen::CompiledProgram::compile(shop->module(), o1);
  CHECK_FALSE(c->stats().cache_hit);
  CHECK(c->stats().cache_file != a->stats().cache_file);

  auto keyed = cached_in(dir.path);
  keyed.cache_key = "artifact-sha256-0123";
  auto d = codegen::CompiledProgram::compile(shop->module(), keyed);
  CHECK_FALSE(d->stats().cache_hit);
  auto e = codegen::CompiledProgram::compile(shop->module(), keyed);
  CHECK(e->stats().cache_hit);
  CHECK(e->stats().cache_file == d->stats().cache_file);
  CHECK(d->stats().cache_file != a->stats().cache_file);

  codegen::CacheKeyParts parts;
  parts.content_hash = "x";
  std::string base = codegen::make_cache_key(parts);
  CHECK(base.size() == 64);
  parts.triple = "aarch64-unknown-linux-gnu";
  CHECK(codegen::make_cache_key(parts) != base);
  parts.triple = "";
  parts.features = "+avx2";
  CHECK(codegen::make_cache_key(parts) != base);
}

TEST_CASE("the cache folder: option, FLOW_CACHE_DIR, XDG_CACHE_HOME, HOME") {
  TempDir dir;
  {
    ScopedEnv flow("FLOW_CACHE_DIR", (dir.path / "from-env").c_str());
    CHECK(codegen::default_cache_dir() == (dir.path / "from-env").string());
    auto c = compile_expr("e.i * 2", "int");
    auto program = codegen::CompiledProgram::compile(c->module(), codegen::JitOptions{});
    CHECK(fs::path(program->stats().cache_file).parent_path() == dir.path / "from-env");
    CHECK(fs::exists(program->stats().cache_file));
    // The explicit option wins over the environment.
    auto explicit_dir = codegen::CompiledProgram::compile(c->module(), cached_in(dir.path / "explicit"));
    CHECK(fs::path(explicit_dir->stats().cache_file).parent_path() == dir.path / "explicit");
  }
  {
    ScopedEnv flow("FLOW_CACHE_DIR", nullptr);
    ScopedEnv xdg("XDG_CACHE_HOME", "/xdg/cache");
    CHECK(codegen::default_cache_dir() == "/xdg/cache/flow");
  }
  {
    ScopedEnv flow("FLOW_CACHE_DIR", nullptr);
    ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
    ScopedEnv home("HOME", "/home/ada");
    CHECK(codegen::default_cache_dir() == "/home/ada/.cache/flow");
  }
}

TEST_CASE("an unusable cache folder or a disabled cache never stops compilation") {
  auto c = compile(kShopProgram);
  auto unusable = codegen::CompiledProgram::compile(c->module(), cached_in("/dev/null/flow-cache"));
  CHECK_FALSE(unusable->stats().cache_hit);
  CHECK_FALSE(unusable->stats().cache_written);
  CHECK(evaluate(*c, *unusable) == "true \"medium\"");

  TempDir dir;
  auto options = cached_in(dir.path);
  options.use_cache = false;
  auto uncached = codegen::CompiledProgram::compile(c->module(), options);
  CHECK(uncached->stats().cache_file.empty());
  CHECK_FALSE(fs::exists(dir.path));
}

TEST_CASE("bitcode loads hit the cache by the bitcode's hash") {
  TempDir dir;
  auto c = compile(kShopProgram);
  std::string bitcode = codegen::write_bitcode(c->module());
  auto first = codegen::compile_bitcode(bitcode, c->module(), cached_in(dir.path));
  CHECK(first->stats().optimizer_runs == 1);
  auto second = codegen::compile_bitcode(bitcode, c->module(), cached_in(dir.path));
  CHECK(second->stats().cache_hit);
  CHECK(second->stats().optimizer_runs == 0);
  CHECK(evaluate(*c, *second) == "true \"medium\"");
}
