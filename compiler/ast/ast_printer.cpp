// The AST dump (see ast_printer.h): expressions are first turned into a
// small tree of heads and children, then laid out.
#include "ast/ast_printer.h"

#include <optional>

namespace flow::ast {

namespace {

constexpr size_t kLineWidth = 100;

struct Tree {
  std::string head;
  std::vector<Tree> children;
};

std::string one_line(const Tree& tree) {
  std::string out = "(" + tree.head;
  for (const auto& child : tree.children) out += " " + one_line(child);
  return out + ")";
}

/// Appends `tree`: on one line when it fits from `column` (where its first
/// line starts), otherwise its head there and each child on a line of its
/// own, indented two spaces more than `indent`.
void lay_out(const Tree& tree, int indent, size_t column, std::string& out) {
  std::string line = one_line(tree);
  if (column + line.size() <= kLineWidth || tree.children.empty()) {
    out += line;
    return;
  }
  out += "(" + tree.head;
  std::string pad(static_cast<size_t>(indent + 2), ' ');
  for (const auto& child : tree.children) {
    out += "\n" + pad;
    lay_out(child, indent + 2, pad.size(), out);
  }
  out += ")";
}

std::string as_written(const SourceRange& range) {
  if (!range.valid() || range.end < range.begin) return "";
  return std::string(range.file->text().substr(range.begin, range.end - range.begin));
}

std::string kind_name(ExprKind kind) {
  switch (kind) {
    case ExprKind::Int: return "int";
    case ExprKind::Float: return "float";
    case ExprKind::String: return "string";
    case ExprKind::Bool: return "bool";
    case ExprKind::None: return "none";
    case ExprKind::Duration: return "duration";
    case ExprKind::Timestamp: return "timestamp";
    case ExprKind::List: return "list";
    case ExprKind::Name: return "name";
    case ExprKind::It: return "it";
    case ExprKind::Field: return "field";
    case ExprKind::Call: return "call";
    case ExprKind::Index: return "index";
    case ExprKind::Unary: return "unary";
    case ExprKind::Binary: return "binary";
    case ExprKind::If: return "if";
    case ExprKind::Decimal: return "decimal";
    case ExprKind::Map: return "map";
    case ExprKind::Record: return "record";
    case ExprKind::Lambda: return "lambda";
    case ExprKind::OptionalField: return "field?";
  }
  return "?";
}

class TreeBuilder {
 public:
  explicit TreeBuilder(ExprDetail detail) : checked_(detail == ExprDetail::Checked) {}

  Tree build(const Expr& e) const {
    if (checked_) {
      if (auto resolved = resolution(e)) return {with_type(*resolved, e), {}};
    }
    Tree tree;
    switch (e.kind) {
      case ExprKind::Int:
      case ExprKind::Float:
      case ExprKind::String:
      case ExprKind::Bool:
      case ExprKind::Duration:
      case ExprKind::Timestamp:
      case ExprKind::Decimal: tree.head = kind_name(e.kind) + " " + as_written(e.range); break;
      case ExprKind::Name: tree.head = "name " + e.text; break;
      case ExprKind::Field:
      case ExprKind::OptionalField: tree.head = kind_name(e.kind) + " " + e.text; break;
      case ExprKind::Unary: tree.head = to_string(e.unary_op); break;
      case ExprKind::Binary: tree.head = to_string(e.binary_op); break;
      case ExprKind::Record:
        tree.head = "record " +
                    (checked_ && e.type_name.resolved ? e.type_name.resolved->qualified_name() : e.type_name.text());
        break;
      case ExprKind::Lambda: {
        tree.head = "lambda";
        for (const auto& p : e.params) {
          tree.head += " " + p.name + (checked_ && p.type ? ":" + p.type->to_string() : "");
        }
        break;
      }
      default: tree.head = kind_name(e.kind); break;
    }
    tree.head = with_type(tree.head, e);
    if (e.kind == ExprKind::Map) {
      for (size_t i = 0; i + 1 < e.operands.size(); i += 2) {
        tree.children.push_back({"entry", {build(*e.operands[i]), build(*e.operands[i + 1])}});
      }
      return tree;
    }
    for (size_t i = 0; i < e.operands.size(); ++i) {
      if (!e.operands[i]) continue;
      Tree child = build(*e.operands[i]);
      if (e.kind == ExprKind::Record && i < e.inits.size()) {
        child = {e.inits[i].is_spread ? "..." : "init " + e.inits[i].name, {std::move(child)}};
      }
      tree.children.push_back(std::move(child));
    }
    return tree;
  }

 private:
  std::string with_type(const std::string& head, const Expr& e) const {
    if (!checked_ || !e.type) return head;
    size_t space = head.find(' ');
    std::string type = ":" + e.type->to_string();
    return space == std::string::npos ? head + type : head.substr(0, space) + type + head.substr(space);
  }

  /// What a name or name chain resolved to, shown in place of its syntax.
  static std::optional<std::string> resolution(const Expr& e) {
    switch (e.ref) {
      case RefKind::Param: return "param " + e.text;
      case RefKind::LambdaParam: return "lambda-param " + e.text;
      case RefKind::It: return "it";
      case RefKind::Builtin: return "builtin " + e.text;
      case RefKind::Const:
        if (e.ref_decl) return "const " + e.ref_decl->qualified_name();
        break;
      case RefKind::Rule:
        if (e.ref_decl) return "rule " + e.ref_decl->qualified_name();
        break;
      case RefKind::Decision:
        if (e.ref_decl) return "decision " + e.ref_decl->qualified_name();
        break;
      case RefKind::EnumMember:
        if (e.ref_decl) return "enum-member " + e.ref_decl->qualified_name() + "." + e.text;
        break;
      default: break;
    }
    return std::nullopt;
  }

  bool checked_;
};

std::string names_as_written(const std::vector<QualifiedName>& names, int first, int count) {
  std::string out;
  for (int i = first; i < first + count && i < static_cast<int>(names.size()); ++i) {
    out += (i > first ? ", " : "") + names[static_cast<size_t>(i)].text();
  }
  return out;
}

class SyntaxWriter : public DumpWriter {
 public:
  SyntaxWriter() : DumpWriter(ExprDetail::Syntax) {}

  void module(const Module& m) {
    out += "module " + m.name + (m.name_range.valid() ? "" : " (named after its file)") + "\n";
    for (const auto& import : m.imports) {
      out += "  import " + import.path.text() + (import.alias.empty() ? "" : " as " + import.alias) + "\n";
    }
    for (const auto& d : m.decls) decl(*d);
  }

 private:
  void decl(const Decl& d) {
    switch (d.kind) {
      case DeclKind::Enum: {
        std::string members;
        for (const auto& m : static_cast<const EnumDecl&>(d).members) members += (members.empty() ? "" : ", ") + m.name;
        line(2, "enum " + d.name + " { " + members + " }");
        break;
      }
      case DeclKind::Event:
        line(2, "event " + d.name);
        members(static_cast<const EventDecl&>(d).members);
        break;
      case DeclKind::Record:
        line(2, "record " + d.name);
        members(static_cast<const RecordDecl&>(d).members);
        break;
      case DeclKind::Const: {
        const auto& c = static_cast<const ConstDecl&>(d);
        std::string type = c.declared_type ? ": " + c.declared_type->text() : "";
        expr_line(2, "const " + d.name + type + " = ", c.value.get());
        break;
      }
      case DeclKind::Rule: {
        const auto& r = static_cast<const RuleDecl&>(d);
        expr_line(2, "rule " + d.name + "(" + r.param.name + ": " + r.param.event.text() + ") = ", r.body.get());
        break;
      }
      case DeclKind::Decision: {
        const auto& x = static_cast<const DecisionDecl&>(d);
        line(2, "decision " + d.name + "(" + x.param.name + ": " + x.param.event.text() + ") -> " + x.result.text());
        for (const auto& arm : x.arms) {
          expr_line(4, "when ", arm.condition.get());
          expr_line(6, "=> ", arm.value.get());
        }
        if (x.else_value) expr_line(4, "else => ", x.else_value.get());
        break;
      }
      case DeclKind::Service: service(static_cast<const ServiceDecl&>(d)); break;
      case DeclKind::Flow: flow(static_cast<const FlowDecl&>(d)); break;
    }
  }

  void members(const std::vector<EventMember>& written) {
    for (const auto& m : written) {
      if (m.is_include) {
        line(4, "..." + m.include.text());
        continue;
      }
      std::string field = (m.field.is_key ? "key " : "") + m.field.name + ": " + m.field.type.text();
      if (m.field.default_value) {
        expr_line(4, field + " = ", m.field.default_value.get());
      } else {
        line(4, field);
      }
    }
  }

  void service(const ServiceDecl& s) {
    line(2, "service " + s.name);
    for (const auto& item : s.items) {
      switch (item.kind) {
        case ServiceItemKind::Consumes: {
          const auto& c = s.consumes[static_cast<size_t>(item.first)];
          line(4, "consumes " + (c.binding.empty() ? "" : c.binding + ": ") + c.event.text());
          break;
        }
        case ServiceItemKind::Publishes:
          line(4, "publishes " + names_as_written(s.publishes, item.first, item.count));
          break;
        case ServiceItemKind::Emit:
          emit(4, (item.extra ? s.extra_emits : s.emits)[static_cast<size_t>(item.first)]);
          break;
        default: line(4, as_written(item.range)); break;  // exec, builtin and the options
      }
    }
  }

  void flow(const FlowDecl& f) {
    line(2, "flow " + f.name);
    for (const auto& item : f.items) {
      switch (item.kind) {
        case FlowItemKind::Start: line(4, "start " + names_as_written(f.starts, item.first, item.count)); break;
        case FlowItemKind::Accepts: line(4, "accepts " + names_as_written(f.accepts, item.first, item.count)); break;
        case FlowItemKind::End: line(4, "end " + names_as_written(f.ends, item.first, item.count)); break;
        case FlowItemKind::On: {
          const auto& sub = f.subscriptions[static_cast<size_t>(item.first)];
          std::string target = " -> " + names_as_written(sub.services, 0, static_cast<int>(sub.services.size()));
          if (sub.condition) {
            expr_line(4, "on " + sub.event.text() + target + " when ", sub.condition.get());
          } else {
            line(4, "on " + sub.event.text() + target);
          }
          break;
        }
      }
    }
  }
};

}  // namespace

void DumpWriter::line(int indent, const std::string& text) {
  out += std::string(static_cast<size_t>(indent), ' ') + text + "\n";
}

void DumpWriter::expr_line(int indent, const std::string& label, const Expr* expr) {
  if (expr) {
    out += print_labelled_expr(label, *expr, detail_, indent);
  } else {
    line(indent, label + "<missing>");
  }
}

void DumpWriter::emit(int indent, const Emit& e) {
  line(indent, "emit " + name(e.target));
  for (const auto& init : e.inits) {
    if (init.is_spread) {
      line(indent + 2, "..." + init.name);
    } else {
      expr_line(indent + 2, init.name + " = ", init.value.get());
    }
  }
  if (e.when) expr_line(indent + 2, "when ", e.when.get());
}

std::string print_expr(const Expr& expr, ExprDetail detail, int indent) {
  std::string out;
  lay_out(TreeBuilder(detail).build(expr), indent, static_cast<size_t>(indent), out);
  return out;
}

std::string print_labelled_expr(const std::string& label, const Expr& expr, ExprDetail detail, int indent) {
  std::string out = std::string(static_cast<size_t>(indent), ' ') + label;
  lay_out(TreeBuilder(detail).build(expr), indent + 2, out.size(), out);
  return out + "\n";
}

std::string print_module_syntax(const Module& module) {
  SyntaxWriter writer;
  writer.module(module);
  return writer.out;
}

}  // namespace flow::ast
