// The semantic passes over a loaded program, in order:
//   resolve_names   (symbol tables, imports, every QualifiedName)
//   name_type_infos (enums, events and records print by name from here on)
//   check_records   (inclusion, field types, no key, no record in itself)
//   check_events    (inclusion, keys, field types, field defaults)
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
  /// The lambdas around the expression, innermost last: their parameters
  /// are in scope (and hide declarations of the same name).
  std::vector<const ast::Expr*> lambdas;
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

  // ---- check_records.cpp
  /// Expands every record's inclusions, resolves its field types, rejects
  /// keys and records that contain themselves (through fields or inclusion).
  void check_records();
  void expand_record(ast::RecordDecl& record, std::vector<const ast::RecordDecl*>& stack);
  void publish_record_info(ast::RecordDecl& record);
  void check_record_containment();
  /// Type-checks the field defaults of events and records.
  void check_field_defaults();

  // ---- check_events.cpp
  void check_events();
  /// Names every EnumInfo and EventInfo (types print them from the start).
  void name_type_infos();
  /// Copies an expanded event's fields, inclusions and key into its EventInfo.
  void publish_event_info(ast::EventDecl& event);
  void expand_event(ast::EventDecl& event, std::vector<const ast::EventDecl*>& stack);
  const Type* resolve_type(const ast::Module& module, ast::TypeRef& ref);
  /// `map<string, T>`: keys are strings, values are never optional (E0212).
  const Type* resolve_map_type(const ast::Module& module, ast::TypeRef& ref);

  // ---- check_bodies.cpp
  void check_bodies();
  void check_service(ast::ServiceDecl& service);
  void check_flow(ast::FlowDecl& flow);
  /// Looks up an event type where one is needed; a record there is E0114,
  /// with advice for `use`.
  enum class EventUse { Topic, Parameter, Inclusion };
  const ast::EventDecl* lookup_event(const ast::Module& module, ast::QualifiedName& name, EventUse use);

  // ---- type_check_expr.cpp
  const Type* check_expr(ast::Expr& expr, const ExprScope& scope);
  const Type* check_call(ast::Expr& expr, const ExprScope& scope);
  const Type* check_binary(ast::Expr& expr, const ExprScope& scope);
  const Type* check_name(ast::Expr& expr, const ExprScope& scope);
  const Type* check_field(ast::Expr& expr, const ExprScope& scope);
  /// The field `expr.text` of a value of type `base` (an event or a record).
  const Type* field_of(ast::Expr& expr, const Type* base);
  const Type* check_optional_field(ast::Expr& expr, const ExprScope& scope);
  const Type* check_index(ast::Expr& expr, const ExprScope& scope);
  const Type* check_if(ast::Expr& expr, const ExprScope& scope);
  const Type* check_list_literal(ast::Expr& expr, const ExprScope& scope);
  /// The enclosing lambda with a parameter named `name` (its index in
  /// `param`), innermost first; null when there is none.
  static const ast::Expr* find_lambda(const ExprScope& scope, const std::string& name, int* param = nullptr);

  // ---- type_check_builtins.cpp
  const Type* check_builtin(ast::Expr& expr, ast::Builtin builtin, const ExprScope& scope);

  // ---- type_check_lambdas.cpp
  /// any, all, count, sum, min_of, max_of, filter and map: a list and a lambda.
  const Type* check_list_function(ast::Expr& expr, ast::Builtin builtin, const ExprScope& scope);
  /// A lambda where none belongs (E0213).
  void misplaced_lambda(ast::Expr& lambda, const ExprScope& scope);

  // ---- type_check_literals.cpp
  const Type* check_record_literal(ast::Expr& expr, const ExprScope& scope);
  const Type* check_map_literal(ast::Expr& expr, const ExprScope& scope);

  // ---- type_rules.cpp
  /// Joins the type of `item` (checked) into `joined`, the type the
  /// elements of a list (or values of a map) share so far (Never: none
  /// yet); reports E0201/E0211 about `what` ("list elements") when they do
  /// not join. False when the item has no type or did not join.
  bool join_element(const Type*& joined, const ast::Expr& item, const char* what);
  /// Reports E0211 at `site` for `a` and `b`, which mix decimal and float;
  /// returns the error type.
  const Type* decimal_float_mix(const ast::Expr& site, const ast::Expr& a, const ast::Expr& b, const std::string& what);
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
  std::set<const RecordInfo*> incomplete_records_;  // the same for records
  /// Names declared more than once in a module (E0105): a use that finds the
  /// first declaration with the wrong kind may well mean the second.
  std::set<std::pair<const ast::Module*, std::string>> duplicated_names_;
};

/// `word` with its indefinite article, for messages: "an event", "a rule".
std::string with_article(const std::string& word);

/// Numbers (language.md §4, §4.1): int, float and decimal; int mixes with
/// either of the others, float and decimal never mix.
bool is_number(const Type* t);
bool mixes_decimal_and_float(const Type* a, const Type* b);
/// What arithmetic on numbers `a` and `b` yields (int and int: int; float
/// and a number: float; decimal and int or decimal: decimal); null when
/// either is not a number, or they mix decimal and float.
const Type* numeric_join(const Type* a, const Type* b);
/// The type the elements of a list (or the values of a map) literal share:
/// the wider of the two, the joined number type for mixed numbers, and `T?`
/// once an element is `none` or optional ([1, none] is a list<int?>, as `if`
/// unifies T and none). Null: none.
const Type* common_element_type(TypeContext& types, const Type* a, const Type* b);
/// The source text of `range`, for messages that show what was written.
std::string source_text(SourceRange range);
/// Whether `<` orders values of type t (numbers, strings, timestamps, durations).
bool is_orderable(const Type* t);

/// The built-in functions by name (type_check_builtins.cpp).
bool find_builtin(const std::string& name, ast::Builtin& out);
const char* builtin_name(ast::Builtin b);
std::vector<std::string> builtin_names();

bool is_event(const ast::Decl* d);
bool is_record(const ast::Decl* d);
bool is_service(const ast::Decl* d);
bool is_type_decl(const ast::Decl* d);
bool is_any(const ast::Decl* d);

}  // namespace flow::check
