#include "load/app_loader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "artifact/artifact.h"
#include "load/flowc_adapter.h"
#include "plan/plan_format.h"

namespace flow::runtime {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Reads the plan of an artifact whose container was read. An artifact
/// without one (built before plans) is rebuilt by flowc from its embedded
/// sources — `rebuild_from` names it on disk, else it is written to a
/// temporary file first; its identity (bytes, hash) stays the original's.
std::unique_ptr<LoadedApp> from_contents(std::unique_ptr<LoadedApp> app, artifact::ArtifactContents& contents,
                                         const std::string& path, std::string& error) {
  std::string plan_bytes = std::move(contents.plan);
  if (plan_bytes.empty()) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path copy = fs::temp_directory_path(ec) / ("flowrt-legacy-" + contents.content_hash.substr(0, 16) + "-" +
                                                   std::to_string(getpid()) + ".flowc");
    {
      std::ofstream out(copy, std::ios::binary | std::ios::trunc);
      out.write(app->artifact_bytes.data(), static_cast<std::streamsize>(app->artifact_bytes.size()));
    }
    FlowcResult rebuilt = run_flowc_build(copy.string(), {});
    fs::remove(copy, ec);
    artifact::ArtifactContents fresh;
    std::string fresh_error;
    if (!rebuilt.ok || !artifact::read_artifact(rebuilt.artifact, fresh, fresh_error) || fresh.plan.empty()) {
      std::string why = !rebuilt.ok ? rebuilt.error : fresh_error;
      const auto first_line = rebuilt.diagnostics.substr(0, rebuilt.diagnostics.find('\n'));
      error = path + ": built by flowc " + contents.flowc_version +
              " without a runtime plan, and rebuilding it failed" +
              (first_line.empty() ? ": " + why : ": " + first_line);
      return nullptr;
    }
    plan_bytes = std::move(fresh.plan);
    if (contents.bitcode.empty()) contents.bitcode = std::move(fresh.bitcode);
  }
  app->plan = plan::read_plan(plan_bytes, error);
  if (!app->plan) {
    error = path + ": " + error;
    return nullptr;
  }
  for (auto& service : app->plan->services) {
    if (service.module >= 0 && static_cast<size_t>(service.module) < contents.sources.size()) {
      service.module_path = contents.sources[static_cast<size_t>(service.module)].path;
    }
  }
  app->content_hash = contents.content_hash;
  app->source_folder = contents.source_folder;
  app->bitcode = std::move(contents.bitcode);
  app->definitions_json = std::move(contents.definitions_json);
  app->ir_text = std::move(contents.ir_text);
  return app;
}

}  // namespace

std::unique_ptr<LoadedApp> load_app(const std::string& path, const LoadOptions& options, std::string& diagnostics,
                                    std::string& error) {
  auto app = std::make_unique<LoadedApp>();
  app->source_path = path;
  if (ends_with(path, ".flow")) {
    std::ifstream probe(path);
    if (!probe) {
      error = "cannot read '" + path + "'";
      return nullptr;
    }
    FlowcResult built = run_flowc_build(path, options.include_dirs);
    diagnostics = std::move(built.diagnostics);
    if (!built.ok) {
      error = built.error;
      return nullptr;
    }
    app->artifact_bytes = std::move(built.artifact);
    artifact::ArtifactContents contents;
    if (!artifact::read_artifact(app->artifact_bytes, contents, error)) {
      error = path + ": " + error;
      return nullptr;
    }
    // Like any artifact: module paths relative to the root's folder, which
    // flowc recorded (absolute), so exec services run where they are.
    return from_contents(std::move(app), contents, path, error);
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
