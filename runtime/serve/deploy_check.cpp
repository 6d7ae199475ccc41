// Checking a PUT /definitions body; see deploy_check.h.
#include "serve/deploy_check.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "artifact/artifact.h"
#include "load/flowc_adapter.h"
#include "load/temp_folder.h"
#include "queries/common/query_json.h"
#include "serve/live_queries.h"
#include "serve/query_params.h"

namespace flow::runtime::serve {

namespace {

namespace fs = std::filesystem;
using queries::ojson;

/// "Text/Plain; charset=utf-8" -> "text/plain".
std::string media_type(std::string_view header) {
  header = header.substr(0, header.find(';'));
  while (!header.empty() && std::isspace(static_cast<unsigned char>(header.front()))) header.remove_prefix(1);
  while (!header.empty() && std::isspace(static_cast<unsigned char>(header.back()))) header.remove_suffix(1);
  std::string out(header);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

/// The file name an uploaded source takes and the folder it counts as being
/// in: those of the root file the server runs.
struct Home {
  std::string name = "definitions.flow";
  fs::path folder;
};

Home home_of(const DeployOptions& options) {
  Home home;
  std::error_code ec;
  home.folder = fs::current_path(ec);
  if (options.root_file.empty()) return home;
  const fs::path root = fs::absolute(options.root_file, ec).lexically_normal();
  if (root.extension() == ".flow") return {root.filename().string(), root.parent_path()};
  // An artifact: its root source, in the folder it was built in.
  artifact::ArtifactContents contents;
  std::string error;
  if (!artifact::read_artifact_file(root.string(), contents, error)) return home;
  for (const auto& source : contents.sources) {
    if (!source.root) continue;
    const fs::path folder = contents.source_folder.empty() ? home.folder : fs::path(contents.source_folder);
    const fs::path file = (folder / source.path).lexically_normal();
    return {file.filename().string(), file.parent_path()};
  }
  return home;
}

/// Replaces the artifact's location section (where it was built: not part
/// of its content hash) with `folder` and each module path mapped by `path_of`.
bool relocate(std::string& bytes, const fs::path& folder, const std::function<std::string(const std::string&)>& path_of,
              std::string& error) {
  artifact::ContainerFile file;
  if (!artifact::parse_container(bytes, file, error)) return false;
  const std::string hash = file.content_hash;
  for (auto& section : file.sections) {
    if (section.kind != artifact::kLocation) continue;
    nlohmann::json location = nlohmann::json::parse(section.bytes, nullptr, false);
    if (location.is_discarded() || !location["paths"].is_array()) {
      error = "the artifact's location section does not read";
      return false;
    }
    location["folder"] = folder.string();
    for (auto& path : location["paths"]) {
      if (path.is_string()) path = path_of(path.get<std::string>());
    }
    section.bytes = location.dump();
  }
  bytes = artifact::serialize_container(file);
  if (file.content_hash != hash) {
    error = "relocating the artifact changed its content hash";
    return false;
  }
  return true;
}

/// flowc's diagnostics: its JSON objects as they are, any other line it
/// printed as a message; the temporary folder's paths as the names the
/// user gave.
ojson diagnostics_json(const std::string& text, const std::string& temp_prefix) {
  auto clean = [&](std::string s) {
    for (size_t at; !temp_prefix.empty() && (at = s.find(temp_prefix)) != std::string::npos;) {
      s.erase(at, temp_prefix.size());
    }
    return s;
  };
  ojson out = ojson::array();
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    ojson d = ojson::parse(line, nullptr, false);
    if (d.is_discarded() || !d.is_object() || !d.contains("message")) {
      d = {{"code", nullptr}, {"severity", "error"}, {"file", nullptr},
           {"line", nullptr}, {"column", nullptr},   {"message", clean(line)}};
    } else if (d.contains("file") && d["file"].is_string()) {
      d["file"] = clean(d["file"].get<std::string>());
    }
    out.push_back(std::move(d));
  }
  return out;
}

Answer refused(std::string_view error, ojson diagnostics) {
  ojson j;
  j["error"] = error;
  j["diagnostics"] = std::move(diagnostics);
  return Answer{422, "application/json", queries::dump(j)};
}

bool write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out.flush());
}

struct Built {
  std::unique_ptr<LoadedApp> app;
  Answer refusal;  // when !app
  ojson warnings = ojson::array();
};

/// `flowc build` of `input` (a file in `temp`) into `artifact`; false, with
/// the refusal set, when the compiler refuses it.
bool compile(const fs::path& input, const std::vector<std::string>& include, const TempFolder& temp, Built& out,
             std::string& artifact) {
  FlowcResult built = run_flowc_build(input.string(), include, DiagnosticFormat::Json);
  const std::string prefix = temp.path().string() + "/";
  out.warnings = diagnostics_json(built.diagnostics, prefix);
  if (!built.ok) {
    std::string why = built.error;
    if (why.starts_with(prefix)) why.erase(0, prefix.size());
    out.refusal = refused(why, std::move(out.warnings));
    return false;
  }
  artifact = std::move(built.artifact);
  return true;
}

/// Compiles a `.flow` source as if it were the root file in its folder.
Built build_source(std::string_view text, const DeployOptions& options, const TempFolder& temp) {
  Built out;
  const Home home = home_of(options);
  const fs::path file = temp.path() / home.name;
  if (!write_file(file, text)) {
    out.refusal = error_answer(500, "cannot write the source to compile it");
    return out;
  }
  std::vector<std::string> include = options.include_dirs;
  include.push_back(home.folder.string());  // what the root file's own folder would give
  std::string artifact;
  if (!compile(file, include, temp, out, artifact)) return out;
  // Recorded as built in the root file's folder: its modules' paths, and so
  // the folders its exec services run in, are those of the running version.
  std::string error;
  auto path_of = [&](const std::string& path) {
    fs::path absolute = (temp.path() / path).lexically_normal();
    const fs::path inside = absolute.lexically_relative(temp.path());
    if (!inside.empty() && *inside.begin() != "..") absolute = home.folder / inside;
    const fs::path relative = absolute.lexically_relative(home.folder);
    return relative.empty() ? absolute.string() : relative.string();
  };
  if (!relocate(artifact, home.folder, path_of, error)) {
    out.refusal = error_answer(500, error);
    return out;
  }
  out.app = load_app_from_bytes(artifact, home.name, error);
  if (!out.app) out.refusal = refused(error, ojson::array());
  return out;
}

/// Rebuilds an artifact from the sources it embeds (never running its code).
Built build_artifact(std::string_view bytes, const TempFolder& temp) {
  Built out;
  artifact::ArtifactContents uploaded;
  std::string error;
  if (!artifact::read_artifact(bytes, uploaded, error)) {
    out.refusal = refused("not a usable artifact: " + error, ojson::array());
    return out;
  }
  if (std::none_of(uploaded.sources.begin(), uploaded.sources.end(), [](const auto& s) { return s.root; })) {
    out.refusal = refused("the artifact holds no sources to build it from", ojson::array());
    return out;
  }
  const fs::path file = temp.path() / "uploaded.flowc";
  if (!write_file(file, bytes)) {
    out.refusal = error_answer(500, "cannot write the artifact to rebuild it");
    return out;
  }
  std::string artifact;
  if (!compile(file, {}, temp, out, artifact)) return out;
  // Recorded where the uploaded one was built, as `flowrt run` of it would
  // run its exec services (the module paths are the same).
  auto same_path = [](const std::string& path) { return path; };
  if (uploaded.has_location && !relocate(artifact, uploaded.source_folder, same_path, error)) {
    out.refusal = error_answer(500, error);
    return out;
  }
  out.app = load_app_from_bytes(artifact, "uploaded artifact", error);
  if (!out.app) out.refusal = refused(error, ojson::array());
  return out;
}

}  // namespace

DeployCheck deploy_check(const DeployRequest& request, const DeployOptions& options, LiveQueries& live) {
  DeployCheck check;
  QueryParams params(request.query_string, {"dry_run"});
  if (!params.ok()) {
    check.answer = error_answer(400, params.error());
    return check;
  }
  if (const std::string* dry = params.get("dry_run")) {
    if (*dry == "1" || *dry == "true") {
      check.dry_run = true;
    } else if (*dry != "0" && *dry != "false") {
      check.answer = error_answer(400, "dry_run takes 1 or 0 (true or false)");
      return check;
    }
  }
  const std::string type = media_type(request.content_type);
  const bool source = type == "text/plain";
  if (!source && type != "application/octet-stream") {
    check.answer = error_answer(415,
                                "PUT /definitions takes a .flow source (text/plain) or an artifact "
                                "(application/octet-stream), not '" +
                                    std::string(request.content_type) + "'");
    return check;
  }
  TempFolder temp("flowrt-deploy");
  if (temp.path().empty()) {
    check.answer = error_answer(500, "cannot create a temporary folder to compile the definitions");
    return check;
  }
  Built built = source ? build_source(request.body, options, temp) : build_artifact(request.body, temp);
  if (!built.app) {
    check.answer = std::move(built.refusal);
    return check;
  }
  const std::string label = built.app->source_path + " (PUT /definitions)";
  if (check.dry_run) {
    check.answer = live.dry_run(*built.app, label, options.replay_threads);
    return check;
  }
  built.app->source_path = label;
  ojson j;
  j["format"] = "flowrt.deploy/1";
  j["hash"] = built.app->content_hash;
  j["source"] = label;
  j["warnings"] = std::move(built.warnings);
  check.answer = json_answer(queries::dump(j));
  check.app = std::move(built.app);
  return check;
}

}  // namespace flow::runtime::serve
