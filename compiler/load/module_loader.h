// The load stage of the front end: reads the root files (or takes their
// text), parses each module, and follows every import to its module — an
// embedded source first, then `std.*` in the standard library folder, other
// names next to the importing file and in the -I folders — until the
// program's module set is closed. Each module is loaded and parsed once;
// the import path names it. Then the import graph is checked for cycles.
//
// Reports unreadable roots, unknown modules (E0106), modules defined twice
// (E0105) and import cycles (E0107); everything else is the checker's
// (check/checker.h), which runs on what this stage loaded.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "check/program.h"

namespace flow {

class ModuleLoader {
 public:
  ModuleLoader(Program& program, const CompileOptions& options, DiagnosticEngine& diags);

  /// Reads and parses a root file (or `text`, when given, as that file).
  /// False when the file cannot be read or is too large (reported).
  bool add_root(const std::string& path, const std::string* text);
  /// Loads every module the loaded ones import, breadth-first.
  void load_imports();
  /// Reports each import that closes a cycle, naming the whole cycle.
  void check_import_cycles();

 private:
  void report_io(const std::string& path, const std::string& message);
  void register_module(std::unique_ptr<ast::Module> module);
  ast::Module* resolve_import(const ast::Module& from, ast::Import& import);
  /// Parses an imported module and registers it under the import's name.
  ast::Module* add_import(const SourceFile& file, const std::string& name, bool is_std);

  Program& program_;
  const CompileOptions& options_;
  DiagnosticEngine& diags_;
  std::map<std::string, ast::Module*> by_name_;
};

/// The stdlib folder found next to the running executable (installed layout
/// `bin/../share/flow/stdlib`, or the source tree in a build), or
/// $FLOW_STDLIB when set.
std::string default_stdlib_dir();

}  // namespace flow
