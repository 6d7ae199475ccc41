// Writing artifacts: the compiler's side of artifact.h. The sources, the
// definitions (JSON), the IR text, the bitcode, the plan and the location
// of a checked program.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "artifact/artifact.h"
#include "check/program.h"
#include "plan/plan.h"

namespace flow::artifact {

/// The definitions section: a stable JSON description of the plan's events,
/// services, flows and dispatch table (also what `--emit=table` prints).
std::string definitions_json(const plan::Plan& plan);

/// Serialises an artifact; sets `content_hash` of the result.
std::string write_artifact(const Program& program, const plan::Plan& plan, std::string_view bitcode,
                           std::string& content_hash);

/// Re-checks the embedded sources into a Program (diagnostics to `diags`):
/// how `flowc` rebuilds an artifact that has no plan section.
std::unique_ptr<Program> compile_artifact_sources(const ArtifactContents& contents, DiagnosticEngine& diags);

}  // namespace flow::artifact
