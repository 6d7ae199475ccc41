// The front end's entry (check/program.h): the load stage
// (load/module_loader.h) reads the root files and everything they import,
// then the semantic passes (check/checker.h) run over the loaded program.
#include "check/checker.h"
#include "load/module_loader.h"

namespace flow {

namespace {

bool has_syntax_errors(const DiagnosticEngine& diags) {
  for (const auto& d : diags.diagnostics()) {
    if (d.severity == Severity::Error && diag_info(d.kind).code[1] == '0' && diag_info(d.kind).code[2] == '0') {
      return true;
    }
  }
  return false;
}

std::unique_ptr<Program> compile(const std::vector<std::pair<std::string, const std::string*>>& roots,
                                 const CompileOptions& options, DiagnosticEngine& diags) {
  auto program = std::make_unique<Program>();
  CompileOptions effective = options;
  if (effective.stdlib_dir.empty()) effective.stdlib_dir = default_stdlib_dir();
  ModuleLoader loader(*program, effective, diags);
  for (const auto& [path, text] : roots) {
    if (!loader.add_root(path, text)) return nullptr;
  }
  loader.load_imports();
  // Syntax errors stop here: checking a partial tree only adds noise.
  if (has_syntax_errors(diags)) return program;
  loader.check_import_cycles();
  check::Checker checker(*program, diags);
  checker.run();
  program->ok = !diags.has_errors();
  return program;
}

}  // namespace

std::unique_ptr<Program> compile_files(const std::vector<std::string>& files, const CompileOptions& options,
                                       DiagnosticEngine& diags) {
  std::vector<std::pair<std::string, const std::string*>> roots;
  for (const auto& f : files) roots.push_back({f, nullptr});
  return compile(roots, options, diags);
}

std::unique_ptr<Program> compile_sources(const std::vector<std::pair<std::string, std::string>>& sources,
                                         const CompileOptions& options, DiagnosticEngine& diags) {
  std::vector<std::pair<std::string, const std::string*>> roots;
  for (const auto& [path, text] : sources) roots.push_back({path, &text});
  return compile(roots, options, diags);
}

const ast::Decl* Program::find(const std::string& name) const {
  const ast::Decl* unique = nullptr;
  int matches = 0;
  for (const auto& m : modules) {
    for (const auto& d : m->decls) {
      if (d->qualified_name() == name) return d.get();
      if (d->name == name) {
        unique = d.get();
        ++matches;
      }
    }
  }
  return matches == 1 ? unique : nullptr;
}

}  // namespace flow
