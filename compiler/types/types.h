// Semantic types, and the declarations they name as the back ends and the
// runtime see them. Interned by TypeContext, so types compare by pointer.
//
// An enum or event type points at an EnumInfo or EventInfo: the name, the
// members or fields and (for events) what it includes — everything lowering,
// the interpreter, the JIT and the runtime need, and nothing of the syntax.
// The front end fills one per declaration (ast::EnumDecl::info,
// ast::EventDecl::info); a runtime plan read from an artifact owns its own.
// So neither the IR nor the runtime ever needs the AST.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace flow {

struct Type;

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

struct EventInfo {
  std::string name;                        // as declared: `OrderPlaced`
  std::string qualified_name;              // `shop.OrderPlaced`
  std::vector<FieldInfo> fields;           // in declaration order, inclusions expanded
  std::vector<const EventInfo*> includes;  // transitive, excluding itself
  int key_index = -1;                      // the key field, or -1
  bool is_stdlib = false;                  // declared in a `std.*` module

  /// The index of `field` in `fields`, or -1.
  int field_index(const std::string& field) const;
  /// True when this event is `other` or includes it (transitively).
  bool includes_event(const EventInfo* other) const;
  /// Rebuilds the name index after `fields` changed.
  void index_fields();

 private:
  std::unordered_map<std::string, int> field_indices_;
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
};

struct Type {
  TypeKind kind;
  const EnumInfo* enum_info = nullptr;    // Enum
  const EventInfo* event_info = nullptr;  // Event
  const Type* element = nullptr;          // List element, Optional inner

  bool is_error() const { return kind == TypeKind::Error; }
  bool is_numeric() const { return kind == TypeKind::Int || kind == TypeKind::Float; }
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
  const Type* enumeration(const EnumInfo* info);
  const Type* event(const EventInfo* info);
  const Type* list(const Type* element);
  const Type* optional(const Type* inner);  // optional(T?) == T?

  /// The scalar named by a type keyword (`int`, `string`, ...), or null.
  const Type* builtin_named(const std::string& name) const;

 private:
  Type error_{TypeKind::Error}, never_{TypeKind::Never}, none_{TypeKind::NoneType}, bool_{TypeKind::Bool},
      int_{TypeKind::Int}, float_{TypeKind::Float}, string_{TypeKind::String}, timestamp_{TypeKind::Timestamp},
      duration_{TypeKind::Duration};
  std::map<const void*, std::unique_ptr<Type>> enums_, events_, lists_, optionals_;
};

/// Whether a value of type `from` may be used where `to` is expected
/// (no conversions except: none and T into T?, [] into any list, an event
/// into an event it includes, Error/Never into anything).
bool is_assignable(const Type* from, const Type* to);

}  // namespace flow
