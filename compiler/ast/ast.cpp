#include "ast/ast.h"

#include <algorithm>

namespace flow::ast {

std::string QualifiedName::text() const {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += '.';
    out += part;
  }
  return out;
}

std::string TypeRef::text() const {
  std::string out = name.text();
  if (!arguments.empty()) {
    out += '<';
    for (size_t i = 0; i < arguments.size(); ++i) out += (i > 0 ? ", " : "") + arguments[i].text();
    out += '>';
  }
  if (optional) out += '?';
  return out;
}

const char* to_string(UnaryOp op) {
  return op == UnaryOp::Neg ? "-" : "not";
}

const char* to_string(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Mod: return "%";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::In: return "in";
    case BinaryOp::NotIn: return "not in";
    case BinaryOp::And: return "and";
    case BinaryOp::Or: return "or";
    case BinaryOp::Coalesce: return "??";
  }
  return "?";
}

bool is_list_function(Builtin b) {
  return b >= Builtin::Any && b <= Builtin::MapEach;
}

bool is_structured_builtin(Builtin b) {
  return b >= Builtin::Any;
}

const char* to_string(DeclKind kind) {
  switch (kind) {
    case DeclKind::Enum: return "enum";
    case DeclKind::Event: return "event";
    case DeclKind::Const: return "constant";
    case DeclKind::Rule: return "rule";
    case DeclKind::Decision: return "decision";
    case DeclKind::Service: return "service";
    case DeclKind::Flow: return "flow";
    case DeclKind::Record: return "record";
  }
  return "declaration";
}

std::string Decl::qualified_name() const {
  return module && !module->name.empty() && !module->named_by_file ? module->name + "." + name : name;
}

int EnumDecl::member_index(const std::string& member) const {
  for (size_t i = 0; i < members.size(); ++i) {
    if (members[i].name == member) return static_cast<int>(i);
  }
  return -1;
}

int EventDecl::field_index(const std::string& field) const {
  if (!field_indices.empty()) {
    auto it = field_indices.find(field);
    return it == field_indices.end() ? -1 : it->second;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) return static_cast<int>(i);
  }
  return -1;
}

bool EventDecl::includes_event(const EventDecl* other) const {
  return other == this || std::find(includes.begin(), includes.end(), other) != includes.end();
}

}  // namespace flow::ast
