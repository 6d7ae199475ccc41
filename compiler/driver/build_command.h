// `flowc build`: lower a checked program, build its dispatch table and
// write the artifact.
#pragma once

#include <string>

#include "check/program.h"

namespace flow {

/// Returns the process exit status (0, 1 when lowering fails, 2 when the
/// output cannot be written).
int run_build(Program& program, const std::string& output_path);

}  // namespace flow
