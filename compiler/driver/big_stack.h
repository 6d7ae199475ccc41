// Runs work on a thread with a large stack. The parser and the passes are
// recursive; input nesting is bounded (parser.h), and this is the margin
// that keeps a pathological-but-accepted input from overflowing.
#pragma once

#include <functional>

namespace flow {

/// Runs `work` on a thread with `stack_bytes` of stack and waits for it.
int run_with_big_stack(const std::function<int()>& work, size_t stack_bytes = 512u << 20);

}  // namespace flow
