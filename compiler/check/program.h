// A checked Flow program: every module loaded (roots, their imports, std.*),
// names resolved, types checked. The output of the front end and the input
// of the graph writer, lowering and the artifact.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ast/ast.h"
#include "diag/diagnostic.h"
#include "source/source_file.h"
#include "types/types.h"

namespace flow {

struct CompileOptions {
  std::vector<std::string> include_dirs;  // -I
  std::string stdlib_dir;                 // where `std.*` modules live
  /// Modules given in memory, by module name -> (path, text); consulted
  /// before the file system (an artifact re-checks its embedded sources).
  std::map<std::string, std::pair<std::string, std::string>> embedded_modules;
  /// Roots without a `module` clause name their declarations after the
  /// file's stem, as artifacts built before such names carried no prefix
  /// did (ast::Module::named_by_file): so those still load, with the names
  /// their journals hold.
  bool stem_prefixed_roots = false;
};

struct Program {
  SourceManager sources;
  TypeContext types;
  std::vector<std::unique_ptr<ast::Module>> modules;  // roots first, then imports
  /// True when no error was reported; the annotations on the AST are then
  /// complete and consistent.
  bool ok = false;

  /// Every declaration of kind T in every module, in load order.
  template <typename T>
  std::vector<const T*> all() const {
    std::vector<const T*> out;
    for (const auto& m : modules) {
      for (const auto& d : m->decls) {
        if (auto* t = ast::dyn_cast<T>(d.get())) out.push_back(t);
      }
    }
    return out;
  }
  /// The descriptions of every event, in load order (what the runtime's
  /// catalog and the plan take).
  std::vector<const EventInfo*> event_infos() const {
    std::vector<const EventInfo*> out;
    for (const auto* e : all<ast::EventDecl>()) out.push_back(&e->info);
    return out;
  }
  /// A declaration by its qualified (or, when unique, plain) name.
  const ast::Decl* find(const std::string& name) const;
};

/// Loads, parses and checks `files` (and what they import). Diagnostics go
/// to `diags`; the returned program is usable when `program->ok`.
/// Returns null only when a root file cannot be read (reported to diags with
/// no range; the driver exits 2).
std::unique_ptr<Program> compile_files(const std::vector<std::string>& files, const CompileOptions& options,
                                       DiagnosticEngine& diags);

/// The same for in-memory sources (tests): each pair is (path, text).
std::unique_ptr<Program> compile_sources(const std::vector<std::pair<std::string, std::string>>& sources,
                                         const CompileOptions& options, DiagnosticEngine& diags);

}  // namespace flow
