// Test helpers for the eval tests: compile Flow source, lower it, build
// event instances and evaluate functions with the reference interpreter.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "check/program.h"
#include "eval/interpreter.h"
#include "eval/value_io.h"
#include "ir/lower.h"
#include "layout/event_builder.h"

namespace flow::testing {

/// A compiled and lowered program with an interpreter and an arena.
struct Compiled {
  DiagnosticEngine diags;
  std::unique_ptr<Program> program;
  ir::LowerResult lowered;
  std::unique_ptr<eval::Interpreter> interpreter;
  Arena arena;

  const ir::Module& module() const { return *lowered.module; }
  const ir::DeclIndex& index() const { return lowered.index; }
  const ast::Decl* decl(const std::string& name) const;
  const ast::EventDecl* event(const std::string& name) const;
  const layout::EventLayout& layout(const std::string& event_name) const;
  layout::EventBuilder builder(const std::string& event_name);
  /// The rule/decision `name` specialised for `event_name` (default: its parameter type).
  const ir::Function& rule(const std::string& name, const std::string& event_name = "") const;
  eval::EvalResult run(const ir::Function& fn, const uint8_t* event, int64_t now_us = 0) const;
};

/// Compiles and lowers `source` (module text); fails the test on any error.
std::unique_ptr<Compiled> compile(const std::string& source, const ir::LowerOptions& options = {});

/// The test event `E` of kExprPrelude, filled with the default values below,
/// then changed by `setup`.
using Setup = std::function<void(layout::EventBuilder&)>;

/// Evaluates `expr` as the value of `decision D(e: E) -> type`, where E has
/// fields i=7 j=2 f=2.5 g=0.5 s="hello" t="" b=true ts=@2026-01-31T12:34:56Z
/// d=90s c=Color.Green oi=none os="x" of=none li=[1,2,3] ls=["a","b"]
/// lf=[1.5] loi=[1,none] (see eval_fixture.cpp). `extra` is added to the module.
eval::EvalResult eval_expr(const std::string& expr, const std::string& type, const Setup& setup = {},
                           int64_t now_us = 0, const std::string& extra = "");
/// The compiled program eval_expr uses, and its test event (defaults + setup),
/// for tests that need the program to outlive the evaluation (source ranges).
std::unique_ptr<Compiled> compile_expr(const std::string& expr, const std::string& type, const std::string& extra = "");
const uint8_t* test_event(Compiled& compiled, const Setup& setup = {});
/// The value of a successful eval_expr (fails the test on an error).
eval::Value value_of(const std::string& expr, const std::string& type, const Setup& setup = {}, int64_t now_us = 0);
/// The error kind of a failing eval_expr (fails the test when it succeeds).
eval::EvalErrorKind error_of(const std::string& expr, const std::string& type, const Setup& setup = {});

/// Shorthands for expected values.
inline eval::Value I(int64_t v) {
  return eval::Value::integer(v);
}
inline eval::Value F(double v) {
  return eval::Value::floating(v);
}
inline eval::Value S(const std::string& v) {
  return eval::Value::string(v);
}
inline eval::Value B(bool v) {
  return eval::Value::boolean(v);
}
inline eval::Value None() {
  return eval::Value::none();
}
eval::Value Ts(const std::string& rfc3339);
inline eval::Value D(int64_t micros) {
  return eval::Value::duration(micros);
}
inline eval::Value L(std::vector<eval::Value> items) {
  return eval::Value::list(std::move(items));
}

}  // namespace flow::testing
