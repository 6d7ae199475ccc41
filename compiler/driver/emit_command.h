// `flowc build --emit STAGE`: print one stage of the compilation to stdout,
// to see what each stage makes of a program.
//   ast      the parsed modules (ast/ast_printer.h)
//   checked  the checked declarations with resolved names and types
//            (check/checked_printer.h)
//   ir       the lowered rule IR (ir/ir_printer.h)
//   plan     the runtime plan (plan/plan_printer.h)
//   llvm     the LLVM IR of the rule module, as the artifact's bitcode
//            carries it (codegen/bitcode.h)
// Standard-library modules are named in `ast` and `checked` but not shown.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "check/program.h"

namespace flow {

enum class EmitStage { Ast, Checked, Ir, Plan, Llvm };

/// The stage named `name` (`ast`, `checked`, `ir`, `plan`, `llvm`).
std::optional<EmitStage> emit_stage_named(const std::string& name);

/// Prints `stage` of a checked program (`program.ok`) to `out`. Returns
/// the exit status: 0, or 1 when lowering or code generation fails
/// (reported on stderr).
int run_emit(Program& program, EmitStage stage, std::ostream& out);

}  // namespace flow
