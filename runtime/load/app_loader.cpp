#include "load/app_loader.h"

#include "artifact/artifact.h"
#include "artifact/artifact_file.h"
#include "ir/lower.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace flow::runtime {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Lowers and builds the dispatch table of a checked program.
bool finish(LoadedApp& app, std::string& error) {
  ir::LowerResult lowered = ir::lower_program(*app.program);
  if (!lowered.ok()) {
    error = lowered.errors.empty() ? "cannot lower the program" : "cannot compile: " + lowered.errors[0].message;
    return false;
  }
  app.module = std::move(lowered.module);
  app.table = dispatch::build_dispatch_table(*app.program, *app.module);
  app.definitions_json = artifact::definitions_json(*app.program, *app.module, app.table);
  return true;
}

/// The rest of loading an artifact once its container was read: re-check
/// the embedded sources and make sure they still mean what was built.
std::unique_ptr<LoadedApp> from_contents(std::unique_ptr<LoadedApp> app, artifact::ArtifactContents& contents,
                                         const std::string& path, std::string& error) {
  DiagnosticEngine embedded_diags;
  app->program = artifact::compile_artifact_sources(contents, embedded_diags);
  if (!app->program || !app->program->ok) {
    // Only possible for an artifact from another compiler version: its own
    // sources were clean when it was built.
    std::string first = embedded_diags.diagnostics().empty() ? "" : ": " + embedded_diags.diagnostics()[0].message;
    error = path + ": its embedded sources do not check with this version (flowc " + contents.flowc_version +
            " built it)" + first;
    return nullptr;
  }
  if (!finish(*app, error)) {
    error = path + ": " + error;
    return nullptr;
  }
  if (app->definitions_json != contents.definitions_json) {
    error = path + ": its definitions differ from what its sources compile to (built by flowc " +
            contents.flowc_version + "); rebuild it";
    return nullptr;
  }
  app->content_hash = contents.content_hash;
  app->source_folder = contents.source_folder;
  app->bitcode = std::move(contents.bitcode);
  return app;
}

}  // namespace

std::unique_ptr<LoadedApp> load_app(const std::string& path, const LoadOptions& options, DiagnosticEngine& diags,
                                    std::string& error) {
  auto app = std::make_unique<LoadedApp>();
  app->source_path = path;
  if (ends_with(path, ".flow")) {
    CompileOptions compile_options;
    compile_options.include_dirs = options.include_dirs;
    app->program = compile_files({path}, compile_options, diags);
    if (!app->program) {
      error = "cannot read '" + path + "'";
      return nullptr;
    }
    if (!app->program->ok) {
      error = path + ": the program has errors";
      if (options.failed_program) *options.failed_program = std::move(app->program);
      return nullptr;
    }
    if (!finish(*app, error)) return nullptr;
    app->root_folder = std::filesystem::path(path).parent_path().string();
    app->artifact_bytes = artifact::write_artifact(*app->program, *app->module, app->table, {}, app->content_hash);
    return app;
  }

  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read '" + path + "'";
    return nullptr;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  app->artifact_bytes = std::move(bytes).str();
  artifact::ArtifactContents contents;
  if (!artifact::read_artifact(app->artifact_bytes, contents, error)) {
    error = path + ": " + error;
    return nullptr;
  }
  return from_contents(std::move(app), contents, path, error);
}

std::unique_ptr<LoadedApp> load_app_from_bytes(std::string_view bytes, const std::string& name, std::string& error) {
  auto app = std::make_unique<LoadedApp>();
  app->source_path = name;
  app->artifact_bytes.assign(bytes);
  artifact::ArtifactContents contents;
  if (!artifact::read_artifact(bytes, contents, error)) {
    error = name + ": " + error;
    return nullptr;
  }
  return from_contents(std::move(app), contents, name, error);
}

std::string service_folder(const LoadedApp& app, const std::string& module_path, const std::string& services_dir) {
  namespace fs = std::filesystem;
  const fs::path root(app.root_folder);
  // The module's folder relative to the root file's: "" for the root itself.
  fs::path relative = fs::path(module_path).lexically_normal().lexically_relative(root.empty() ? "." : root);
  if (relative.empty()) relative = fs::path(module_path).lexically_normal();  // not below the root's folder
  const fs::path base = !services_dir.empty() ? fs::path(services_dir) : fs::path(app.source_folder) / root;
  const fs::path folder = (base / relative.parent_path()).lexically_normal();
  return folder.empty() ? "." : folder.string();
}

}  // namespace flow::runtime
