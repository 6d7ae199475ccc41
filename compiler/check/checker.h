// The semantic passes over a loaded program, in order:
//   resolve_names   (symbol tables, imports, every QualifiedName)
//   check_events    (inclusion, keys, field types, defaults)
//   check_bodies    (type-check constants, rules, decisions, services, flows)
//   check_recursion (rules/decisions/constants that use themselves)
//   evaluate_constants (constants and field defaults that have no value)
//   check_flow_graph (the warnings of language.md §10)
// Internal to compiler/check/; the public entry is compile_files().
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "check/program.h"

namespace flow::check {

/// What a body being type-checked may refer to.
struct ExprScope {
  const ast::Module* module = nullptr;
  std::string param_name;  // rule/decision parameter or service binding
  const ast::EventDecl* param_event = nullptr;
  const ast::EventDecl* it_event = nullptr;  // flow conditions only
  bool constant_only = false;                // constants and field defaults
  const ast::Decl* owner = nullptr;          // for recording dependencies (recursion check)
  bool in_condition = false;
};

class Checker {
 public:
  Checker(Program& program, DiagnosticEngine& diags) : program_(program), diags_(diags) {}
  void run();

  // ---- resolve_names.cpp
  void resolve_names();
  /// Looks up a (qualified) declaration name visible in `module`. Reports
  /// unknown/ambiguous names with `unknown_kind` and returns null on failure.
  const ast::Decl* lookup(const ast::Module& module, ast::QualifiedName& name, DiagKind unknown_kind, const char* what,
                          bool (*accept)(const ast::Decl*));
  /// Silent lookup for expressions; nullptr when absent. `ambiguous` set
  /// when several imports offer the name.
  const ast::Decl* find_visible(const ast::Module& module, const std::vector<std::string>& parts,
                                bool* ambiguous = nullptr);
  const ast::Module* find_module_prefix(const ast::Module& module, const std::vector<std::string>& parts) const;
  std::vector<std::string> visible_names(const ast::Module& module, bool (*accept)(const ast::Decl*)) const;
  /// True when `parts` may name a declaration of an import of `module` that
  /// could not be loaded (reported as E0106): an unknown name is then no news.
  bool may_come_from_unresolved_import(const ast::Module& module, const std::vector<std::string>& parts) const;

  // ---- check_events.cpp
  void check_events();
  /// Names every EnumInfo and EventInfo (types print them from the start).
  void name_type_infos();
  /// Copies an expanded event's fields, inclusions and key into its EventInfo.
  void publish_event_info(ast::EventDecl& event);
  void expand_event(ast::EventDecl& event, std::vector<const ast::EventDecl*>& stack);
  const Type* resolve_type(const ast::Module& module, ast::TypeRef& ref);

  // ---- check_bodies.cpp
  void check_bodies();
  void check_service(ast::ServiceDecl& service);
  void check_flow(ast::FlowDecl& flow);

  // ---- type_check_expr.cpp
  const Type* check_expr(ast::Expr& expr, const ExprScope& scope);
  const Type* check_call(ast::Expr& expr, const ExprScope& scope);
  const Type* check_binary(ast::Expr& expr, const ExprScope& scope);
  const Type* check_name(ast::Expr& expr, const ExprScope& scope);
  const Type* check_field(ast::Expr& expr, const ExprScope& scope);
  const Type* check_builtin(ast::Expr& expr, ast::Builtin builtin, const ExprScope& scope);
  const Type* apply_rule(ast::Expr& site, const ast::Decl* callee, const Type* argument, SourceRange arg_range);
  void expect_type(const ast::Expr& expr, const Type* expected, const char* context);
  const Type* decl_value_type(const ast::Decl* decl);

  // ---- check_recursion.cpp
  void check_recursion();

  // ---- evaluate_constants.cpp
  void evaluate_constants();

  // ---- check_flow_graph.cpp
  void check_flow_graph();

  Program& program_;
  DiagnosticEngine& diags_;
  /// Per module: its own declarations by name.
  std::map<const ast::Module*, std::map<std::string, ast::Decl*>> symbols_;
  std::map<std::string, ast::Module*> modules_by_name_;
  /// Which rules/decisions/constants each body uses (for recursion and unused).
  std::map<const ast::Decl*, std::vector<std::pair<const ast::Decl*, SourceRange>>> uses_;
  /// Every declaration referred to from anywhere (for W0204).
  std::set<const ast::Decl*> referenced_;
  /// Constants whose type is being computed (cycle guard).
  std::set<const ast::Decl*> const_in_progress_;
  std::map<const ast::Decl*, const Type*> const_types_;
  /// Events whose field list is known to be incomplete: an inclusion could
  /// not be resolved (already reported). A missing field or inclusion is then
  /// no news, and reporting it again would be a follow-on error.
  std::set<const EventInfo*> incomplete_events_;
  /// Names declared more than once in a module (E0105): a use that finds the
  /// first declaration with the wrong kind may well mean the second.
  std::set<std::pair<const ast::Module*, std::string>> duplicated_names_;
};

/// `word` with its indefinite article, for messages: "an event", "a rule".
std::string with_article(const std::string& word);

bool is_event(const ast::Decl* d);
bool is_service(const ast::Decl* d);
bool is_type_decl(const ast::Decl* d);
bool is_any(const ast::Decl* d);

}  // namespace flow::check
