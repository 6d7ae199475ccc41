// Implementation of the eval test helpers.
#include "eval_fixture.h"

#include <catch2/catch.hpp>

#include "base/time_format.h"
#include "diag/diagnostic_printer.h"

namespace flow::testing {

namespace {

const char* kExprPrelude = R"(module t
enum Color { Red, Green, Blue }
event E {
  i: int, j: int, f: float, g: float, s: string, t: string, b: bool,
  ts: timestamp, d: duration, c: Color,
  oi: int?, os: string?, of: float?,
  li: list<int>, ls: list<string>, lf: list<float>, loi: list<int?>
}
)";

void fill_defaults(layout::EventBuilder& e, const ast::EventDecl& decl) {
  auto list_type = [&](const char* name) { return decl.fields[static_cast<size_t>(e.field(name))].type; };
  e.set_int(e.field("i"), 7).set_int(e.field("j"), 2);
  e.set_float(e.field("f"), 2.5).set_float(e.field("g"), 0.5);
  e.set_string(e.field("s"), "hello").set_string(e.field("t"), "");
  e.set_bool(e.field("b"), true);
  e.set_timestamp(e.field("ts"), *parse_timestamp("2026-01-31T12:34:56Z"));
  e.set_duration(e.field("d"), 90'000'000);
  e.set_enum(e.field("c"), 1);
  e.set_none(e.field("oi")).set_string(e.field("os"), "x").set_none(e.field("of"));
  e.set_list(e.field("li"),
             layout::ListBuilder(list_type("li"), 3, e.arena()).set_int(0, 1).set_int(1, 2).set_int(2, 3).finish());
  e.set_list(e.field("ls"),
             layout::ListBuilder(list_type("ls"), 2, e.arena()).set_string(0, "a").set_string(1, "b").finish());
  e.set_list(e.field("lf"), layout::ListBuilder(list_type("lf"), 1, e.arena()).set_float(0, 1.5).finish());
  e.set_list(e.field("loi"), layout::ListBuilder(list_type("loi"), 2, e.arena()).set_int(0, 1).finish());
}

std::string diagnostics_text(const Compiled& c) {
  std::string out;
  for (const auto& d : c.diags.diagnostics()) {
    out += d.message;
    if (d.range.valid()) {
      auto lc = d.range.file->line_column(d.range.begin);
      out += " (" + std::to_string(lc.line) + ":" + std::to_string(lc.column) + ")";
    }
    out += "\n";
  }
  for (const auto& e : c.lowered.errors) out += "lowering: " + e.message + "\n";
  return out;
}

}  // namespace

eval::Value Ts(const std::string& rfc3339) {
  return eval::Value::timestamp(*parse_timestamp(rfc3339));
}

const ast::Decl* Compiled::decl(const std::string& name) const {
  const ast::Decl* d = program->find(name);
  if (!d) throw std::runtime_error("no declaration " + name);
  return d;
}

const ast::EventDecl* Compiled::event(const std::string& name) const {
  auto* e = ast::dyn_cast<ast::EventDecl>(decl(name));
  if (!e) throw std::runtime_error(name + " is not an event");
  return e;
}

const layout::EventLayout& Compiled::layout(const std::string& event_name) const {
  return module().layouts.of(&event(event_name)->info);
}

layout::EventBuilder Compiled::builder(const std::string& event_name) {
  return layout::EventBuilder(layout(event_name), arena);
}

const ir::Function& Compiled::rule(const std::string& name, const std::string& event_name) const {
  const ast::Decl* d = decl(name);
  const ast::EventDecl* e = nullptr;
  if (!event_name.empty()) {
    e = event(event_name);
  } else if (auto* r = ast::dyn_cast<ast::RuleDecl>(d)) {
    e = r->param.event_decl;
  } else if (auto* dd = ast::dyn_cast<ast::DecisionDecl>(d)) {
    e = dd->param.event_decl;
  }
  const ir::Function* fn = index().rule(d, e);
  if (!fn) throw std::runtime_error("no specialisation of " + name);
  return *fn;
}

eval::EvalResult Compiled::run(const ir::Function& fn, const uint8_t* event, int64_t now_us) const {
  eval::EvalContext context;
  context.now_us = now_us;
  return interpreter->run(fn, event, context);
}

std::unique_ptr<Compiled> compile(const std::string& source, const ir::LowerOptions& options) {
  auto c = std::make_unique<Compiled>();
  c->program = compile_sources({{"t.flow", source}}, CompileOptions{}, c->diags);
  REQUIRE(c->program);
  INFO(diagnostics_text(*c));
  REQUIRE(c->program->ok);
  c->lowered = ir::lower_program(*c->program, options);
  INFO(diagnostics_text(*c));
  REQUIRE(c->lowered.ok());
  c->interpreter = std::make_unique<eval::Interpreter>(*c->lowered.module);
  return c;
}

std::unique_ptr<Compiled> compile_expr(const std::string& expr, const std::string& type, const std::string& extra) {
  std::string source =
      std::string(kExprPrelude) + extra + "\ndecision D(e: E) -> " + type + " { else => " + expr + " }\n";
  INFO("source: " << source);
  return compile(source);
}

const uint8_t* test_event(Compiled& compiled, const Setup& setup) {
  auto e = compiled.builder("E");
  fill_defaults(e, *compiled.event("E"));
  if (setup) setup(e);
  return e.instance();  // lives in compiled.arena
}

eval::EvalResult eval_expr(const std::string& expr, const std::string& type, const Setup& setup, int64_t now_us,
                           const std::string& extra) {
  auto c = compile_expr(expr, type, extra);
  return c->run(c->rule("D"), test_event(*c, setup), now_us);
}

eval::Value value_of(const std::string& expr, const std::string& type, const Setup& setup, int64_t now_us) {
  eval::EvalResult r = eval_expr(expr, type, setup, now_us);
  INFO(expr << " failed: " << (r.ok() ? "" : r.error().message));
  REQUIRE(r.ok());
  return r.value();
}

eval::EvalErrorKind error_of(const std::string& expr, const std::string& type, const Setup& setup) {
  eval::EvalResult r = eval_expr(expr, type, setup);
  INFO(expr << " = " << (r.ok() ? r.value().to_string() : ""));
  REQUIRE_FALSE(r.ok());
  return r.error().kind;
}

}  // namespace flow::testing
