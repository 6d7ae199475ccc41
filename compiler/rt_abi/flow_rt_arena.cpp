// flow_rt: the arena (bump allocator) and status messages.
#include <cstring>
#include <new>

#include "base/short_copy.h"
#include "rt_abi/arena.h"

namespace {
constexpr size_t kFirstBlock = 4096;
constexpr uint64_t kMaxAllocation = uint64_t{1} << 40;  // refuse absurd sizes instead of overflowing
}  // namespace

void* FlowArena::allocate(uint64_t size, uint64_t align) {
  if (align == 0 || (align & (align - 1)) != 0 || align > 16 || size > kMaxAllocation) throw std::bad_alloc();
  if (size == 0) size = 1;  // distinct, non-null pointers keep callers simple
  if (!blocks.empty()) {
    Block& block = blocks.back();
    auto base = reinterpret_cast<uintptr_t>(block.memory.get());
    uintptr_t start = (base + used_in_block + align - 1) & ~static_cast<uintptr_t>(align - 1);
    if (start + size <= base + block.size) {
      used_in_block = start + size - base;
      used_total += size;
      return reinterpret_cast<void*>(start);
    }
  }
  size_t next = blocks.empty() ? kFirstBlock : blocks.back().size * 2;
  while (next < size + align) next *= 2;
  // operator new[] for std::byte is aligned to __STDCPP_DEFAULT_NEW_ALIGNMENT__ (16).
  Block block{std::unique_ptr<std::byte[]>(new std::byte[next]), next};
  blocks.push_back(std::move(block));
  used_in_block = size;
  used_total += size;
  return blocks.back().memory.get();
}

void FlowArena::reset() {
  if (blocks.size() > 1) blocks.erase(blocks.begin() + 1, blocks.end());
  used_in_block = 0;
  used_total = 0;
}

namespace flow {

void* Arena::allocate_zeroed(uint64_t size, uint64_t align) {
  void* p = allocate(size, align);
  std::memset(p, 0, size == 0 ? 1 : size);
  return p;
}

FlowStr Arena::copy(std::string_view text) {
  char* p = static_cast<char*>(allocate(text.size(), 1));
  short_copy(p, text.data(), text.size());
  return FlowStr{p, text.size()};
}

}  // namespace flow

extern "C" {

FlowArena* flow_rt_arena_create(void) {
  return new (std::nothrow) FlowArena();
}

void flow_rt_arena_destroy(FlowArena* arena) {
  delete arena;
}

void flow_rt_arena_reset(FlowArena* arena) {
  arena->reset();
}

void* flow_rt_arena_alloc(FlowArena* arena, uint64_t size, uint64_t align) {
  try {
    return arena->allocate(size, align);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

uint64_t flow_rt_arena_used(const FlowArena* arena) {
  return arena->used_total;
}

const char* flow_rt_status_message(int32_t status) {
  switch (status) {
    case FLOW_RT_OK: return "ok";
    case FLOW_RT_DIVISION_BY_ZERO: return "division by zero";
    case FLOW_RT_OVERFLOW: return "integer overflow";
    case FLOW_RT_INDEX_OUT_OF_RANGE: return "list index out of range";
    case FLOW_RT_INVALID_NUMBER: return "number cannot be converted to int";
    case FLOW_RT_ABSENT_VALUE: return "absent optional value";
    case FLOW_RT_OUT_OF_MEMORY: return "out of memory";
  }
  return "unknown evaluation error";
}

}  // extern "C"
