// Semantic types. Interned by TypeContext, so types compare by pointer.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

namespace flow {
namespace ast {
struct EnumDecl;
struct EventDecl;
}  // namespace ast

enum class TypeKind : uint8_t {
  Error,      // already reported: suppresses follow-on diagnostics
  Never,      // element type of `[]`: assignable to anything
  NoneType,   // type of the literal `none`
  Bool, Int, Float, String, Timestamp, Duration,
  Enum, Event, List, Optional,
};

struct Type {
  TypeKind kind;
  const ast::EnumDecl* enum_decl = nullptr;    // Enum
  const ast::EventDecl* event_decl = nullptr;  // Event
  const Type* element = nullptr;               // List element, Optional inner

  bool is_error() const { return kind == TypeKind::Error; }
  bool is_numeric() const { return kind == TypeKind::Int || kind == TypeKind::Float; }
  bool is_optional() const { return kind == TypeKind::Optional; }
  std::string to_string() const;
};

class TypeContext {
 public:
  TypeContext();
  const Type* error() const { return &error_; }
  const Type* never() const { return &never_; }
  const Type* none() const { return &none_; }
  const Type* boolean() const { return &bool_; }
  const Type* integer() const { return &int_; }
  const Type* floating() const { return &float_; }
  const Type* string() const { return &string_; }
  const Type* timestamp() const { return &timestamp_; }
  const Type* duration() const { return &duration_; }
  const Type* enumeration(const ast::EnumDecl* decl);
  const Type* event(const ast::EventDecl* decl);
  const Type* list(const Type* element);
  const Type* optional(const Type* inner);  // optional(T?) == T?

  /// The scalar named by a type keyword (`int`, `string`, ...), or null.
  const Type* builtin_named(const std::string& name) const;

 private:
  Type error_{TypeKind::Error}, never_{TypeKind::Never}, none_{TypeKind::NoneType},
      bool_{TypeKind::Bool}, int_{TypeKind::Int}, float_{TypeKind::Float},
      string_{TypeKind::String}, timestamp_{TypeKind::Timestamp}, duration_{TypeKind::Duration};
  std::map<const void*, std::unique_ptr<Type>> enums_, events_, lists_, optionals_;
};

/// Whether a value of type `from` may be used where `to` is expected
/// (no conversions except: none and T into T?, [] into any list, an event
/// into an event it includes, Error/Never into anything).
bool is_assignable(const Type* from, const Type* to);

}  // namespace flow
