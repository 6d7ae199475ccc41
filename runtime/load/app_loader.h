// The runtime's first stage: load an application into its runtime plan
// (plan/plan.h). An artifact's plan section is read as it is: nothing is
// parsed or checked. A `.flow` source, and an artifact built before plans
// existed, go through the one adapter that calls the compiler
// (flowc_adapter.h). A missing, truncated, corrupt or incompatible artifact
// is refused with a one-line reason; nothing is half-loaded.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"

namespace flow::runtime {

struct LoadedApp {
  std::unique_ptr<plan::Plan> plan;
  /// The artifact: as read, or for `.flow` sources the one flowc built
  /// from them. The journal records it as the definition version.
  std::string artifact_bytes;
  std::string content_hash;  // of artifact_bytes
  std::string bitcode;       // from the artifact, when it has one
  std::string definitions_json;
  std::string ir_text;      // the artifact's IR section
  std::string source_path;  // the file given
  /// Where the program's source paths (its modules' file paths) are
  /// relative to: for an artifact, the absolute folder its root files were
  /// in when it was built (empty for artifacts that did not record it:
  /// then, like a `.flow` given directly, the working directory).
  std::string source_folder;
  /// The root file's folder within those paths ("" when they are relative
  /// to it already, as in an artifact).
  std::string root_folder;

  const ir::Module& module() const { return *plan->module; }
};

/// The folder an `exec` service declared in the module at `module_path`
/// runs in (runtime.md §3: its `.flow` file's folder): `services_dir`,
/// when given, stands for the root file's folder, else the folder recorded
/// in the app (docs/cli.md, "Where exec services run").
std::string service_folder(const LoadedApp& app, const std::string& module_path, const std::string& services_dir);

struct LoadOptions {
  std::vector<std::string> include_dirs;  // for .flow sources
};

/// Loads `path` (by extension: `.flow` compiles sources, anything else is
/// read as an artifact). On failure returns null and sets `error` to one
/// line; the compiler's diagnostics for a `.flow` go to `diagnostics`.
std::unique_ptr<LoadedApp> load_app(const std::string& path, const LoadOptions& options, std::string& diagnostics,
                                    std::string& error);

/// Loads an artifact held in memory (a journal's definition record keeps the
/// whole .flowc). `name` only labels errors. Same checks as load_app.
std::unique_ptr<LoadedApp> load_app_from_bytes(std::string_view bytes, const std::string& name, std::string& error);

}  // namespace flow::runtime
