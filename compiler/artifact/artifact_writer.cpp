// Writing artifacts (see artifact_writer.h).
#include "artifact/artifact_writer.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/byte_codec.h"
#include "ir/ir_printer.h"
#include "plan/plan_format.h"

namespace flow::artifact {

namespace {

using nlohmann::json;

// Paths are left out of the sources (the location section has them), so
// that where the files were saved is not part of the content hash.
std::string encode_sources(const Program& program) {
  bytes::Writer out;
  out.u32(static_cast<uint32_t>(program.modules.size()));
  for (const auto& m : program.modules) {
    out.str(m->named_by_file ? "" : m->name);  // a file's stem is where it is saved, too
    out.str("");
    out.str(m->file->text());
    out.u8(static_cast<uint8_t>((m->is_root ? 1 : 0) | (m->is_stdlib ? 2 : 0)));
  }
  return std::move(out.bytes());
}

/// The location section: the root files' folder (absolute) and every
/// module's path relative to it.
std::string encode_location(const Program& program) {
  namespace fs = std::filesystem;
  fs::path folder;
  for (const auto& m : program.modules) {
    if (m->is_root) {
      folder = fs::absolute(m->file->path()).lexically_normal().parent_path();
      break;
    }
  }
  json paths = json::array();
  for (const auto& m : program.modules) {
    fs::path relative = fs::absolute(m->file->path()).lexically_normal().lexically_relative(folder);
    paths.push_back(relative.empty() ? m->file->path() : relative.string());
  }
  return json({{"folder", folder.string()}, {"paths", paths}}).dump();
}

}  // namespace

std::string definitions_json(const plan::Plan& plan) {
  const ir::Module& module = *plan.module;
  json events = json::array();
  for (const EventInfo* e : plan.events) {
    json fields = json::array();
    const layout::EventLayout& layout = module.layouts.of(e);
    for (size_t i = 0; i < e->fields.size(); ++i) {
      json f = {{"name", e->fields[i].name}, {"type", e->fields[i].type->to_string()}};
      if (e->fields[i].is_key) f["key"] = true;
      if (e->fields[i].has_default) f["has_default"] = true;
      f["offset"] = layout.fields[i].offset;
      fields.push_back(std::move(f));
    }
    json event = {{"name", e->qualified_name}, {"fields", std::move(fields)}};
    event["size"] = layout.size;
    events.push_back(std::move(event));
  }
  auto names = [](const std::vector<const EventInfo*>& list) {
    json out = json::array();
    for (const EventInfo* e : list) out.push_back(e->qualified_name);
    return out;
  };
  json services = json::array();
  for (const plan::Service& s : plan.services) {
    json service = {{"name", s.qualified_name},
                    {"consumes", s.consumes ? s.consumes->qualified_name : ""},
                    {"publishes", names(s.publishes)}};
    switch (s.kind) {
      case plan::ServiceKind::Exec: service["exec"] = s.exec_command; break;
      case plan::ServiceKind::Http: service["http"] = s.http_url; break;
      case plan::ServiceKind::Builtin: service["builtin"] = s.builtin_name; break;
      case plan::ServiceKind::Emit: service["emits"] = s.emit_count; break;
      case plan::ServiceKind::None: break;
    }
    if (s.timeout_us >= 0) service["timeout_us"] = s.timeout_us;
    if (s.retry >= 0) service["retry"] = s.retry;
    if (s.backoff_us >= 0) service["backoff_us"] = s.backoff_us;
    if (s.concurrency >= 0) service["concurrency"] = s.concurrency;
    services.push_back(std::move(service));
  }
  json flows = json::array();
  for (const plan::Flow& f : plan.flows) {
    flows.push_back({{"name", f.qualified_name},
                     {"start", names(f.starts)},
                     {"accepts", names(f.accepts)},
                     {"end", names(f.ends)}});
  }
  json dispatch = json::array();
  for (const auto& e : plan.table.events) {
    if (e.routes.empty()) continue;
    json routes = json::array();
    for (const auto& r : e.routes) {
      json services_list = json::array();
      for (int s : r.services) services_list.push_back(plan.services[static_cast<size_t>(s)].qualified_name);
      json route = {{"flow", plan.flows[static_cast<size_t>(r.flow)].qualified_name},
                    {"subscription", r.subscription},
                    {"services", services_list}};
      if (r.condition >= 0) route["condition"] = module.function(r.condition).name;
      routes.push_back(std::move(route));
    }
    dispatch.push_back({{"event", e.event->qualified_name}, {"routes", std::move(routes)}});
  }
  json all = {{"events", std::move(events)},
              {"services", std::move(services)},
              {"flows", std::move(flows)},
              {"dispatch", std::move(dispatch)}};
  return all.dump(1);
}

std::string write_artifact(const Program& program, const plan::Plan& plan, std::string_view bitcode,
                           std::string& content_hash) {
  ContainerFile file;
  json meta = {{"flowc_version", FLOW_VERSION}};
  file.sections.push_back({kMeta, meta.dump()});
  file.sections.push_back({kSources, encode_sources(program)});
  file.sections.push_back({kDefinitions, definitions_json(plan)});
  file.sections.push_back({kIrText, ir::print_module(*plan.module)});
  if (!bitcode.empty()) file.sections.push_back({kBitcode, std::string(bitcode)});
  file.sections.push_back({kPlan, plan::write_plan(plan)});
  file.sections.push_back({kLocation, encode_location(program)});
  std::string bytes = serialize_container(file);
  content_hash = file.content_hash;
  return bytes;
}

std::unique_ptr<Program> compile_artifact_sources(const ArtifactContents& contents, DiagnosticEngine& diags) {
  std::vector<std::pair<std::string, std::string>> roots;
  CompileOptions options;
  for (const auto& s : contents.sources) {
    if (s.root)
      roots.push_back({s.path, s.text});
    else
      options.embedded_modules[s.module] = {s.path, s.text};
  }
  // An artifact is self-contained: imports never fall back to the file system.
  options.stdlib_dir = "/nonexistent-flow-stdlib";
  options.stem_prefixed_roots = !contents.has_location;
  return compile_sources(roots, options, diags);
}

}  // namespace flow::artifact
