// The one place the runtime reaches the compiler: it runs `flowc build` in
// a child process, so `flowrt` links no front end (no parser, no checker,
// no ANTLR) and executes only plans. Used for `.flow` sources given to
// `flowrt run` / `replay --with`, and for artifacts built before artifacts
// carried a plan (flowc re-checks their embedded sources, verifies they
// still mean what was built, and writes the plan).
//
// flowc is found as $FLOWC, else next to the running executable (the
// installed layout), else at ../compiler/flowc from it (the build tree),
// else on PATH.
#pragma once

#include <string>
#include <vector>

namespace flow::runtime {

struct FlowcResult {
  bool ok = false;
  std::string artifact;     // the bytes flowc wrote
  std::string diagnostics;  // what flowc printed (its diagnostics)
  std::string error;        // one line, when !ok
};

enum class DiagnosticFormat { Human, Json };

/// `flowc build INPUT -o TMP` (INPUT: `.flow` sources, or an artifact to
/// rebuild with a plan). With DiagnosticFormat::Json, `diagnostics` holds
/// flowc's JSON lines (one object per diagnostic, docs/cli.md `flowc check`)
/// and any other line it printed.
FlowcResult run_flowc_build(const std::string& input, const std::vector<std::string>& include_dirs,
                            DiagnosticFormat format = DiagnosticFormat::Human);

}  // namespace flow::runtime
