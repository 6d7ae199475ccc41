// Semantic types, and the declarations they name as the back ends and the
// runtime see them. Interned by TypeContext, so types compare by pointer.
//
// An enum, event or record type points at an EnumInfo, EventInfo or
// RecordInfo: the name, the members or fields and what it includes —
// everything lowering, the interpreter, the JIT and the runtime need, and
// nothing of the syntax. The front end fills one per declaration
// (ast::EnumDecl::info, ast::EventDecl::info, ast::RecordDecl::info); a
// runtime plan read from an artifact owns its own. So neither the IR nor the
// runtime ever needs the AST.
//
// Structured data (language.md §4.1): a record type is nominal (two records
// with the same fields are different types, and inclusion copies fields
// without making one usable as the other); `map<string, T>` is a Map whose
// `element` is T (keys are always strings); `decimal` is exact base-10.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace flow {

struct Type;
namespace layout {
struct StructLayout;
}

struct EnumInfo {
  std::string name;            // as declared: `Tier`
  std::string qualified_name;  // `shop.Tier`
  std::vector<std::string> members;

  /// The index of `member`, or -1.
  int member_index(const std::string& member) const;
};

struct FieldInfo {
  std::string name;
  const Type* type = nullptr;  // as declared (T? for optionals)
  bool is_key = false;
  bool has_default = false;  // a default value is declared (lowered as a FieldDefault function)
};

/// Fields by position and by name: what events and records have in common.
struct FieldTable {
  std::vector<FieldInfo> fields;  // in declaration order, inclusions expanded

  /// The index of `field` in `fields`, or -1.
  int field_index(const std::string& field) const;
  /// Rebuilds the name index after `fields` changed.
  void index_fields();

 private:
  std::unordered_map<std::string, int> field_indices_;
};

struct EventInfo : FieldTable {
  std::string name;                        // as declared: `OrderPlaced`
  std::string qualified_name;              // `shop.OrderPlaced`
  std::vector<const EventInfo*> includes;  // transitive, excluding itself
  int key_index = -1;                      // the key field, or -1
  bool is_stdlib = false;                  // declared in a `std.*` module

  /// True when this event is `other` or includes it (transitively).
  bool includes_event(const EventInfo* other) const;
};

/// A `record` declaration: a named structure used as a field type, never a
/// topic. No key; its fields may themselves be records (never itself,
/// directly or through others: the checker rejects that), lists or maps.
struct RecordInfo : FieldTable {
  std::string name;                         // as declared: `Address`
  std::string qualified_name;               // `shop.Address`
  std::vector<const RecordInfo*> includes;  // records whose fields `...` copied in, transitive
  bool is_stdlib = false;                   // declared in a `std.*` module

  // The record's inline layout, computed once on first use by
  // layout::record_layout (thread-safe) once `fields` are final. Kept here so
  // that every slot computation finds it without a table to pass around.
  mutable std::once_flag layout_once;
  mutable std::shared_ptr<const layout::StructLayout> layout;
};

enum class TypeKind : uint8_t {
  Error,     // already reported: suppresses follow-on diagnostics
  Never,     // element type of `[]`: assignable to anything
  NoneType,  // type of the literal `none`
  Bool,
  Int,
  Float,
  String,
  Timestamp,
  Duration,
  Enum,
  Event,
  List,
  Optional,
  Decimal,  // exact base-10, at least 34 significant digits
  Record,   // record_info
  Map,      // map<string, element>
};

struct Type {
  TypeKind kind;
  const EnumInfo* enum_info = nullptr;      // Enum
  const EventInfo* event_info = nullptr;    // Event
  const Type* element = nullptr;            // List element, Optional inner, Map value
  const RecordInfo* record_info = nullptr;  // Record

  bool is_error() const { return kind == TypeKind::Error; }
  /// int or float, the binary numbers (decimal is kept apart: is_decimal).
  bool is_numeric() const { return kind == TypeKind::Int || kind == TypeKind::Float; }
  bool is_decimal() const { return kind == TypeKind::Decimal; }
  bool is_optional() const { return kind == TypeKind::Optional; }
  std::string to_string() const;
};

class TypeContext {
 public:
  TypeContext();
  TypeContext(const TypeContext&) = delete;
  TypeContext& operator=(const TypeContext&) = delete;
  const Type* error() const { return &error_; }
  const Type* never() const { return &never_; }
  const Type* none() const { return &none_; }
  const Type* boolean() const { return &bool_; }
  const Type* integer() const { return &int_; }
  const Type* floating() const { return &float_; }
  const Type* string() const { return &string_; }
  const Type* timestamp() const { return &timestamp_; }
  const Type* duration() const { return &duration_; }
  const Type* decimal() const { return &decimal_; }
  const Type* enumeration(const EnumInfo* info);
  const Type* event(const EventInfo* info);
  const Type* record(const RecordInfo* info);
  const Type* list(const Type* element);
  const Type* map(const Type* value);       // map<string, value>
  const Type* optional(const Type* inner);  // optional(T?) == T?

  /// The scalar named by a type keyword (`int`, `string`, `decimal`, ...), or null.
  const Type* builtin_named(const std::string& name) const;

 private:
  Type error_{TypeKind::Error}, never_{TypeKind::Never}, none_{TypeKind::NoneType}, bool_{TypeKind::Bool},
      int_{TypeKind::Int}, float_{TypeKind::Float}, string_{TypeKind::String}, timestamp_{TypeKind::Timestamp},
      duration_{TypeKind::Duration}, decimal_{TypeKind::Decimal};
  std::map<const void*, std::unique_ptr<Type>> enums_, events_, records_, lists_, maps_, optionals_;
};

/// The fields of a record or event type; null for any other type.
const FieldTable* fields_of(const Type* type);

/// Whether a value of type `from` may be used where `to` is expected
/// (no conversions except: none and T into T?, [] into any list, {} into
/// any map, an event into an event it includes, Error/Never into anything).
/// Records are nominal: a record is assignable only to itself.
bool is_assignable(const Type* from, const Type* to);

}  // namespace flow
