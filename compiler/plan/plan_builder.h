// The compiler's last stage before the artifact: a checked, lowered program
// becomes the runtime plan (plan.h). The plan points into the program (its
// EventInfo and EnumInfo, its types), so the program must outlive it; what
// the runtime runs is the copy read back from the artifact.
#pragma once

#include <memory>

#include "check/program.h"
#include "ir/lower.h"
#include "plan/plan.h"

namespace flow::plan {

/// Builds the plan of `program` (checked) from its lowering, taking the
/// lowered module. Every conditional subscription must have been lowered.
std::unique_ptr<Plan> build_plan(const Program& program, ir::LowerResult& lowered);

}  // namespace flow::plan
