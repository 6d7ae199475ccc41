// The Printer's module, declarations and their items, in canonical form:
// two-space indents, one item per line in a multi-line body, `, ` between
// items of a body kept on one line, no `;` separators.
#include <cstdint>

#include "format/printer.h"

namespace flow::format {

using namespace flow::ast;

namespace {

std::string names(const std::vector<QualifiedName>& list, int first, int count) {
  std::string out;
  for (int i = first; i < first + count && i < static_cast<int>(list.size()); ++i) {
    if (i > first) out += ", ";
    out += list[static_cast<size_t>(i)].text();
  }
  return out;
}

}  // namespace

std::string Printer::print(const Module& module) {
  if (module.name_range.valid()) {
    size_t first = begin_item(module.name_range.begin, 0);
    write("module " + module.name);
    end_item(first, module.name_range.end);
    request_blank();
  }
  for (const auto& import : module.imports) {
    size_t first = begin_item(import.range.begin, 0);
    write("import " + import.path.text());
    if (!import.alias.empty()) write(" as " + import.alias);
    end_item(first, import.range.end);
  }
  if (!module.imports.empty()) request_blank();
  // Declarations keep the source's blank lines; one that spans several
  // lines always has a blank line before and after it.
  bool previous_multi_line = false;
  for (const auto& d : module.decls) {
    if (previous_multi_line) request_blank();
    size_t mark = lines_.size();
    Align align = d->kind == DeclKind::Rule                                   ? Align::Rule
                  : d->kind == DeclKind::Event || d->kind == DeclKind::Record ? Align::Event
                                                                              : Align::None;
    size_t first = begin_item(d->range.begin, 0, align);
    decl(*d);
    end_item(first, d->range.end);
    bool multi_line = lines_.size() - 1 > first;
    if (multi_line && mark > 0 && mark < lines_.size()) lines_[mark].blank_before = true;
    previous_multi_line = multi_line;
  }
  flush_between_items(static_cast<uint32_t>(file_.text().size()), 0);
  return render(lines_);
}

bool Printer::body_on_one_line(uint32_t begin, uint32_t open, uint32_t close, bool empty) const {
  return !comments_in(begin, close) && (empty || !has_newline(open, close));
}

uint32_t Printer::decl_open_brace(const Decl& d) const {
  return find_forward(d.name_range.end, d.range.end, '{');
}

std::string Printer::type_ref(const TypeRef& t) const {
  return t.text();
}

std::string Printer::param(const Param& p) const {
  return p.name + ": " + p.event.text();
}

void Printer::decl(const Decl& d) {
  switch (d.kind) {
    case DeclKind::Enum: enum_decl(static_cast<const EnumDecl&>(d)); break;
    case DeclKind::Event: event_decl(static_cast<const EventDecl&>(d)); break;
    case DeclKind::Record: record_decl(static_cast<const RecordDecl&>(d)); break;
    case DeclKind::Const: const_decl(static_cast<const ConstDecl&>(d)); break;
    case DeclKind::Rule: rule_decl(static_cast<const RuleDecl&>(d)); break;
    case DeclKind::Decision: decision_decl(static_cast<const DecisionDecl&>(d)); break;
    case DeclKind::Service: service_decl(static_cast<const ServiceDecl&>(d)); break;
    case DeclKind::Flow: flow_decl(static_cast<const FlowDecl&>(d)); break;
  }
}

void Printer::enum_decl(const EnumDecl& e) {
  write("enum " + e.name + " {");
  uint32_t open = decl_open_brace(e);
  uint32_t close = e.range.end - 1;
  if (body_on_one_line(e.range.begin, open, close, e.members.empty())) {
    if (!e.members.empty()) {
      write(" ");
      for (size_t i = 0; i < e.members.size(); ++i) write((i > 0 ? ", " : "") + e.members[i].name);
      write(" ");
    }
    write("}");
    return;
  }
  open_body(open);
  for (const auto& member : e.members) {
    size_t first = begin_item(member.range.begin, kIndent);
    write(member.name);
    end_item(first, member.range.end);
  }
  close_body(close, kIndent, 0);
}

void Printer::event_member(const EventMember& m) {
  if (m.is_include) {
    write("..." + m.include.text());
    return;
  }
  const FieldDecl& f = m.field;
  write((f.is_key ? "key " : "") + f.name + ": " + type_ref(f.type));
  if (f.default_value) {
    write(" =");
    break_or_space(f.type.range.end, f.default_value->range.begin);
    expr(*f.default_value);
  }
}

void Printer::event_decl(const EventDecl& e) {
  write("event " + e.name);
  members_body(e, e.members);
}

void Printer::record_decl(const RecordDecl& r) {
  write("record " + r.name);
  members_body(r, r.members);
}

void Printer::members_body(const Decl& d, const std::vector<EventMember>& members) {
  next_cell();
  write("{");
  uint32_t open = decl_open_brace(d);
  uint32_t close = d.range.end - 1;
  if (body_on_one_line(d.range.begin, open, close, members.empty())) {
    if (!members.empty()) {
      write(" ");
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) write(", ");
        event_member(members[i]);
      }
      write(" ");
    }
    write("}");
    return;
  }
  open_body(open);
  for (const auto& member : members) {
    SourceRange r = member.is_include ? member.include.range : member.field.range;
    size_t first = begin_item(r.begin, kIndent);
    event_member(member);
    end_item(first, r.end);
  }
  close_body(close, kIndent, 0);
}

void Printer::const_decl(const ConstDecl& c) {
  write("const " + c.name);
  uint32_t header_end = c.name_range.end;
  if (c.declared_type) {
    write(": " + type_ref(*c.declared_type));
    header_end = c.declared_type->range.end;
  }
  write(" =");
  break_or_space(header_end, c.value->range.begin);
  expr(*c.value);
}

void Printer::rule_decl(const RuleDecl& r) {
  write("rule " + r.name + "(" + param(r.param) + ")");
  next_cell();
  write("=");
  break_or_space(r.param.event.range.end, r.body->range.begin);
  expr(*r.body);
}

void Printer::decision_decl(const DecisionDecl& d) {
  write("decision " + d.name + "(" + param(d.param) + ") -> " + type_ref(d.result) + " {");
  uint32_t open = decl_open_brace(d);
  uint32_t close = d.range.end - 1;
  if (d.arms.empty() && !d.else_value && body_on_one_line(d.range.begin, open, close, true)) {
    write("}");
    return;
  }
  open_body(open);
  for (const auto& arm : d.arms) {
    size_t first = begin_item(arm.range.begin, kIndent, Align::Arm);
    write("when ");
    expr(*arm.condition);
    next_cell();
    write("=>");
    break_or_space(arm.condition->range.end, arm.value->range.begin);
    expr(*arm.value);
    end_item(first, arm.range.end);
  }
  if (d.else_value) {
    size_t first = begin_item(d.else_value->range.begin, kIndent, Align::Arm);
    write("else");
    next_cell();
    write("=> ");
    expr(*d.else_value);
    end_item(first, d.else_value->range.end);
  }
  close_body(close, kIndent, 0);
}

void Printer::service_decl(const ServiceDecl& s) {
  write("service " + s.name + " {");
  uint32_t open = decl_open_brace(s);
  uint32_t close = s.range.end - 1;
  if (s.items.empty() && body_on_one_line(s.range.begin, open, close, true)) {
    write("}");
    return;
  }
  open_body(open);
  for (const auto& item : s.items) service_item(s, item);
  close_body(close, kIndent, 0);
}

void Printer::service_item(const ServiceDecl& s, const ServiceItem& item) {
  size_t first = begin_item(item.range.begin, kIndent);
  switch (item.kind) {
    case ServiceItemKind::Consumes: {
      const auto& consumes = s.consumes[static_cast<size_t>(item.first)];
      write("consumes " + (consumes.binding.empty() ? "" : consumes.binding + ": ") + consumes.event.text());
      break;
    }
    case ServiceItemKind::Publishes: write("publishes " + names(s.publishes, item.first, item.count)); break;
    case ServiceItemKind::Emit:
      emit((item.extra ? s.extra_emits : s.emits)[static_cast<size_t>(item.first)], kIndent);
      break;
    case ServiceItemKind::Exec:
    case ServiceItemKind::Builtin:
    case ServiceItemKind::Http:
    case ServiceItemKind::Timeout:
    case ServiceItemKind::Retry:
    case ServiceItemKind::Concurrency:
      // A keyword and literals: their spelling is kept, only spacing changes.
      write(joined_tokens(item.range));
      break;
  }
  end_item(first, item.range.end);
}

void Printer::emit_init(const EmitInit& init) {
  if (init.is_spread) {
    write("..." + init.name);
    return;
  }
  write(init.name + ":");
  break_or_space(init.name_range.end, init.value->range.begin);
  expr(*init.value);
}

void Printer::emit(const Emit& e, int indent) {
  write("emit " + e.target.text() + " {");
  uint32_t open = find_forward(e.target.range.end, e.range.end, '{');
  uint32_t close = find_backward(open + 1, e.when ? e.when->range.begin : e.range.end, '}');
  if (body_on_one_line(e.range.begin, open, close, e.inits.empty())) {
    if (!e.inits.empty()) {
      write(" ");
      for (size_t i = 0; i < e.inits.size(); ++i) {
        if (i > 0) write(", ");
        emit_init(e.inits[i]);
      }
      write(" ");
    }
    write("}");
  } else {
    open_body(open);
    for (const auto& init : e.inits) {
      size_t first = begin_item(init.range.begin, indent + kIndent);
      emit_init(init);
      end_item(first, init.range.end);
    }
    close_body(close, indent + kIndent, indent);
  }
  if (e.when) {
    write(" when ");
    expr(*e.when);
  }
}

void Printer::flow_decl(const FlowDecl& f) {
  write("flow " + f.name + " {");
  uint32_t open = decl_open_brace(f);
  uint32_t close = f.range.end - 1;
  if (f.items.empty() && body_on_one_line(f.range.begin, open, close, true)) {
    write("}");
    return;
  }
  open_body(open);
  for (const auto& item : f.items) flow_item(f, item);
  close_body(close, kIndent, 0);
}

void Printer::flow_item(const FlowDecl& f, const FlowItem& item) {
  if (item.kind == FlowItemKind::On) {
    const Subscription& sub = f.subscriptions[static_cast<size_t>(item.first)];
    size_t first = begin_item(item.range.begin, kIndent, Align::On);
    write("on " + sub.event.text());
    if (sub.condition) {
      write(" when ");
      expr(*sub.condition);
    }
    next_cell();
    write("-> " + names(sub.services, 0, static_cast<int>(sub.services.size())));
    end_item(first, item.range.end);
    return;
  }
  size_t first = begin_item(item.range.begin, kIndent, Align::FlowKeyword);
  switch (item.kind) {
    case FlowItemKind::Start:
      write("start");
      next_cell();
      write(names(f.starts, item.first, item.count));
      break;
    case FlowItemKind::Accepts:
      write("accepts");
      next_cell();
      write(names(f.accepts, item.first, item.count));
      break;
    case FlowItemKind::End:
      write("end");
      next_cell();
      write(names(f.ends, item.first, item.count));
      break;
    case FlowItemKind::On: break;
  }
  end_item(first, item.range.end);
}

}  // namespace flow::format
