// The Flow AST: the parse adapter builds it, the checker annotates
// resolutions and types on it, lowering reads it. Every node keeps a source
// range so every later stage can point at the source.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "source/source_file.h"
#include "types/types.h"

namespace flow {
struct Type;
}

namespace flow::ast {

struct Decl;
struct Module;
struct EventDecl;
struct RecordDecl;
struct ServiceDecl;

/// A possibly qualified name as written: `OrderPlaced`, `shop.orders.OrderPlaced`.
struct QualifiedName {
  std::vector<std::string> parts;
  SourceRange range;
  const Decl* resolved = nullptr;  // set by name resolution

  std::string text() const;
};

// ---- Expressions ----------------------------------------------------------

enum class ExprKind : uint8_t {
  Int,
  Float,
  String,
  Bool,
  None,
  Duration,
  Timestamp,
  List,
  Name,    // `text`: an identifier (parameter, rule, constant, enum, module alias...)
  It,      // the event in a flow condition
  Field,   // operands[0].`text`
  Call,    // operands[0](operands[1..])
  Index,   // operands[0][operands[1]]
  Unary,   // `unary_op` operands[0]
  Binary,  // operands[0] `binary_op` operands[1]
  If,      // if operands[0] then operands[1] else operands[2]
  // Structured data (language.md §4.1):
  Decimal,        // `text`: the literal's digits without `_` or the `d` suffix ("12.50")
  Map,            // a map literal: operands alternate key and value, {k0: v0, k1: v1}
  Record,         // `type_name { inits }`: operands[i] is the value (or spread source) of inits[i]
  Lambda,         // `params => operands[0]`: only as the second argument of a list function
  OptionalField,  // operands[0]?.`text`: absent when operands[0] is
};

enum class UnaryOp : uint8_t { Neg, Not };
enum class BinaryOp : uint8_t {
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  In,
  NotIn,
  And,
  Or,
  Coalesce,
};
const char* to_string(UnaryOp op);
const char* to_string(BinaryOp op);

/// What a name (or a qualified field chain) in an expression resolved to.
enum class RefKind : uint8_t {
  Unresolved,
  Param,
  It,
  Const,
  Rule,
  Decision,
  EnumType,
  EnumMember,
  Builtin,
  ModuleAlias,
  Event,
  LambdaParam,  // a parameter of an enclosing lambda: Expr::binder
};

enum class Builtin : uint8_t {
  Len,
  Lower,
  Upper,
  StartsWith,
  EndsWith,
  Contains,
  Matches,
  Abs,
  Min,
  Max,
  Round,
  Floor,
  Ceil,
  IsSome,
  Hour,
  Weekday,
  Date,
  Now,
  // Structured data (language.md §4.1): the list functions take a lambda.
  Any,          // any(xs, x => bool) -> bool
  All,          // all(xs, x => bool) -> bool
  Count,        // count(xs, x => bool) -> int
  Sum,          // sum(xs, x => int|float|decimal) -> the body's type (0 when empty)
  MinOf,        // min_of(xs, x => T) -> T? (none when empty)
  MaxOf,        // max_of(xs, x => T) -> T?
  Filter,       // filter(xs, x => bool) -> list of the elements
  MapEach,      // map(xs, x => T) -> list<T>
  Has,          // has(m, k) -> bool
  Keys,         // keys(m) -> list<string>, sorted
  ToDecimal,    // decimal(x) of int, float or decimal
  ToFloat,      // float(x) of int, float or decimal
  RoundPlaces,  // round(x, n) of a decimal: half-even to n places -> decimal
};
/// any .. map: a list and a lambda (declared together, in this order).
bool is_list_function(Builtin b);
/// The built-ins of structured data, from `any` on (declared last).
bool is_structured_builtin(Builtin b);

/// An initialiser of a record literal: `name: value` or `...source`.
struct FieldInit {
  bool is_spread = false;
  std::string name;  // empty for a spread
  SourceRange name_range;
  SourceRange range;
};

/// A parameter of a lambda.
struct LambdaParam {
  std::string name;
  SourceRange range;
  const Type* type = nullptr;  // set by the checker: the list's element type
};

struct Expr {
  ExprKind kind;
  SourceRange range;
  int64_t int_value = 0;   // Int, Bool (0/1), Duration (µs), Timestamp (µs since epoch)
  double float_value = 0;  // Float
  std::string text;        // String value, Name identifier, Field name
  UnaryOp unary_op = UnaryOp::Neg;
  BinaryOp binary_op = BinaryOp::Add;
  SourceRange name_range;  // Field, OptionalField: the field name only
  std::vector<std::unique_ptr<Expr>> operands;
  bool parenthesized = false;       // written in parentheses (flowc fmt keeps them)
  QualifiedName type_name;          // Record: the record type as written (resolved by the checker)
  std::vector<FieldInit> inits;     // Record: one per operand
  std::vector<LambdaParam> params;  // Lambda

  // Set by the checker.
  const Type* type = nullptr;  // Lambda: the body's type
  RefKind ref = RefKind::Unresolved;
  const Decl* ref_decl = nullptr;  // Const, Rule, Decision, EnumType, EnumMember (the enum)
  /// EnumMember: member index; Field, OptionalField: field index in the event
  /// or record; Record: unused (each init's field: init_fields); LambdaParam:
  /// the parameter's index in its lambda.
  int ref_index = -1;
  Builtin builtin = Builtin::Len;  // ref == Builtin
  const Expr* binder = nullptr;    // LambdaParam: the Lambda that binds the name
  /// Record: per init, the index of the field it sets in the record type
  /// (-1 for a spread).
  std::vector<int> init_fields;

  Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
};
using ExprPtr = std::unique_ptr<Expr>;

// ---- Types as written -----------------------------------------------------

struct TypeRef {
  QualifiedName name;              // bool, int, ..., list, map, or an enum or record name
  std::vector<TypeRef> arguments;  // list<T>: one; map<string, T>: two
  bool optional = false;
  SourceRange range;
  const Type* resolved = nullptr;

  /// As written, in canonical spacing: `map<string, list<int>>?`.
  std::string text() const;
};

// ---- Declarations ---------------------------------------------------------

enum class DeclKind : uint8_t { Enum, Event, Const, Rule, Decision, Service, Flow, Record };
const char* to_string(DeclKind kind);

struct Decl {
  DeclKind kind;
  std::string name;
  SourceRange range;       // the whole declaration
  SourceRange name_range;  // the name only
  std::string doc;         // joined `///` comment lines
  Module* module = nullptr;

  explicit Decl(DeclKind k) : kind(k) {}
  virtual ~Decl() = default;
  Decl(const Decl&) = delete;
  Decl& operator=(const Decl&) = delete;
  std::string qualified_name() const;
};

struct EnumMember {
  std::string name;
  SourceRange range;
};

struct EnumDecl : Decl {
  std::vector<EnumMember> members;
  EnumInfo info;  // what types, the IR and the runtime see; set by the checker
  EnumDecl() : Decl(DeclKind::Enum) {}
  static bool classof(const Decl* d) { return d->kind == DeclKind::Enum; }
  int member_index(const std::string& member) const;
};

struct FieldDecl {
  bool is_key = false;
  std::string name;
  SourceRange name_range;
  SourceRange range;
  TypeRef type;
  ExprPtr default_value;
};

/// An event or record member as written: a field or an inclusion `...Other`.
struct EventMember {
  bool is_include = false;
  QualifiedName include;  // is_include
  FieldDecl field;        // !is_include
};

/// A field of an event after inclusion was expanded (set by the checker).
struct EventField {
  std::string name;
  const Type* type = nullptr;
  bool is_key = false;
  const FieldDecl* decl = nullptr;   // where it was declared (maybe in an included event)
  const EventDecl* owner = nullptr;  // the event that declared it
};

struct EventDecl : Decl {
  std::vector<EventMember> members;
  // Set by the checker:
  std::vector<EventField> fields;                      // in declaration order, inclusions expanded
  std::vector<const EventDecl*> includes;              // transitive, excluding itself
  std::unordered_map<std::string, int> field_indices;  // name -> index in `fields`
  int key_index = -1;
  bool fields_ready = false;
  EventInfo info;  // what types, the IR and the runtime see; set with `fields`
  EventDecl() : Decl(DeclKind::Event) {}
  static bool classof(const Decl* d) { return d->kind == DeclKind::Event; }
  int field_index(const std::string& field) const;
  /// True when this event is `other` or includes it (transitively).
  bool includes_event(const EventDecl* other) const;
};

/// A field of a record after inclusion was expanded (set by the checker).
struct RecordField {
  std::string name;
  const Type* type = nullptr;
  const FieldDecl* decl = nullptr;    // where it was declared (maybe in an included record)
  const RecordDecl* owner = nullptr;  // the record that declared it
};

/// `record Name { ... }` (language.md §4.1): a named structure, a type and
/// never a topic. Its members are written as an event's.
struct RecordDecl : Decl {
  std::vector<EventMember> members;
  // Set by the checker:
  std::vector<RecordField> fields;          // in declaration order, inclusions expanded
  std::vector<const RecordDecl*> includes;  // transitive, excluding itself
  bool fields_ready = false;
  RecordInfo info;  // what types, the IR and the runtime see; set with `fields`
  RecordDecl() : Decl(DeclKind::Record) {}
  static bool classof(const Decl* d) { return d->kind == DeclKind::Record; }
  int field_index(const std::string& field) const { return info.field_index(field); }
};

struct ConstDecl : Decl {
  std::unique_ptr<TypeRef> declared_type;
  ExprPtr value;
  ConstDecl() : Decl(DeclKind::Const) {}
  static bool classof(const Decl* d) { return d->kind == DeclKind::Const; }
};

struct Param {
  std::string name;
  SourceRange name_range;
  QualifiedName event;
  const EventDecl* event_decl = nullptr;
};

struct RuleDecl : Decl {
  Param param;
  ExprPtr body;
  RuleDecl() : Decl(DeclKind::Rule) {}
  static bool classof(const Decl* d) { return d->kind == DeclKind::Rule; }
};

struct DecisionArm {
  ExprPtr condition;  // null for `else`
  ExprPtr value;
  SourceRange range;
};

struct DecisionDecl : Decl {
  Param param;
  TypeRef result;
  std::vector<DecisionArm> arms;  // `when` arms
  ExprPtr else_value;             // null when missing (E0303)
  DecisionDecl() : Decl(DeclKind::Decision) {}
  static bool classof(const Decl* d) { return d->kind == DeclKind::Decision; }
};

struct EmitInit {
  bool is_spread = false;
  std::string name;  // field name, or the spread binding
  SourceRange name_range;
  SourceRange range;
  ExprPtr value;  // !is_spread
};

struct Emit {
  QualifiedName target;
  std::vector<EmitInit> inits;
  ExprPtr when;  // optional guard
  SourceRange range;
};

enum class ServiceImpl : uint8_t { None, Exec, Emit, Builtin, Http };

enum class ServiceItemKind : uint8_t { Consumes, Publishes, Exec, Builtin, Emit, Timeout, Retry, Concurrency, Http };

/// A service item as written, in source order, duplicates included (for
/// tools that print the source back; the checker reads the fields above).
struct ServiceItem {
  ServiceItemKind kind;
  SourceRange range;
  int first = 0;       // Consumes: into consumes; Publishes: first into publishes; Emit: into emits or extra_emits
  int count = 0;       // Publishes: how many names
  bool extra = false;  // Emit: after another kind of implementation (E0402), so in extra_emits
};

struct ServiceDecl : Decl {
  struct Consumes {
    std::string binding;  // may be empty
    SourceRange binding_range;
    QualifiedName event;
    SourceRange range;
  };
  std::vector<Consumes> consumes;  // exactly one when valid (E0401)
  std::vector<QualifiedName> publishes;
  ServiceImpl impl = ServiceImpl::None;
  std::string exec_command;
  std::string builtin_name;
  std::string http_url;  // Http: the URL each delivery is POSTed to
  std::vector<Emit> emits;
  SourceRange impl_range;
  int64_t timeout_us = -1;  // -1: not given
  int64_t retry = -1;
  int64_t backoff_us = -1;
  int64_t concurrency = -1;
  /// Ranges of items given more than once or of a second implementation kind,
  /// collected by the parser for the checker to report.
  std::vector<std::pair<std::string, SourceRange>> duplicate_items;
  std::vector<SourceRange> extra_impls;
  std::vector<std::pair<std::string, SourceRange>> option_ranges;  // item name -> range
  /// Every item in source order, and the emits ignored for E0402 (kept so
  /// that flowc fmt can print them back).
  std::vector<ServiceItem> items;
  std::vector<Emit> extra_emits;

  ServiceDecl() : Decl(DeclKind::Service) {}
  static bool classof(const Decl* d) { return d->kind == DeclKind::Service; }
  const EventDecl* consumed_event() const {
    return consumes.size() == 1 && consumes[0].event.resolved
               ? static_cast<const EventDecl*>(consumes[0].event.resolved)
               : nullptr;
  }
};

struct Subscription {
  QualifiedName event;
  ExprPtr condition;  // may be null
  std::vector<QualifiedName> services;
  SourceRange range;
};

enum class FlowItemKind : uint8_t { Start, Accepts, End, On };

/// A flow item as written, in source order (for tools that print the source
/// back): `count` names from `first` in starts/accepts/ends, or subscription `first`.
struct FlowItem {
  FlowItemKind kind;
  SourceRange range;
  int first = 0;
  int count = 0;
};

struct FlowDecl : Decl {
  std::vector<QualifiedName> starts, accepts, ends;
  std::vector<Subscription> subscriptions;
  std::vector<FlowItem> items;  // every item in source order
  FlowDecl() : Decl(DeclKind::Flow) {}
  static bool classof(const Decl* d) { return d->kind == DeclKind::Flow; }
};

// ---- Modules --------------------------------------------------------------

struct Import {
  QualifiedName path;
  std::string alias;  // empty when none
  SourceRange range;
  Module* target = nullptr;
  bool used = false;
};

struct Module {
  std::string name;
  SourceRange name_range;  // of the `module` clause, if any
  const SourceFile* file = nullptr;
  std::vector<Import> imports;
  std::vector<std::unique_ptr<Decl>> decls;
  bool is_stdlib = false;
  bool is_root = false;  // given on the command line (not only imported)
  /// A root file without a `module` clause: `name` is its file stem, which
  /// other files may import it by, but its declarations' identity
  /// (qualified names) carries no module prefix, so the same text is the
  /// same definitions wherever it is saved (runtime.md §4).
  bool named_by_file = false;
};

/// LLVM-style casts over Decl kinds.
template <typename T>
bool isa(const Decl* d) {
  return d && T::classof(d);
}
template <typename T>
const T* dyn_cast(const Decl* d) {
  return isa<T>(d) ? static_cast<const T*>(d) : nullptr;
}
template <typename T>
T* dyn_cast(Decl* d) {
  return isa<T>(d) ? static_cast<T*>(d) : nullptr;
}

}  // namespace flow::ast
