// The eval tests' fixture (tests/eval/eval_fixture.h), implemented by
// dual_fixture.cpp so that every evaluation runs on BOTH back ends: the
// reference interpreter and the LLVM JIT. Each Compiled::run (and so every
// value_of / error_of / eval_expr of the eval tests, which codegen_tests
// compiles again against this fixture) evaluates with both, checks that
// they agree exactly (backend_compare.h), and returns the result.
#pragma once

#include "../eval/eval_fixture.h"
#include "codegen/jit.h"

namespace flow::testing {

/// Options every test JIT uses: no on-disk cache (tests must not write to
/// the user's cache folder).
codegen::JitOptions test_jit_options();

/// The JIT-compiled form of a program made by compile() / compile_expr().
const codegen::CompiledProgram& jit_of(const Compiled& compiled);

}  // namespace flow::testing
