// Name resolution: per-module symbol tables, import visibility (qualified,
// aliased and — when unambiguous — unqualified), and every QualifiedName in
// declarations. Names inside expressions are resolved by the type checker,
// which knows the scope (parameters, `it`).
#include <string_view>

#include "check/checker.h"

namespace flow::check {

using namespace ast;

bool is_event(const Decl* d) {
  return isa<EventDecl>(d);
}
bool is_service(const Decl* d) {
  return isa<ServiceDecl>(d);
}
bool is_type_decl(const Decl* d) {
  return isa<EnumDecl>(d) || isa<RecordDecl>(d);
}
bool is_any(const Decl*) {
  return true;
}

std::string with_article(const std::string& word) {
  bool vowel = !word.empty() && std::string_view("aeiouAEIOU").find(word[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + word;
}

void Checker::run() {
  resolve_names();
  name_type_infos();
  check_records();
  check_events();
  check_bodies();
  check_recursion();
  evaluate_constants();
  if (!diags_.has_errors()) check_flow_graph();
}

void Checker::resolve_names() {
  // Root files without a `module` clause share one namespace of qualified
  // names (ast::Module::named_by_file): a name may be declared in one only.
  std::map<std::string, const Decl*> unprefixed;
  for (auto& module : program_.modules) {
    if (module->named_by_file) {
      for (auto& decl : module->decls) {
        auto [it, inserted] = unprefixed.emplace(decl->name, decl.get());
        if (inserted || it->second->module == module.get()) continue;
        auto& d = diags_.report(DiagKind::DuplicateName, decl->name_range,
                                std::string(to_string(decl->kind)) + " '" + decl->name + "' is also declared in " +
                                    it->second->module->file->path());
        d.help = "files without a `module` clause share one namespace: give one of them a `module` clause";
      }
    }
    modules_by_name_[module->name] = module.get();
    auto& table = symbols_[module.get()];
    for (auto& decl : module->decls) {
      auto [it, inserted] = table.emplace(decl->name, decl.get());
      if (!inserted) {
        duplicated_names_.insert({module.get(), decl->name});
        auto& d = diags_.report(DiagKind::DuplicateName, decl->name_range,
                                std::string(to_string(decl->kind)) + " '" + decl->name + "' is already declared");
        LineColumn first = it->second->name_range.file->line_column(it->second->name_range.begin);
        d.notes.push_back("the first declaration, " + with_article(to_string(it->second->kind)) + ", is at line " +
                          std::to_string(first.line));
      }
    }
    std::map<std::string, const Import*> aliases;
    for (const auto& import : module->imports) {
      std::string visible = import.alias.empty() ? import.path.text() : import.alias;
      auto [it, inserted] = aliases.emplace(visible, &import);
      if (!inserted) {
        diags_.report(DiagKind::DuplicateName, import.range, "module name '" + visible + "' is imported twice");
      }
    }
  }
}

const Module* Checker::find_module_prefix(const Module& module, const std::vector<std::string>& parts) const {
  std::string prefix;
  for (size_t i = 0; i + 1 < parts.size(); ++i) prefix += (i ? "." : "") + parts[i];
  if (prefix == module.name) return &module;
  for (const auto& import : module.imports) {
    if (!import.target) continue;
    if ((import.alias.empty() && import.path.text() == prefix) || (!import.alias.empty() && import.alias == prefix)) {
      const_cast<Import&>(import).used = true;
      return import.target;
    }
  }
  return nullptr;
}

const Decl* Checker::find_visible(const Module& module, const std::vector<std::string>& parts, bool* ambiguous) {
  if (ambiguous) *ambiguous = false;
  if (parts.empty()) return nullptr;
  if (parts.size() > 1) {
    const Module* target = find_module_prefix(module, parts);
    if (!target) return nullptr;
    auto& table = symbols_[target];
    auto it = table.find(parts.back());
    return it == table.end() ? nullptr : it->second;
  }
  auto& own = symbols_[&module];
  if (auto it = own.find(parts[0]); it != own.end()) return it->second;
  const Decl* found = nullptr;
  Import* found_via = nullptr;
  for (const auto& import : module.imports) {
    if (!import.target) continue;
    auto& table = symbols_[import.target];
    auto it = table.find(parts[0]);
    if (it == table.end() || it->second == found) continue;
    if (found) {
      if (ambiguous) *ambiguous = true;
      return nullptr;
    }
    found = it->second;
    found_via = const_cast<Import*>(&import);
  }
  if (found_via) found_via->used = true;
  return found;
}

bool Checker::may_come_from_unresolved_import(const Module& module, const std::vector<std::string>& parts) const {
  std::string prefix;
  for (size_t i = 0; i + 1 < parts.size(); ++i) prefix += (i ? "." : "") + parts[i];
  for (const auto& import : module.imports) {
    if (import.target) continue;
    // Unqualified names may come from any import; qualified ones name it.
    if (parts.size() == 1 || prefix == (import.alias.empty() ? import.path.text() : import.alias)) return true;
  }
  return false;
}

std::vector<std::string> Checker::visible_names(const Module& module, bool (*accept)(const Decl*)) const {
  std::vector<std::string> names;
  auto add_table = [&](const Module* m) {
    auto it = symbols_.find(m);
    if (it == symbols_.end()) return;
    for (const auto& [name, decl] : it->second) {
      if (accept(decl)) names.push_back(name);
    }
  };
  add_table(&module);
  for (const auto& import : module.imports) {
    if (import.target) add_table(import.target);
  }
  return names;
}

const Decl* Checker::lookup(const Module& module, QualifiedName& name, DiagKind unknown_kind, const char* what,
                            bool (*accept)(const Decl*)) {
  bool ambiguous = false;
  const Decl* decl = find_visible(module, name.parts, &ambiguous);
  if (ambiguous) {
    auto& d = diags_.report(DiagKind::AmbiguousName, name.range,
                            std::string(what) + " '" + name.text() + "' is declared in several imported modules");
    d.help = "qualify it with its module name";
    return nullptr;
  }
  if (!decl) {
    if (may_come_from_unresolved_import(module, name.parts)) return nullptr;
    if (name.parts.size() > 1 && !find_module_prefix(module, name.parts)) {
      std::string prefix;
      for (size_t i = 0; i + 1 < name.parts.size(); ++i) prefix += (i ? "." : "") + name.parts[i];
      diags_.report(DiagKind::UnknownModule, name.range, "unknown module '" + prefix + "' in '" + name.text() + "'")
          .help = "import it first: import " + prefix;
      return nullptr;
    }
    auto& d = diags_.report(unknown_kind, name.range, std::string("unknown ") + what + " '" + name.text() + "'");
    std::string nearest = nearest_name(name.parts.back(), visible_names(module, accept));
    if (!nearest.empty()) d.help = "did you mean '" + nearest + "'?";
    return nullptr;
  }
  if (!accept(decl)) {
    if (duplicated_names_.count({decl->module, decl->name})) return nullptr;
    diags_.report(unknown_kind, name.range,
                  "'" + name.text() + "' is " + with_article(to_string(decl->kind)) + ", not " + with_article(what));
    return nullptr;
  }
  name.resolved = decl;
  referenced_.insert(decl);
  return decl;
}

}  // namespace flow::check
