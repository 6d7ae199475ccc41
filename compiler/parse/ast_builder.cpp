#include "parse/ast_builder.h"

#include <cmath>
#include <cstdlib>

#include "base/time_format.h"
#include "parse/parser.h"

namespace flow::parse_detail {

using FP = flow_parser::FlowParser;
using namespace flow::ast;

SourceRange AstBuilder::range(antlr4::Token* token) const {
  if (!token || token->getStartIndex() == INVALID_INDEX) return {&file_, 0, 0};
  size_t start = token->getStartIndex();
  size_t stop = token->getStopIndex();
  uint32_t begin = decoded_.byte_offset(start);
  uint32_t end = stop + 1 >= start ? decoded_.byte_offset(stop + 1) : begin;
  return {&file_, begin, std::max(begin, end)};
}

SourceRange AstBuilder::range(antlr4::ParserRuleContext* ctx) const {
  if (!ctx || !ctx->getStart()) return {&file_, 0, 0};
  SourceRange first = range(ctx->getStart());
  antlr4::Token* stop = ctx->getStop();
  if (!stop || stop->getType() == antlr4::Token::EOF || stop->getTokenIndex() < ctx->getStart()->getTokenIndex()) {
    return first;
  }
  return first.to(range(stop));
}

std::string AstBuilder::text(antlr4::tree::TerminalNode* node) const {
  if (!node) return {};
  SourceRange r = range(node);
  return std::string(file_.text().substr(r.begin, r.end - r.begin));
}

std::string AstBuilder::doc_comment(antlr4::ParserRuleContext* ctx) const {
  if (!ctx || !ctx->getStart()) return {};
  std::string doc;
  for (antlr4::Token* token : tokens_.getHiddenTokensToLeft(ctx->getStart()->getTokenIndex(), 2)) {
    SourceRange r = range(token);
    std::string_view line = file_.text().substr(r.begin + 3, r.end - r.begin - 3);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (!doc.empty()) doc += '\n';
    doc += line;
  }
  return doc;
}

std::unique_ptr<Module> AstBuilder::build(FP::FileContext* ctx) {
  auto module = std::make_unique<Module>();
  module->file = &file_;
  if (auto* m = ctx->moduleDecl(); m && m->qualifiedName()) {
    module->name = qualified_name(m->qualifiedName()).text();
    module->name_range = range(m->qualifiedName());
  }
  for (auto* imp : ctx->importDecl()) {
    if (!imp->qualifiedName()) continue;
    Import import;
    import.path = qualified_name(imp->qualifiedName());
    if (imp->IDENT()) import.alias = text(imp->IDENT());
    import.range = range(imp);
    module->imports.push_back(std::move(import));
  }
  for (auto* d : ctx->decl()) {
    if (auto built = decl(d)) {
      built->module = module.get();
      module->decls.push_back(std::move(built));
    }
  }
  return module;
}

QualifiedName AstBuilder::qualified_name(FP::QualifiedNameContext* ctx) {
  QualifiedName name;
  if (!ctx) return name;
  for (auto* ident : ctx->IDENT()) name.parts.push_back(text(ident));
  name.range = range(ctx);
  return name;
}

std::vector<QualifiedName> AstBuilder::name_list(const std::vector<FP::QualifiedNameContext*>& names) {
  std::vector<QualifiedName> out;
  for (auto* n : names) out.push_back(qualified_name(n));
  return out;
}

TypeRef AstBuilder::type_ref(FP::TypeRefContext* ctx) {
  TypeRef t;
  if (!ctx) return t;
  t.name = qualified_name(ctx->qualifiedName());
  for (auto* argument : ctx->typeRef()) t.arguments.push_back(type_ref(argument));
  t.optional = ctx->QUESTION() != nullptr;
  t.range = range(ctx);
  return t;
}

Param AstBuilder::param(FP::ParamContext* ctx) {
  Param p;
  if (!ctx) return p;
  p.name = text(ctx->IDENT());
  p.name_range = range(ctx->IDENT());
  p.event = qualified_name(ctx->qualifiedName());
  return p;
}

std::unique_ptr<Decl> AstBuilder::decl(FP::DeclContext* ctx) {
  std::unique_ptr<Decl> d;
  antlr4::ParserRuleContext* inner = nullptr;
  antlr4::tree::TerminalNode* name = nullptr;
  if (auto* c = ctx->enumDecl()) {
    d = enum_decl(c);
    inner = c;
    name = c->IDENT().empty() ? nullptr : c->IDENT(0);
  } else if (auto* c = ctx->eventDecl()) {
    d = event_decl(c);
    inner = c;
    name = c->IDENT();
  } else if (auto* c = ctx->recordDecl()) {
    d = record_decl(c);
    inner = c;
    name = c->IDENT();
  } else if (auto* c = ctx->constDecl()) {
    d = const_decl(c);
    inner = c;
    name = c->IDENT();
  } else if (auto* c = ctx->ruleDecl()) {
    d = rule_decl(c);
    inner = c;
    name = c->IDENT();
  } else if (auto* c = ctx->decisionDecl()) {
    d = decision_decl(c);
    inner = c;
    name = c->IDENT();
  } else if (auto* c = ctx->serviceDecl()) {
    d = service_decl(c);
    inner = c;
    name = c->IDENT();
  } else if (auto* c = ctx->flowDecl()) {
    d = flow_decl(c);
    inner = c;
    name = c->IDENT();
  }
  if (!d || !name) return nullptr;
  d->name = text(name);
  d->name_range = range(name);
  d->range = range(inner);
  d->doc = doc_comment(ctx);
  return d;
}

std::unique_ptr<Decl> AstBuilder::enum_decl(FP::EnumDeclContext* ctx) {
  auto e = std::make_unique<EnumDecl>();
  auto idents = ctx->IDENT();
  for (size_t i = 1; i < idents.size(); ++i) e->members.push_back({text(idents[i]), range(idents[i])});
  return e;
}

std::vector<EventMember> AstBuilder::members(const std::vector<FP::EventMemberContext*>& written) {
  std::vector<EventMember> out;
  for (auto* m : written) {
    EventMember member;
    if (auto* inc = dynamic_cast<FP::IncludeMemberContext*>(m)) {
      if (!inc->qualifiedName()) continue;
      member.is_include = true;
      member.include = qualified_name(inc->qualifiedName());
    } else if (auto* f = dynamic_cast<FP::FieldMemberContext*>(m)) {
      if (!f->IDENT() || !f->typeRef()) continue;
      member.field.is_key = f->KEY() != nullptr;
      member.field.name = text(f->IDENT());
      member.field.name_range = range(f->IDENT());
      member.field.range = range(f);
      member.field.type = type_ref(f->typeRef());
      if (f->expr()) member.field.default_value = expr(f->expr());
    } else {
      continue;
    }
    out.push_back(std::move(member));
  }
  return out;
}

std::unique_ptr<Decl> AstBuilder::event_decl(FP::EventDeclContext* ctx) {
  auto e = std::make_unique<EventDecl>();
  e->members = members(ctx->eventMember());
  return e;
}

std::unique_ptr<Decl> AstBuilder::record_decl(FP::RecordDeclContext* ctx) {
  auto r = std::make_unique<RecordDecl>();
  r->members = members(ctx->eventMember());
  return r;
}

std::unique_ptr<Decl> AstBuilder::const_decl(FP::ConstDeclContext* ctx) {
  auto c = std::make_unique<ConstDecl>();
  if (ctx->typeRef()) c->declared_type = std::make_unique<TypeRef>(type_ref(ctx->typeRef()));
  c->value = ctx->expr() ? expr(ctx->expr()) : error_expr(range(ctx));
  return c;
}

std::unique_ptr<Decl> AstBuilder::rule_decl(FP::RuleDeclContext* ctx) {
  auto r = std::make_unique<RuleDecl>();
  r->param = param(ctx->param());
  r->body = ctx->expr() ? expr(ctx->expr()) : error_expr(range(ctx));
  return r;
}

std::unique_ptr<Decl> AstBuilder::decision_decl(FP::DecisionDeclContext* ctx) {
  auto d = std::make_unique<DecisionDecl>();
  d->param = param(ctx->param());
  d->result = type_ref(ctx->typeRef());
  for (auto* arm : ctx->decisionArm()) {
    if (arm->expr().size() != 2) continue;
    d->arms.push_back({expr(arm->expr(0)), expr(arm->expr(1)), range(arm)});
  }
  if (auto* e = ctx->elseArm(); e && e->expr()) d->else_value = expr(e->expr());
  return d;
}

std::unique_ptr<Decl> AstBuilder::service_decl(FP::ServiceDeclContext* ctx) {
  auto s = std::make_unique<ServiceDecl>();
  auto set_impl = [&](ServiceImpl kind, SourceRange r) {
    if (s->impl != ServiceImpl::None && !(s->impl == ServiceImpl::Emit && kind == ServiceImpl::Emit)) {
      s->extra_impls.push_back(r);
      return false;
    }
    if (s->impl == ServiceImpl::None) s->impl_range = r;
    s->impl = kind;
    return true;
  };
  auto option_seen = [&](const std::string& item, SourceRange r) {
    for (const auto& [name, first] : s->option_ranges) {
      if (name == item) {
        s->duplicate_items.push_back({item, r});
        return true;
      }
    }
    s->option_ranges.push_back({item, r});
    return false;
  };
  auto record = [&](ServiceItemKind kind, SourceRange r, int first = 0, int count = 0, bool extra = false) {
    s->items.push_back({kind, r, first, count, extra});
  };
  for (auto* item : ctx->serviceItem()) {
    SourceRange r = range(item);
    if (auto* c = dynamic_cast<FP::ConsumesItemContext*>(item)) {
      if (!c->qualifiedName()) continue;
      ServiceDecl::Consumes consumes;
      if (c->IDENT()) {
        consumes.binding = text(c->IDENT());
        consumes.binding_range = range(c->IDENT());
      }
      consumes.event = qualified_name(c->qualifiedName());
      consumes.range = r;
      record(ServiceItemKind::Consumes, r, static_cast<int>(s->consumes.size()));
      s->consumes.push_back(std::move(consumes));
    } else if (auto* p = dynamic_cast<FP::PublishesItemContext*>(item)) {
      int first = static_cast<int>(s->publishes.size());
      for (auto& n : name_list(p->qualifiedName())) s->publishes.push_back(std::move(n));
      record(ServiceItemKind::Publishes, r, first, static_cast<int>(s->publishes.size()) - first);
    } else if (auto* e = dynamic_cast<FP::ExecItemContext*>(item)) {
      if (!e->STRING()) continue;
      record(ServiceItemKind::Exec, r);
      if (set_impl(ServiceImpl::Exec, r)) s->exec_command = string_literal(e->STRING());
    } else if (auto* b = dynamic_cast<FP::BuiltinItemContext*>(item)) {
      if (!b->STRING()) continue;
      record(ServiceItemKind::Builtin, r);
      if (set_impl(ServiceImpl::Builtin, r)) s->builtin_name = string_literal(b->STRING());
    } else if (auto* h = dynamic_cast<FP::HttpItemContext*>(item)) {
      if (!h->STRING()) continue;
      record(ServiceItemKind::Http, r);
      if (set_impl(ServiceImpl::Http, r)) s->http_url = string_literal(h->STRING());
    } else if (auto* em = dynamic_cast<FP::EmitItemContext*>(item)) {
      if (!em->qualifiedName()) continue;
      bool counted = set_impl(ServiceImpl::Emit, r);
      Emit emit;
      emit.target = qualified_name(em->qualifiedName());
      emit.range = r;
      for (auto* init : em->emitInit()) {
        EmitInit out;
        out.range = range(init);
        if (auto* spread = dynamic_cast<FP::SpreadInitContext*>(init)) {
          if (!spread->IDENT()) continue;
          out.is_spread = true;
          out.name = text(spread->IDENT());
          out.name_range = range(spread->IDENT());
        } else if (auto* field = dynamic_cast<FP::FieldInitContext*>(init)) {
          if (!field->IDENT() || !field->expr()) continue;
          out.name = text(field->IDENT());
          out.name_range = range(field->IDENT());
          out.value = expr(field->expr());
        } else {
          continue;
        }
        emit.inits.push_back(std::move(out));
      }
      if (em->expr()) emit.when = expr(em->expr());
      auto& into = counted ? s->emits : s->extra_emits;
      record(ServiceItemKind::Emit, r, static_cast<int>(into.size()), 0, !counted);
      into.push_back(std::move(emit));
    } else if (auto* t = dynamic_cast<FP::TimeoutItemContext*>(item)) {
      if (!t->DURATION()) continue;
      record(ServiceItemKind::Timeout, r);
      if (!option_seen("timeout", r)) s->timeout_us = duration_literal(t->DURATION());
    } else if (auto* rt = dynamic_cast<FP::RetryItemContext*>(item)) {
      if (!rt->INT()) continue;
      record(ServiceItemKind::Retry, r);
      if (option_seen("retry", r)) continue;
      std::string digits;
      for (char c : text(rt->INT()))
        if (c != '_') digits += c;
      errno = 0;
      long long v = std::strtoll(digits.c_str(), nullptr, 10);
      if (errno == ERANGE) diags_.report(DiagKind::InvalidLiteral, range(rt->INT()), "integer literal out of range");
      s->retry = v;
      if (rt->DURATION()) s->backoff_us = duration_literal(rt->DURATION());
    } else if (auto* cc = dynamic_cast<FP::ConcurrencyItemContext*>(item)) {
      if (!cc->INT()) continue;
      record(ServiceItemKind::Concurrency, r);
      if (option_seen("concurrency", r)) continue;
      std::string digits;
      for (char c : text(cc->INT()))
        if (c != '_') digits += c;
      errno = 0;
      long long v = std::strtoll(digits.c_str(), nullptr, 10);
      if (errno == ERANGE) diags_.report(DiagKind::InvalidLiteral, range(cc->INT()), "integer literal out of range");
      s->concurrency = v;
    }
  }
  return s;
}

std::unique_ptr<Decl> AstBuilder::flow_decl(FP::FlowDeclContext* ctx) {
  auto f = std::make_unique<FlowDecl>();
  auto add_names = [&](FlowItemKind kind, SourceRange r, std::vector<QualifiedName>& into,
                       const std::vector<FP::QualifiedNameContext*>& written) {
    int first = static_cast<int>(into.size());
    for (auto& n : name_list(written)) into.push_back(std::move(n));
    f->items.push_back({kind, r, first, static_cast<int>(into.size()) - first});
  };
  for (auto* item : ctx->flowItem()) {
    if (auto* s = dynamic_cast<FP::StartItemContext*>(item)) {
      add_names(FlowItemKind::Start, range(item), f->starts, s->qualifiedName());
    } else if (auto* a = dynamic_cast<FP::AcceptsItemContext*>(item)) {
      add_names(FlowItemKind::Accepts, range(item), f->accepts, a->qualifiedName());
    } else if (auto* e = dynamic_cast<FP::EndItemContext*>(item)) {
      add_names(FlowItemKind::End, range(item), f->ends, e->qualifiedName());
    } else if (auto* on = dynamic_cast<FP::OnItemContext*>(item)) {
      auto names = on->qualifiedName();
      if (names.size() < 2) continue;
      Subscription sub;
      sub.event = qualified_name(names[0]);
      for (size_t i = 1; i < names.size(); ++i) sub.services.push_back(qualified_name(names[i]));
      if (on->expr()) sub.condition = expr(on->expr());
      sub.range = range(on);
      f->items.push_back({FlowItemKind::On, sub.range, static_cast<int>(f->subscriptions.size()), 1});
      f->subscriptions.push_back(std::move(sub));
    }
  }
  return f;
}

ExprPtr AstBuilder::error_expr(SourceRange r) {
  // A placeholder that type-checks as an error without further diagnostics.
  auto e = std::make_unique<Expr>(ExprKind::Name, r);
  e->text = "";
  return e;
}

int64_t AstBuilder::duration_literal(antlr4::tree::TerminalNode* node) {
  auto value = parse_duration(text(node));
  if (!value) {
    diags_.report(DiagKind::InvalidLiteral, range(node), "duration literal out of range");
    return 0;
  }
  return *value;
}

std::string AstBuilder::string_literal(antlr4::tree::TerminalNode* node) {
  SourceRange r = range(node);
  std::string_view raw = file_.text().substr(r.begin, r.end - r.begin);
  // An unterminated string was reported by the lexer scan; use what is there.
  size_t end = raw.size() >= 2 && raw.back() == '"' ? raw.size() - 1 : raw.size();
  std::string out;
  for (size_t i = 1; i < end; ++i) {
    char c = raw[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    size_t escape_begin = i;
    if (i + 1 >= end) break;
    char e = raw[++i];
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'u': {
        size_t close = raw.find('}', i);
        uint32_t cp = 0;
        bool ok =
            i + 1 < end && raw[i + 1] == '{' && close != std::string_view::npos && close > i + 2 && close - i - 2 <= 6;
        if (ok) {
          for (size_t k = i + 2; k < close; ++k) {
            char h = raw[k];
            int v = h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : -1;
            if (v < 0) ok = false;
            cp = cp * 16 + static_cast<uint32_t>(v < 0 ? 0 : v);
          }
        }
        if (!ok || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          size_t stop = close != std::string_view::npos && close < end ? close + 1 : i + 1;
          diags_
              .report(DiagKind::InvalidLiteral,
                      {&file_, r.begin + static_cast<uint32_t>(escape_begin), r.begin + static_cast<uint32_t>(stop)},
                      "invalid unicode escape")
              .help = "write a code point as \\u{1F600} (1 to 6 hex digits, at most 10FFFF)";
          i = stop - 1;
          break;
        }
        if (cp < 0x80)
          out += static_cast<char>(cp);
        else if (cp < 0x800) {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          out += static_cast<char>(0xF0 | (cp >> 18));
          out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        i = close;
        break;
      }
      default: {
        // Include the whole (possibly multi-byte) escaped character in the range.
        size_t stop = i + 1;
        while (stop < end && (static_cast<unsigned char>(raw[stop]) & 0xC0) == 0x80) ++stop;
        diags_
            .report(DiagKind::InvalidLiteral,
                    {&file_, r.begin + static_cast<uint32_t>(escape_begin), r.begin + static_cast<uint32_t>(stop)},
                    "unknown escape sequence")
            .help = "the escapes are \\\" \\\\ \\n \\t and \\u{...}";
        i = stop - 1;
      }
    }
  }
  return out;
}

ExprPtr AstBuilder::expr(FP::ExprContext* ctx) {
  // Left-deep chains (a + a + ... + a) nest in the parse tree without
  // nesting in the parser; bound the depth here so no later pass recurses
  // without limit.
  if (depth_ >= kMaxNestingDepth * 4) {
    if (!reported_depth_) {
      diags_
          .report(DiagKind::NestingTooDeep, range(ctx),
                  "expression nested too deeply (more than " + std::to_string(kMaxNestingDepth * 4) + " levels)")
          .help = "split the expression into named rules";
      reported_depth_ = true;
    }
    return error_expr(range(ctx));
  }
  ++depth_;
  ExprPtr result = expr_unguarded(ctx);
  --depth_;
  return result;
}

ExprPtr AstBuilder::expr_unguarded(FP::ExprContext* ctx) {
  SourceRange r = range(ctx);
  auto make = [&](ExprKind kind) { return std::make_unique<Expr>(kind, r); };
  auto child = [&](FP::ExprContext* c) { return c ? expr(c) : error_expr(r); };

  if (auto* p = dynamic_cast<FP::PrimaryExprContext*>(ctx)) return primary(p->primary(), r);
  if (auto* f = dynamic_cast<FP::FieldExprContext*>(ctx)) {
    auto e = make(ExprKind::Field);
    e->operands.push_back(child(f->expr()));
    e->text = text(f->IDENT());
    e->name_range = f->IDENT() ? range(f->IDENT()) : r;
    return e;
  }
  if (auto* f = dynamic_cast<FP::OptionalFieldExprContext*>(ctx)) {
    // `?.` is two tokens; written apart they would read as an optional type.
    if (f->QUESTION() && f->DOT() &&
        f->QUESTION()->getSymbol()->getStopIndex() + 1 != f->DOT()->getSymbol()->getStartIndex()) {
      diags_.report(DiagKind::SyntaxError, range(f->QUESTION()).to(range(f->DOT())), "unexpected space in '?.'").help =
          "write '?.' without a space";
    }
    auto e = make(ExprKind::OptionalField);
    e->operands.push_back(child(f->expr()));
    e->text = text(f->IDENT());
    e->name_range = f->IDENT() ? range(f->IDENT()) : r;
    return e;
  }
  if (auto* c = dynamic_cast<FP::CallExprContext*>(ctx)) {
    if (!c->expr()) return error_expr(r);
    auto e = make(ExprKind::Call);
    e->operands.push_back(expr(c->expr()));
    for (auto* arg : c->argument()) e->operands.push_back(argument(arg));
    return e;
  }
  if (auto* i = dynamic_cast<FP::IndexExprContext*>(ctx)) {
    auto e = make(ExprKind::Index);
    e->operands.push_back(child(i->expr(0)));
    e->operands.push_back(child(i->expr(1)));
    return e;
  }
  if (auto* n = dynamic_cast<FP::NegExprContext*>(ctx)) {
    // Fold `-<literal>` so INT64_MIN is writable and constants stay literals.
    auto operand = child(n->expr());
    if (operand->kind == ExprKind::Int && operand->int_value >= 0 && operand->text == "overflow-min") {
      operand->int_value = INT64_MIN;
      operand->text.clear();
      operand->range = r;
      return operand;
    }
    auto e = make(ExprKind::Unary);
    e->unary_op = UnaryOp::Neg;
    e->operands.push_back(std::move(operand));
    return e;
  }
  if (auto* n = dynamic_cast<FP::NotExprContext*>(ctx)) {
    auto e = make(ExprKind::Unary);
    e->unary_op = UnaryOp::Not;
    e->operands.push_back(child(n->expr()));
    return e;
  }
  auto binary = [&](BinaryOp op, FP::ExprContext* lhs, FP::ExprContext* rhs) {
    auto e = make(ExprKind::Binary);
    e->binary_op = op;
    e->operands.push_back(child(lhs));
    e->operands.push_back(child(rhs));
    return e;
  };
  if (auto* m = dynamic_cast<FP::MulExprContext*>(ctx); m && m->op) {
    BinaryOp op = m->op->getType() == FP::STAR    ? BinaryOp::Mul
                  : m->op->getType() == FP::SLASH ? BinaryOp::Div
                                                  : BinaryOp::Mod;
    return binary(op, m->expr(0), m->expr(1));
  }
  if (auto* a = dynamic_cast<FP::AddExprContext*>(ctx); a && a->op) {
    return binary(a->op->getType() == FP::PLUS ? BinaryOp::Add : BinaryOp::Sub, a->expr(0), a->expr(1));
  }
  if (auto* c = dynamic_cast<FP::CoalesceExprContext*>(ctx)) return binary(BinaryOp::Coalesce, c->expr(0), c->expr(1));
  if (auto* c = dynamic_cast<FP::CompareExprContext*>(ctx); c && c->op) {
    BinaryOp op = BinaryOp::Eq;
    switch (c->op->getType()) {
      case FP::EQ: op = BinaryOp::Eq; break;
      case FP::NE: op = BinaryOp::Ne; break;
      case FP::LT: op = BinaryOp::Lt; break;
      case FP::LE: op = BinaryOp::Le; break;
      case FP::GT: op = BinaryOp::Gt; break;
      default: op = BinaryOp::Ge; break;
    }
    return binary(op, c->expr(0), c->expr(1));
  }
  if (auto* i = dynamic_cast<FP::InExprContext*>(ctx)) {
    return binary(i->NOT() ? BinaryOp::NotIn : BinaryOp::In, i->expr(0), i->expr(1));
  }
  if (auto* a = dynamic_cast<FP::AndExprContext*>(ctx)) return binary(BinaryOp::And, a->expr(0), a->expr(1));
  if (auto* o = dynamic_cast<FP::OrExprContext*>(ctx)) return binary(BinaryOp::Or, o->expr(0), o->expr(1));
  if (auto* f = dynamic_cast<FP::IfExprContext*>(ctx)) {
    auto e = make(ExprKind::If);
    e->operands.push_back(child(f->expr(0)));
    e->operands.push_back(child(f->expr(1)));
    e->operands.push_back(child(f->expr(2)));
    return e;
  }
  return error_expr(r);
}

ExprPtr AstBuilder::argument(FP::ArgumentContext* ctx) {
  SourceRange r = range(ctx);
  if (auto* a = dynamic_cast<FP::ExprArgContext*>(ctx)) return a->expr() ? expr(a->expr()) : error_expr(r);
  auto* lambda = dynamic_cast<FP::LambdaArgContext*>(ctx);
  if (!lambda || !lambda->lambdaParams()) return error_expr(r);
  auto e = std::make_unique<Expr>(ExprKind::Lambda, r);
  for (auto* ident : lambda->lambdaParams()->IDENT()) e->params.push_back({text(ident), range(ident), nullptr});
  e->operands.push_back(lambda->expr() ? expr(lambda->expr()) : error_expr(r));
  return e;
}

ExprPtr AstBuilder::record_literal(FP::RecordLitContext* ctx, SourceRange r) {
  auto e = std::make_unique<Expr>(ExprKind::Record, r);
  e->type_name = qualified_name(ctx->qualifiedName());
  for (auto* init : ctx->recordInit()) {
    FieldInit out;
    out.range = range(init);
    if (auto* spread = dynamic_cast<FP::SpreadRecordInitContext*>(init)) {
      if (!spread->expr()) continue;
      out.is_spread = true;
      e->operands.push_back(expr(spread->expr()));
    } else if (auto* field = dynamic_cast<FP::FieldRecordInitContext*>(init)) {
      if (!field->IDENT() || !field->expr()) continue;
      out.name = text(field->IDENT());
      out.name_range = range(field->IDENT());
      e->operands.push_back(expr(field->expr()));
    } else {
      continue;
    }
    e->inits.push_back(std::move(out));
  }
  return e;
}

ExprPtr AstBuilder::decimal_literal(FP::DecimalLitContext* ctx, SourceRange r) {
  auto e = std::make_unique<Expr>(ExprKind::Decimal, r);
  std::string written = text(ctx->DECIMAL());
  for (char c : written) {
    if (c != '_' && c != 'd') e->text += c;
  }
  // At least 34 significant digits (language.md §4.1), as IEEE decimal128
  // holds: the coefficient's digits, leading zeros aside, trailing ones kept
  // (12.50 keeps its scale).
  size_t first = e->text.find_first_not_of("0.");
  size_t significant = 0;
  if (first != std::string::npos) {
    for (size_t i = first; i < e->text.size(); ++i) significant += e->text[i] != '.';
  }
  size_t fraction = e->text.size() - e->text.find('.') - 1;
  if (significant > 34) {
    diags_
        .report(DiagKind::InvalidLiteral, r,
                "decimal literal has " + std::to_string(significant) +
                    " significant digits, more than the 34 a decimal holds")
        .help = "round it to 34 significant digits";
  } else if (fraction > 6176) {
    diags_.report(DiagKind::InvalidLiteral, r, "decimal literal out of range").help =
        "a decimal holds at most 6176 digits after the point";
  }
  return e;
}

ExprPtr AstBuilder::primary(FP::PrimaryContext* ctx, SourceRange r) {
  if (!ctx) return error_expr(r);
  auto make = [&](ExprKind kind) { return std::make_unique<Expr>(kind, r); };
  if (auto* i = dynamic_cast<FP::IntLitContext*>(ctx)) {
    auto e = make(ExprKind::Int);
    std::string digits;
    for (char c : text(i->INT()))
      if (c != '_') digits += c;
    errno = 0;
    unsigned long long v = std::strtoull(digits.c_str(), nullptr, 10);
    if (errno == ERANGE || v > 9223372036854775808ULL) {
      diags_.report(DiagKind::InvalidLiteral, r, "integer literal out of range").help =
          "int is 64-bit signed: at most 9223372036854775807";
    } else if (v == 9223372036854775808ULL) {
      // Only valid under unary minus (folded there). Report it here when it
      // is not: a lexical error stops checking, so a later pass would never
      // get to say so.
      antlr4::tree::ParseTree* up = ctx->parent ? ctx->parent->parent : nullptr;
      while (dynamic_cast<FP::ParenExprContext*>(up) || dynamic_cast<FP::PrimaryExprContext*>(up)) up = up->parent;
      if (dynamic_cast<FP::NegExprContext*>(up)) {
        e->text = "overflow-min";
      } else {
        diags_.report(DiagKind::InvalidLiteral, r, "integer literal out of range").help =
            "int is 64-bit signed: at most 9223372036854775807";
      }
      e->int_value = 0;
    } else {
      e->int_value = static_cast<int64_t>(v);
    }
    return e;
  }
  if (auto* f = dynamic_cast<FP::FloatLitContext*>(ctx)) {
    auto e = make(ExprKind::Float);
    std::string digits;
    for (char c : text(f->FLOAT()))
      if (c != '_') digits += c;
    e->float_value = std::strtod(digits.c_str(), nullptr);
    if (std::isinf(e->float_value)) diags_.report(DiagKind::InvalidLiteral, r, "float literal out of range");
    return e;
  }
  if (auto* s = dynamic_cast<FP::StringLitContext*>(ctx)) {
    auto e = make(ExprKind::String);
    e->text = string_literal(s->STRING());
    return e;
  }
  if (auto* b = dynamic_cast<FP::BoolLitContext*>(ctx)) {
    auto e = make(ExprKind::Bool);
    e->int_value = b->TRUE() ? 1 : 0;
    return e;
  }
  if (dynamic_cast<FP::NoneLitContext*>(ctx)) return make(ExprKind::None);
  if (auto* d = dynamic_cast<FP::DurationLitContext*>(ctx)) {
    auto e = make(ExprKind::Duration);
    e->int_value = duration_literal(d->DURATION());
    return e;
  }
  if (auto* t = dynamic_cast<FP::TimestampLitContext*>(ctx)) {
    auto e = make(ExprKind::Timestamp);
    auto value = parse_timestamp(text(t->TIMESTAMP()).substr(1));
    if (!value)
      diags_.report(DiagKind::InvalidLiteral, r, "invalid timestamp").help =
          "timestamps are RFC 3339: @2026-01-31T12:00:00Z";
    e->int_value = value.value_or(0);
    return e;
  }
  if (auto* l = dynamic_cast<FP::ListLitContext*>(ctx)) {
    auto e = make(ExprKind::List);
    for (auto* item : l->expr()) e->operands.push_back(expr(item));
    return e;
  }
  if (auto* d = dynamic_cast<FP::DecimalLitContext*>(ctx)) return decimal_literal(d, r);
  if (auto* m = dynamic_cast<FP::MapLitContext*>(ctx)) {
    auto e = make(ExprKind::Map);
    for (auto* entry : m->mapEntry()) {
      auto parts = entry->expr();
      e->operands.push_back(parts.size() > 0 ? expr(parts[0]) : error_expr(range(entry)));
      e->operands.push_back(parts.size() > 1 ? expr(parts[1]) : error_expr(range(entry)));
    }
    return e;
  }
  if (auto* l = dynamic_cast<FP::RecordLitContext*>(ctx)) {
    if (!l->qualifiedName()) return error_expr(r);
    return record_literal(l, r);
  }
  if (auto* n = dynamic_cast<FP::NameRefContext*>(ctx)) {
    auto e = make(ExprKind::Name);
    e->text = text(n->IDENT());
    return e;
  }
  if (dynamic_cast<FP::ItRefContext*>(ctx)) return make(ExprKind::It);
  if (auto* p = dynamic_cast<FP::ParenExprContext*>(ctx)) {
    if (!p->expr()) return error_expr(r);
    auto inner = expr(p->expr());
    inner->parenthesized = true;
    return inner;
  }
  return error_expr(r);
}

}  // namespace flow::parse_detail
