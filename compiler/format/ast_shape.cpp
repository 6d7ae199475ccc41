#include "format/ast_shape.h"

#include <cstdio>
#include <cstring>

namespace flow::format {

using namespace flow::ast;

namespace {

class ShapeWriter {
 public:
  std::string out;

  void module(const Module& m) {
    line("module " + m.name);
    for (const auto& import : m.imports) line("import " + import.path.text() + " as " + import.alias);
    for (const auto& d : m.decls) decl(*d);
  }

 private:
  void line(const std::string& text) {
    out += text;
    out += '\n';
  }

  void decl(const Decl& d) {
    line(std::string(to_string(d.kind)) + " " + d.name + " doc[" + d.doc + "]");
    switch (d.kind) {
      case DeclKind::Enum:
        for (const auto& m : static_cast<const EnumDecl&>(d).members) line(" member " + m.name);
        break;
      case DeclKind::Event: members(static_cast<const EventDecl&>(d).members); break;
      case DeclKind::Record: members(static_cast<const RecordDecl&>(d).members); break;
      case DeclKind::Const: {
        const auto& c = static_cast<const ConstDecl&>(d);
        line(" type " + (c.declared_type ? type(*c.declared_type) : std::string("-")));
        expr(*c.value, 1);
        break;
      }
      case DeclKind::Rule: {
        const auto& r = static_cast<const RuleDecl&>(d);
        line(" param " + r.param.name + " " + r.param.event.text());
        expr(*r.body, 1);
        break;
      }
      case DeclKind::Decision: {
        const auto& x = static_cast<const DecisionDecl&>(d);
        line(" param " + x.param.name + " " + x.param.event.text() + " -> " + type(x.result));
        for (const auto& arm : x.arms) {
          line(" when");
          expr(*arm.condition, 2);
          expr(*arm.value, 2);
        }
        if (x.else_value) {
          line(" else");
          expr(*x.else_value, 2);
        }
        break;
      }
      case DeclKind::Service: service(static_cast<const ServiceDecl&>(d)); break;
      case DeclKind::Flow: flow(static_cast<const FlowDecl&>(d)); break;
    }
  }

  void members(const std::vector<EventMember>& written) {
    for (const auto& m : written) {
      if (m.is_include) {
        line(" include " + m.include.text());
      } else {
        line(std::string(" field ") + (m.field.is_key ? "key " : "") + m.field.name + " " + type(m.field.type));
        if (m.field.default_value) expr(*m.field.default_value, 2);
      }
    }
  }

  void service(const ServiceDecl& s) {
    for (const auto& c : s.consumes) line(" consumes " + c.binding + " " + c.event.text());
    for (const auto& p : s.publishes) line(" publishes " + p.text());
    line(" impl " + std::to_string(static_cast<int>(s.impl)) + " exec[" + s.exec_command + "] builtin[" +
         s.builtin_name + "] http[" + s.http_url + "]");
    line(" options " + std::to_string(s.timeout_us) + " " + std::to_string(s.retry) + " " +
         std::to_string(s.backoff_us) + " " + std::to_string(s.concurrency));
    for (const auto& [name, range] : s.duplicate_items) line(" duplicate " + name);
    line(" extra impls " + std::to_string(s.extra_impls.size()));
    for (const auto& item : s.items) {
      line(" item " + std::to_string(static_cast<int>(item.kind)) + " " + std::to_string(item.first) + " " +
           std::to_string(item.count) + (item.extra ? " extra" : ""));
    }
    for (const auto& e : s.emits) emit(e);
    for (const auto& e : s.extra_emits) emit(e);
  }

  void emit(const Emit& e) {
    line(" emit " + e.target.text());
    for (const auto& init : e.inits) {
      line(std::string("  ") + (init.is_spread ? "..." : "") + init.name);
      if (init.value) expr(*init.value, 3);
    }
    if (e.when) {
      line("  when");
      expr(*e.when, 3);
    }
  }

  void flow(const FlowDecl& f) {
    for (const auto& item : f.items) {
      line(" item " + std::to_string(static_cast<int>(item.kind)) + " " + std::to_string(item.first) + " " +
           std::to_string(item.count));
    }
    for (const auto& n : f.starts) line(" start " + n.text());
    for (const auto& n : f.accepts) line(" accepts " + n.text());
    for (const auto& n : f.ends) line(" end " + n.text());
    for (const auto& sub : f.subscriptions) {
      std::string services;
      for (const auto& s : sub.services) services += " " + s.text();
      line(" on " + sub.event.text() + " ->" + services);
      if (sub.condition) expr(*sub.condition, 2);
    }
  }

  static std::string type(const TypeRef& t) { return t.text(); }

  void expr(const Expr& e, int depth) {
    std::string text(static_cast<size_t>(depth), ' ');
    text += std::to_string(static_cast<int>(e.kind));
    switch (e.kind) {
      case ExprKind::Float: {
        uint64_t bits;
        std::memcpy(&bits, &e.float_value, sizeof bits);
        text += " " + std::to_string(bits);
        break;
      }
      case ExprKind::Unary: text += std::string(" ") + to_string(e.unary_op); break;
      case ExprKind::Binary: text += std::string(" ") + to_string(e.binary_op); break;
      default: break;
    }
    text += " " + std::to_string(e.int_value) + " [" + e.text + "]";
    if (e.kind == ExprKind::Record) {
      text += " " + e.type_name.text();
      for (const auto& init : e.inits) text += init.is_spread ? " ..." : " " + init.name + ":";
    }
    for (const auto& p : e.params) text += " param " + p.name;
    line(text);
    for (const auto& child : e.operands) expr(*child, depth + 1);
  }
};

}  // namespace

std::string ast_shape(const Module& module) {
  ShapeWriter writer;
  writer.module(module);
  return writer.out;
}

}  // namespace flow::format
