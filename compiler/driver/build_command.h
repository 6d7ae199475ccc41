// `flowc build`: lower a checked program, build its dispatch table and
// write the artifact.
#pragma once

#include <string>

#include "check/program.h"
#include "plan/plan.h"

namespace flow {

/// Lowers a checked program and builds its runtime plan; null, after
/// printing why on stderr, when lowering fails.
std::unique_ptr<plan::Plan> lower_to_plan(Program& program);

/// Returns the process exit status (0, 1 when lowering fails, 2 when the
/// output cannot be written). `quiet`: no "wrote ..." line.
int run_build(Program& program, const std::string& output_path, bool quiet);

/// `flowc build OLD.flowc -o NEW.flowc`: re-checks an artifact's embedded
/// sources and writes it again with this compiler's sections (a runtime
/// plan for an artifact built before plans). Refuses, with exit status 1,
/// when the sources no longer compile to the definitions stored in it.
int run_rebuild(const std::string& artifact_path, const std::string& output_path, bool quiet);

}  // namespace flow
