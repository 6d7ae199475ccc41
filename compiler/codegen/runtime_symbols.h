// The symbols JIT-compiled code may call: the flow_rt helpers and the few C
// library functions LLVM emits calls to (memcmp from string comparisons,
// fmod from frem, round/floor/ceil where the CPU has no instruction, memcpy
// and memset from recognised loops). The JIT defines exactly these, by
// address, so a missing one is a link error at load time rather than a
// surprise from the process's dynamic symbol table.
#pragma once

#include <vector>

namespace flow::codegen {

struct RuntimeSymbol {
  const char* name;
  void* address;
};

const std::vector<RuntimeSymbol>& runtime_symbols();

}  // namespace flow::codegen
