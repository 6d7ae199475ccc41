// The module loader (module_loader.h): root files, their imports, the
// standard library, and the import graph's cycles.
#include "load/module_loader.h"

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>

#include "parse/parser.h"

namespace fs = std::filesystem;

namespace flow {

namespace {

/// Files larger than this are refused before parsing (offsets are 32-bit).
constexpr size_t kMaxSourceBytes = 256u << 20;

}  // namespace

ModuleLoader::ModuleLoader(Program& program, const CompileOptions& options, DiagnosticEngine& diags)
    : program_(program), options_(options), diags_(diags) {}

bool ModuleLoader::add_root(const std::string& path, const std::string* text) {
  const SourceFile* file;
  if (text) {
    file = program_.sources.add(path, *text);
  } else {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (!ec && size > kMaxSourceBytes) {
      report_io(path, "file is too large (" + std::to_string(size >> 20) + " MiB; the limit is 256 MiB)");
      return false;
    }
    std::string error;
    file = program_.sources.load(path, error);
    if (!file) {
      report_io(path, error);
      return false;
    }
  }
  auto module = parse_module(*file, diags_);
  if (module->name.empty()) {
    module->name = fs::path(path).stem().string();
    module->named_by_file = !options_.stem_prefixed_roots;
  }
  module->is_root = true;
  register_module(std::move(module));
  return true;
}

void ModuleLoader::load_imports() {
  // Breadth-first: modules appended while iterating are visited too.
  for (size_t i = 0; i < program_.modules.size(); ++i) {
    ast::Module* module = program_.modules[i].get();
    for (auto& import : module->imports) {
      import.target = resolve_import(*module, import);
    }
  }
}

void ModuleLoader::check_import_cycles() {
  std::map<const ast::Module*, int> state;  // 0 new, 1 on stack, 2 done
  std::set<const ast::Import*> reported;
  std::vector<const ast::Module*> stack;  // for naming the whole cycle
  std::function<void(ast::Module*)> visit = [&](ast::Module* m) {
    state[m] = 1;
    stack.push_back(m);
    for (auto& import : m->imports) {
      if (!import.target) continue;
      if (state[import.target] == 1) {
        if (reported.insert(&import).second) {
          // 'a' imports 'b', which imports 'c', which imports 'a'
          std::string path = "'" + import.target->name + "'";
          auto it = std::find(stack.begin(), stack.end(), import.target);
          if (m == import.target) path += " imports itself";
          for (bool first = true; ++it != stack.end(); first = false) {
            path += (first ? " imports '" : ", which imports '") + (*it)->name + "'";
          }
          if (m != import.target) path += ", which imports '" + import.target->name + "'";
          auto& d = diags_.report(DiagKind::ImportCycle, import.path.range, "import cycle: " + path);
          d.help = "move the shared declarations into a module all of them can import";
        }
        continue;
      }
      if (state[import.target] == 0) {
        visit(import.target);
      }
    }
    stack.pop_back();
    state[m] = 2;
  };
  for (auto& m : program_.modules) {
    if (state[m.get()] == 0) visit(m.get());
  }
}

void ModuleLoader::report_io(const std::string& path, const std::string& message) {
  auto& d = diags_.report(DiagKind::UnknownModule, {}, message);
  d.file_path = path;
}

void ModuleLoader::register_module(std::unique_ptr<ast::Module> module) {
  auto [it, inserted] = by_name_.emplace(module->name, module.get());
  if (!inserted) {
    SourceRange where = module->name_range.valid() ? module->name_range : SourceRange{module->file, 0, 0};
    diags_.report(DiagKind::DuplicateName, where, "module '" + module->name + "' is defined twice")
        .notes.push_back("first defined in " + it->second->file->path());
  }
  program_.modules.push_back(std::move(module));
}

ast::Module* ModuleLoader::resolve_import(const ast::Module& from, ast::Import& import) {
  std::string name = import.path.text();
  if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
  bool is_std = import.path.parts.size() > 1 && import.path.parts[0] == "std";
  if (auto embedded = options_.embedded_modules.find(name); embedded != options_.embedded_modules.end()) {
    return add_import(*program_.sources.add(embedded->second.first, embedded->second.second), name, is_std);
  }
  std::string relative;
  for (const auto& part : import.path.parts) relative += (relative.empty() ? "" : "/") + part;
  relative += ".flow";
  std::vector<fs::path> candidates;
  if (is_std) {
    candidates.push_back(fs::path(options_.stdlib_dir) / relative);
  } else {
    candidates.push_back(fs::path(from.file->path()).parent_path() / relative);
    for (const auto& dir : options_.include_dirs) candidates.push_back(fs::path(dir) / relative);
  }
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (!fs::is_regular_file(candidate, ec)) continue;
    std::string error;
    const SourceFile* file = program_.sources.load(candidate.string(), error);
    if (file) return add_import(*file, name, is_std);
  }
  auto& d = diags_.report(DiagKind::UnknownModule, import.path.range, "unknown module '" + name + "'");
  std::string searched;
  for (const auto& c : candidates) searched += (searched.empty() ? "" : ", ") + c.string();
  d.notes.push_back("looked for " + searched);
  if (!is_std) d.help = "add the folder that holds it with -I DIR";
  return nullptr;
}

ast::Module* ModuleLoader::add_import(const SourceFile& file, const std::string& name, bool is_std) {
  auto module = parse_module(file, diags_);
  // The import path names the module, whatever its own clause says.
  module->name = name;
  module->is_stdlib = is_std;
  ast::Module* raw = module.get();
  register_module(std::move(module));
  return raw;
}

std::string default_stdlib_dir() {
  if (const char* env = std::getenv("FLOW_STDLIB"); env && *env) return env;
  char buffer[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n > 0) {
    buffer[n] = '\0';
    fs::path installed = fs::path(buffer).parent_path().parent_path() / "share" / "flow" / "stdlib";
    std::error_code ec;
    if (fs::is_directory(installed, ec)) return installed.string();
  }
  return FLOW_SOURCE_STDLIB_DIR;
}

}  // namespace flow
