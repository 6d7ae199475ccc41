// The checked-program dump (see checked_printer.h).
#include "check/checked_printer.h"

#include "ast/ast_printer.h"
#include "base/time_format.h"

namespace flow {

using namespace flow::ast;

namespace {

std::string resolved_name(const QualifiedName& name) {
  return name.resolved ? name.resolved->qualified_name() : name.text() + " (unresolved)";
}

std::string resolved_names(const std::vector<QualifiedName>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + resolved_name(name);
  return out;
}

std::string type_name(const Type* type) {
  return type ? type->to_string() : "?";
}

class CheckedWriter : public DumpWriter {
 public:
  CheckedWriter() : DumpWriter(ExprDetail::Checked) {}

  void module(const Module& m) {
    if (m.is_stdlib) {
      out += "module " + m.name + " (standard library, not shown)\n";
      return;
    }
    out += "module " + m.name + (m.is_root ? "" : " (imported)") + "\n";
    for (const auto& import : m.imports) {
      out += "  import " + (import.target ? import.target->name : import.path.text()) +
             (import.alias.empty() ? "" : " as " + import.alias) + "\n";
    }
    for (const auto& d : m.decls) decl(*d);
  }

 private:
  std::string name(const QualifiedName& n) const override { return resolved_name(n); }

  void decl(const Decl& d) {
    std::string qualified = d.qualified_name();
    switch (d.kind) {
      case DeclKind::Enum: {
        std::string members;
        for (const auto& m : static_cast<const EnumDecl&>(d).info.members) members += (members.empty() ? "" : ", ") + m;
        line(2, "enum " + qualified + " { " + members + " }");
        break;
      }
      case DeclKind::Event: event(static_cast<const EventDecl&>(d)); break;
      case DeclKind::Record: record(static_cast<const RecordDecl&>(d)); break;
      case DeclKind::Const: {
        const auto& c = static_cast<const ConstDecl&>(d);
        expr_line(2, "const " + qualified + ": " + type_name(c.value ? c.value->type : nullptr) + " = ", c.value.get());
        break;
      }
      case DeclKind::Rule: {
        const auto& r = static_cast<const RuleDecl&>(d);
        line(2, "rule " + qualified + "(" + param(r.param) + ") -> bool");
        expr_line(4, "= ", r.body.get());
        break;
      }
      case DeclKind::Decision: {
        const auto& x = static_cast<const DecisionDecl&>(d);
        line(2, "decision " + qualified + "(" + param(x.param) + ") -> " + type_name(x.result.resolved));
        for (const auto& arm : x.arms) {
          expr_line(4, "when ", arm.condition.get());
          expr_line(6, "=> ", arm.value.get());
        }
        expr_line(4, "else => ", x.else_value.get());
        break;
      }
      case DeclKind::Service: service(static_cast<const ServiceDecl&>(d)); break;
      case DeclKind::Flow: flow(static_cast<const FlowDecl&>(d)); break;
    }
  }

  static std::string param(const Param& p) {
    return p.name + ": " + (p.event_decl ? p.event_decl->qualified_name() : p.event.text() + " (unresolved)");
  }

  void event(const EventDecl& e) {
    structure("event", e, e.info.is_stdlib, e.includes, e.fields,
              [](const EventField& f) { return f.is_key ? "key " : ""; });
  }

  void record(const RecordDecl& r) {
    structure("record", r, r.info.is_stdlib, r.includes, r.fields, [](const RecordField&) { return ""; });
  }

  /// An event or a record: its inclusions, then its fields (after inclusion)
  /// with where each was declared and its default.
  template <typename D, typename F, typename Prefix>
  void structure(const char* keyword, const D& d, bool is_stdlib, const std::vector<const D*>& includes,
                 const std::vector<F>& fields, Prefix prefix) {
    line(2, keyword + (" " + d.qualified_name()) + (is_stdlib ? " (standard library)" : ""));
    if (!includes.empty()) {
      std::string names;
      for (const auto* included : includes) names += (names.empty() ? "" : ", ") + included->qualified_name();
      line(4, "includes " + names);
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      const F& f = fields[i];
      std::string text = "#" + std::to_string(i) + " " + prefix(f) + f.name + ": " + type_name(f.type);
      if (f.owner && f.owner != &d) text += " (from " + f.owner->qualified_name() + ")";
      if (f.decl && f.decl->default_value) {
        expr_line(4, text + " = ", f.decl->default_value.get());
      } else {
        line(4, text);
      }
    }
  }

  void service(const ServiceDecl& s) {
    line(2, "service " + s.qualified_name());
    for (const auto& c : s.consumes)
      line(4, "consumes " + (c.binding.empty() ? "" : c.binding + ": ") + resolved_name(c.event));
    if (!s.publishes.empty()) line(4, "publishes " + resolved_names(s.publishes));
    switch (s.impl) {
      case ServiceImpl::None: line(4, "no implementation"); break;
      case ServiceImpl::Exec: line(4, "exec " + s.exec_command); break;
      case ServiceImpl::Builtin: line(4, "builtin " + s.builtin_name); break;
      case ServiceImpl::Http: line(4, "http " + s.http_url); break;
      case ServiceImpl::Emit:
        for (const auto& e : s.emits) emit(4, e);
        break;
    }
    std::string options;
    if (s.timeout_us >= 0) options += " timeout " + format_duration(s.timeout_us);
    if (s.retry >= 0) options += " retry " + std::to_string(s.retry);
    if (s.backoff_us >= 0) options += " backoff " + format_duration(s.backoff_us);
    if (s.concurrency >= 0) options += " concurrency " + std::to_string(s.concurrency);
    if (!options.empty()) line(4, "options" + options);
  }

  void flow(const FlowDecl& f) {
    line(2, "flow " + f.qualified_name());
    if (!f.starts.empty()) line(4, "start " + resolved_names(f.starts));
    if (!f.accepts.empty()) line(4, "accepts " + resolved_names(f.accepts));
    if (!f.ends.empty()) line(4, "end " + resolved_names(f.ends));
    for (size_t i = 0; i < f.subscriptions.size(); ++i) {
      const auto& sub = f.subscriptions[i];
      std::string text =
          "on#" + std::to_string(i) + " " + resolved_name(sub.event) + " -> " + resolved_names(sub.services);
      if (sub.condition) {
        expr_line(4, text + " when ", sub.condition.get());
      } else {
        line(4, text);
      }
    }
  }
};

}  // namespace

std::string print_checked_program(const Program& program) {
  CheckedWriter writer;
  for (const auto& m : program.modules) writer.module(*m);
  return writer.out;
}

}  // namespace flow
