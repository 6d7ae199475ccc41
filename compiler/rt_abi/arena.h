// The C++ side of flow_rt's arena: the definition of FlowArena and an owning
// RAII handle for C++ callers (event builders, the interpreter, tests).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "rt_abi/flow_rt.h"

/// A bump allocator: a list of blocks, each at least twice the size of the
/// previous one, so many small allocations cost one pointer bump each.
struct FlowArena {
  struct Block {
    std::unique_ptr<std::byte[]> memory;
    size_t size = 0;
  };
  std::vector<Block> blocks;
  size_t used_in_block = 0;  // in blocks.back()
  uint64_t used_total = 0;

  /// Throws std::bad_alloc; the C entry points turn that into NULL.
  void* allocate(uint64_t size, uint64_t align);
  void reset();
};

namespace flow {

/// Owns a FlowArena. Moves, never copies.
class Arena {
 public:
  Arena() : arena_(flow_rt_arena_create()) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&& other) noexcept : arena_(other.arena_) { other.arena_ = nullptr; }
  ~Arena() { flow_rt_arena_destroy(arena_); }

  FlowArena* get() const { return arena_; }
  /// Uninitialised memory; throws std::bad_alloc.
  void* allocate(uint64_t size, uint64_t align) { return arena_->allocate(size, align); }
  /// Zero-filled memory.
  void* allocate_zeroed(uint64_t size, uint64_t align);
  /// A copy of `text` owned by the arena.
  FlowStr copy(std::string_view text);
  void reset() { arena_->reset(); }
  uint64_t used() const { return arena_->used_total; }

 private:
  FlowArena* arena_;
};

}  // namespace flow
