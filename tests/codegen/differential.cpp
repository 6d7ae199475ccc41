// The batch runner, reporting and shrinking of the differential test.
#include "differential.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <sstream>

#include "backend_compare.h"
#include "check/program.h"
#include "codegen/jit.h"
#include "codegen/llvm_codegen.h"
#include "eval/interpreter.h"
#include "eval/value_io.h"
#include "ir/lower.h"
#include "layout/event_builder.h"
#include "random_program.h"

namespace flow::difftest {

using testing::describe;
using testing::same_result;
using testing::same_value;

namespace {

/// One compiled program with both back ends.
struct Built {
  DiagnosticEngine diags;
  std::unique_ptr<Program> program;
  ir::LowerResult lowered;
  std::unique_ptr<eval::Interpreter> interpreter;
  std::unique_ptr<codegen::CompiledProgram> jit;
  Arena arena;
  std::string problem;  // why it could not be built

  const ast::EventDecl* event() const { return ast::dyn_cast<ast::EventDecl>(program->find("E")); }
  const ir::Function* function(const std::string& rule) const {
    const ast::Decl* decl = program->find(rule);
    return decl ? lowered.index.rule(decl, event()) : nullptr;
  }
};

std::unique_ptr<Built> build(const std::string& source, int opt_level) {
  auto b = std::make_unique<Built>();
  b->program = compile_sources({{"d.flow", source}}, CompileOptions{}, b->diags);
  if (!b->program || !b->program->ok) {
    for (const auto& d : b->diags.diagnostics()) {
      if (d.severity != Severity::Error) continue;
      b->problem += d.message;
      if (d.range.valid()) {
        auto lc = d.range.file->line_column(d.range.begin);
        b->problem += " (" + std::to_string(lc.line) + ":" + std::to_string(lc.column) + ")";
      }
      b->problem += "\n";
    }
    if (b->problem.empty()) b->problem = "the program did not compile\n";
    return b;
  }
  b->lowered = ir::lower_program(*b->program);
  if (!b->lowered.ok()) {
    for (const auto& e : b->lowered.errors) b->problem += "lowering: " + e.message + "\n";
    return b;
  }
  b->interpreter = std::make_unique<eval::Interpreter>(*b->lowered.module);
  codegen::JitOptions options;
  options.use_cache = false;
  options.opt_level = opt_level;
  try {
    b->jit = codegen::CompiledProgram::compile(*b->lowered.module, options);
  } catch (const codegen::CodegenError& e) {
    b->problem = std::string("JIT: ") + e.what() + "\n";
  }
  return b;
}

const uint8_t* make_event(Built& b, const std::vector<eval::Value>& values) {
  layout::EventBuilder builder(b.lowered.module->layouts.of(&b.event()->info), b.arena);
  const auto& fields = event_fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    eval::write_field(builder, builder.field(fields[i].first), values[i]);
  }
  return builder.instance();
}

std::string describe_event(const Built& b, const std::vector<eval::Value>& values, int64_t now) {
  std::string out = "event E {\n";
  const auto& fields = event_fields();
  const ast::EventDecl* event = b.event();
  for (size_t i = 0; i < fields.size(); ++i) {
    const Type* type = event->fields[static_cast<size_t>(event->field_index(fields[i].first))].type;
    std::string text = eval::format_value(values[i], type);
    out += "  " + fields[i].first + ": " + text + "\n";
  }
  return out + "}\nnow() = " + std::to_string(now) + " µs\n";
}

/// Both back ends on one function and event, with traces of the rule calls.
struct Outcome {
  eval::EvalResult interpreted;
  eval::EvalResult jitted;
  std::vector<eval::TraceEntry> interpreted_trace;
  std::vector<eval::TraceEntry> jitted_trace;

  bool same_traces() const {
    if (interpreted_trace.size() != jitted_trace.size()) return false;
    for (size_t i = 0; i < jitted_trace.size(); ++i) {
      const auto& x = interpreted_trace[i];
      const auto& y = jitted_trace[i];
      if (x.function != y.function || x.ok != y.ok || !same_value(x.value, y.value)) return false;
    }
    return true;
  }
  bool agree() const { return same_result(interpreted, jitted) && same_traces(); }
  std::string describe_traces() const {
    if (same_traces()) return {};
    auto text = [](const std::vector<eval::TraceEntry>& trace) {
      std::string out;
      for (const auto& e : trace)
        out += "    " + e.function->name + " " + (e.ok ? e.value.to_string() : "error") + "\n";
      return out;
    };
    return "traces differ:\n  interpreter:\n" + text(interpreted_trace) + "  JIT:\n" + text(jitted_trace);
  }
};

/// Every other case runs with a trace (the runtime's decision records), so
/// both the traced and the fast native path are compared.
Outcome evaluate(const Built& b, const ir::Function& fn, const uint8_t* event, int64_t now, bool traced) {
  Outcome o;
  eval::EvalContext context;
  context.now_us = now;
  if (traced) context.trace = &o.interpreted_trace;
  o.interpreted = b.interpreter->run(fn, event, context);
  if (traced) context.trace = &o.jitted_trace;
  o.jitted = b.jit->run(fn, event, context);
  return o;
}

/// The source of `rule` and of every rule it calls, transitively (callees first).
std::string with_dependencies(const std::vector<Rule>& rules, const Rule& rule) {
  std::map<std::string, const Rule*> by_name;
  for (const auto& r : rules) by_name[r.name] = &r;
  std::set<std::string> seen;
  std::string out;
  std::function<void(const Rule&)> add = [&](const Rule& r) {
    for (const std::string& callee : called_rules(r.source())) {
      if (seen.insert(callee).second && by_name.count(callee)) add(*by_name[callee]);
    }
    out += r.source();
  };
  add(rule);
  return out;
}

/// Every expression tree one step smaller than `e`: a subtree replaced by one
/// of its same-typed operands or by a plain field of its type.
void smaller(const Expr& e, std::vector<Expr>& out) {
  for (const Expr& arg : e.args) {
    if (arg.type == e.type) out.push_back(arg);
  }
  Expr leaf = Generator::leaf_of(e.type);
  if (!e.args.empty() || e.pattern != leaf.pattern) {
    if (e.size() > 1) out.push_back(leaf);
  }
  for (size_t i = 0; i < e.args.size(); ++i) {
    std::vector<Expr> inner;
    smaller(e.args[i], inner);
    for (Expr& replacement : inner) {
      Expr copy = e;
      copy.args[i] = std::move(replacement);
      out.push_back(std::move(copy));
    }
  }
}

std::vector<Rule> smaller(const Rule& rule) {
  std::vector<Rule> out;
  for (size_t i = 0; i < rule.arms.size(); ++i) {
    Rule copy = rule;
    copy.arms.erase(copy.arms.begin() + static_cast<std::ptrdiff_t>(i));
    out.push_back(std::move(copy));
  }
  auto vary = [&](const Expr& e, const std::function<void(Rule&, Expr)>& set) {
    std::vector<Expr> options;
    smaller(e, options);
    for (Expr& option : options) {
      Rule copy = rule;
      set(copy, std::move(option));
      out.push_back(std::move(copy));
    }
  };
  vary(rule.body, [](Rule& r, Expr e) { r.body = std::move(e); });
  for (size_t i = 0; i < rule.arms.size(); ++i) {
    vary(rule.arms[i].first, [i](Rule& r, Expr e) { r.arms[i].first = std::move(e); });
    vary(rule.arms[i].second, [i](Rule& r, Expr e) { r.arms[i].second = std::move(e); });
  }
  return out;
}

size_t size_of(const Rule& rule) {
  size_t n = rule.body.size();
  for (const auto& [when, value] : rule.arms) n += when.size() + value.size();
  return n;
}

/// Greedily shrinks a disagreeing rule while it still disagrees on `values`.
Rule shrink(const std::vector<Rule>& rules, Rule rule, const std::vector<eval::Value>& values, int64_t now,
            int opt_level) {
  for (int steps = 0; steps < 200; ++steps) {
    bool progress = false;
    for (Rule& candidate : smaller(rule)) {
      if (size_of(candidate) >= size_of(rule)) continue;
      auto b = build(prelude() + with_dependencies(rules, candidate), opt_level);
      if (!b->problem.empty()) continue;
      const ir::Function* fn = b->function(candidate.name);
      if (!fn) continue;
      if (evaluate(*b, *fn, make_event(*b, values), now, true).agree()) continue;
      rule = std::move(candidate);
      progress = true;
      break;
    }
    if (!progress) break;
  }
  return rule;
}

uint64_t mix(uint64_t seed, uint64_t n) {
  // splitmix64: independent-looking batch seeds from one master seed.
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (n + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

DiffReport run_differential(const DiffOptions& options) {
  auto start = std::chrono::steady_clock::now();
  DiffReport report;
  for (uint64_t batch = 0; report.cases < options.cases || (options.batch_seed && report.batches == 0); ++batch) {
    uint64_t batch_seed = options.batch_seed ? options.batch_seed : mix(options.seed, batch);
    Generator gen(batch_seed);
    std::vector<Rule> rules = gen.rules(options.rules_per_batch);
    std::string source = prelude();
    for (const Rule& r : rules) source += r.source();
    auto b = build(source, options.opt_level);
    ++report.batches;
    std::ostringstream head;
    head << "seed " << options.seed << ", batch " << batch << ", batch seed " << batch_seed
         << " (rerun: differential_nightly --batch-seed " << batch_seed << " --rules " << options.rules_per_batch
         << " --events " << options.events_per_batch << " --opt " << options.opt_level << ")\n";
    if (!b->problem.empty()) {
      ++report.failures;
      if (report.first_failure.empty()) {
        report.first_failure = "the generator made a program the back ends could not take (" + head.str() + "):\n" +
                               b->problem + "\n" + source;
      }
      break;
    }
    std::vector<std::vector<eval::Value>> events;
    std::vector<const uint8_t*> instances;
    std::vector<int64_t> nows;
    for (int e = 0; e < options.events_per_batch; ++e) {
      events.push_back(gen.event());
      instances.push_back(make_event(*b, events.back()));
      nows.push_back(gen.now());
    }
    for (const Rule& rule : rules) {
      const ir::Function* fn = b->function(rule.name);
      if (!fn) continue;
      for (size_t e = 0; e < events.size(); ++e) {
        Outcome outcome = evaluate(*b, *fn, instances[e], nows[e], e % 2 == 1);
        ++report.cases;
        if (outcome.agree()) {
          if (!outcome.interpreted.ok()) ++report.agreeing_errors;
          continue;
        }
        ++report.failures;
        if (!report.first_failure.empty()) continue;
        std::ostringstream out;
        out << "JIT and interpreter disagree (" << head.str() << ")\n"
            << "rule (with the rules it calls):\n"
            << with_dependencies(rules, rule) << describe_event(*b, events[e], nows[e])
            << "interpreter: " << describe(outcome.interpreted) << "\n"
            << "JIT:         " << describe(outcome.jitted) << "\n"
            << outcome.describe_traces();
        if (options.shrink) {
          Rule small = shrink(rules, rule, events[e], nows[e], options.opt_level);
          auto sb = build(prelude() + with_dependencies(rules, small), options.opt_level);
          if (sb->problem.empty() && sb->function(small.name)) {
            Outcome again = evaluate(*sb, *sb->function(small.name), make_event(*sb, events[e]), nows[e], true);
            out << "shrunk to:\n"
                << with_dependencies(rules, small) << "interpreter: " << describe(again.interpreted) << "\n"
                << "JIT:         " << describe(again.jitted) << "\n"
                << again.describe_traces();
          }
        }
        out << "(prelude:\n" << prelude() << ")\n";
        report.first_failure = out.str();
      }
    }
    if (options.progress) {
      *options.progress << "batch " << batch << ": " << report.cases << " cases, " << report.failures
                        << " disagreements\n";
    }
    if (report.failures > 0 || options.batch_seed) break;
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace flow::difftest
