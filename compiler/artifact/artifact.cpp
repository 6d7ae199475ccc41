#include "artifact/artifact.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "artifact/artifact_file.h"
#include "ir/ir_printer.h"

namespace flow::artifact {

namespace {

using nlohmann::json;

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void put_string(std::string& out, std::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

bool get_u32(std::string_view& in, uint32_t& v) {
  if (in.size() < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(4);
  return true;
}

bool get_string(std::string_view& in, std::string& s) {
  uint32_t n;
  if (!get_u32(in, n) || in.size() < n) return false;
  s.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

// Paths are left out of the sources (the location section has them), so
// that where the files were saved is not part of the content hash.
std::string encode_sources(const Program& program) {
  std::string out;
  put_u32(out, static_cast<uint32_t>(program.modules.size()));
  for (const auto& m : program.modules) {
    put_string(out, m->named_by_file ? "" : m->name);  // a file's stem is where it is saved, too
    put_string(out, "");
    put_string(out, m->file->text());
    out.push_back(static_cast<char>((m->is_root ? 1 : 0) | (m->is_stdlib ? 2 : 0)));
  }
  return out;
}

bool decode_sources(std::string_view in, std::vector<SourceEntry>& out) {
  uint32_t count;
  if (!get_u32(in, count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    SourceEntry e;
    if (!get_string(in, e.module) || !get_string(in, e.path) || !get_string(in, e.text) || in.empty()) return false;
    e.root = in[0] & 1;
    e.stdlib = in[0] & 2;
    in.remove_prefix(1);
    out.push_back(std::move(e));
  }
  return in.empty();
}

}  // namespace

std::string definitions_json(const Program& program, const ir::Module& module, const dispatch::DispatchTable& table) {
  json events = json::array();
  for (const auto* e : program.all<ast::EventDecl>()) {
    json fields = json::array();
    const layout::EventLayout& layout = module.layouts.of(e);
    for (size_t i = 0; i < e->fields.size(); ++i) {
      json f = {{"name", e->fields[i].name}, {"type", e->fields[i].type->to_string()}};
      if (e->fields[i].is_key) f["key"] = true;
      if (e->fields[i].decl && e->fields[i].decl->default_value) f["has_default"] = true;
      f["offset"] = layout.fields[i].offset;
      fields.push_back(std::move(f));
    }
    json event = {{"name", e->qualified_name()}, {"fields", std::move(fields)}};
    event["size"] = layout.size;
    events.push_back(std::move(event));
  }
  json services = json::array();
  for (const auto* s : program.all<ast::ServiceDecl>()) {
    json publishes = json::array();
    for (const auto& p : s->publishes) publishes.push_back(p.resolved ? p.resolved->qualified_name() : p.text());
    json service = {{"name", s->qualified_name()},
                    {"consumes", s->consumed_event() ? s->consumed_event()->qualified_name() : ""},
                    {"publishes", std::move(publishes)}};
    switch (s->impl) {
      case ast::ServiceImpl::Exec: service["exec"] = s->exec_command; break;
      case ast::ServiceImpl::Builtin: service["builtin"] = s->builtin_name; break;
      case ast::ServiceImpl::Emit: service["emits"] = s->emits.size(); break;
      case ast::ServiceImpl::None: break;
    }
    if (s->timeout_us >= 0) service["timeout_us"] = s->timeout_us;
    if (s->retry >= 0) service["retry"] = s->retry;
    if (s->backoff_us >= 0) service["backoff_us"] = s->backoff_us;
    if (s->concurrency >= 0) service["concurrency"] = s->concurrency;
    services.push_back(std::move(service));
  }
  json flows = json::array();
  for (const auto* f : program.all<ast::FlowDecl>()) {
    auto names = [](const std::vector<ast::QualifiedName>& list) {
      json out = json::array();
      for (const auto& n : list) out.push_back(n.resolved ? n.resolved->qualified_name() : n.text());
      return out;
    };
    flows.push_back({{"name", f->qualified_name()},
                     {"start", names(f->starts)},
                     {"accepts", names(f->accepts)},
                     {"end", names(f->ends)}});
  }
  json dispatch = json::array();
  for (const auto& e : table.events) {
    if (e.routes.empty()) continue;
    json routes = json::array();
    for (const auto& r : e.routes) {
      json services_list = json::array();
      for (const auto* s : r.services) services_list.push_back(s->qualified_name());
      json route = {{"flow", r.flow->qualified_name()}, {"subscription", r.subscription}, {"services", services_list}};
      if (r.condition >= 0) route["condition"] = module.function(r.condition).name;
      routes.push_back(std::move(route));
    }
    dispatch.push_back({{"event", e.event->qualified_name()}, {"routes", std::move(routes)}});
  }
  json all = {{"events", std::move(events)},
              {"services", std::move(services)},
              {"flows", std::move(flows)},
              {"dispatch", std::move(dispatch)}};
  return all.dump(1);
}

namespace {

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

/// Fills the sources' paths and the build folder from the location section.
bool decode_location(std::string_view bytes, ArtifactContents& out) {
  json location = json::parse(bytes, nullptr, false);
  if (location.is_discarded() || !location.is_object() || !location["folder"].is_string() ||
      !location["paths"].is_array() || location["paths"].size() != out.sources.size()) {
    return false;
  }
  for (size_t i = 0; i < out.sources.size(); ++i) {
    if (!location["paths"][i].is_string()) return false;
    out.sources[i].path = location["paths"][i].get<std::string>();
  }
  out.source_folder = location["folder"].get<std::string>();
  out.has_location = true;
  return true;
}

}  // namespace

std::string write_artifact(const Program& program, const ir::Module& module, const dispatch::DispatchTable& table,
                           std::string_view bitcode, std::string& content_hash) {
  ContainerFile file;
  json meta = {{"flowc_version", FLOW_VERSION}};
  file.sections.push_back({kMeta, meta.dump()});
  file.sections.push_back({kSources, encode_sources(program)});
  file.sections.push_back({kDefinitions, definitions_json(program, module, table)});
  file.sections.push_back({kIrText, ir::print_module(module)});
  if (!bitcode.empty()) file.sections.push_back({kBitcode, std::string(bitcode)});
  file.sections.push_back({kLocation, encode_location(program)});
  std::string bytes = serialize_container(file);
  content_hash = file.content_hash;
  return bytes;
}

bool read_artifact(std::string_view bytes, ArtifactContents& out, std::string& error) {
  ContainerFile file;
  if (!parse_container(bytes, file, error)) return false;
  const Section* meta = file.find(kMeta);
  const Section* sources = file.find(kSources);
  const Section* definitions = file.find(kDefinitions);
  if (!meta || !sources || !definitions) {
    error = "malformed artifact: a required section is missing";
    return false;
  }
  json meta_json = json::parse(meta->bytes, nullptr, false);
  if (meta_json.is_discarded() || !meta_json.contains("flowc_version") || !meta_json["flowc_version"].is_string()) {
    error = "malformed artifact: unreadable metadata";
    return false;
  }
  out.flowc_version = meta_json["flowc_version"].get<std::string>();
  if (!decode_sources(sources->bytes, out.sources)) {
    error = "malformed artifact: unreadable sources section";
    return false;
  }
  if (const Section* location = file.find(kLocation); location && !decode_location(location->bytes, out)) {
    error = "malformed artifact: unreadable location section";
    return false;
  }
  for (auto& source : out.sources) {
    if (source.path.empty()) source.path = source.module + ".flow";  // no location: name it by its module
  }
  out.definitions_json = definitions->bytes;
  if (const Section* ir = file.find(kIrText)) out.ir_text = ir->bytes;
  if (const Section* bc = file.find(kBitcode)) out.bitcode = bc->bytes;
  out.content_hash = file.content_hash;
  return true;
}

bool read_artifact_file(const std::string& path, ArtifactContents& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read '" + path + "'";
    return false;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!read_artifact(bytes.str(), out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
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
