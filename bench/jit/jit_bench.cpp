// jit_bench: the LLVM back end's speed figures (docs/performance.md).
//
// Google Benchmark times each of the 25 predicates of order_program.h over
// 64 realistic orders on three back ends: the interpreter, the JIT (native
// entry point through a function pointer, as the dispatcher calls it) and
// hand-written C++ over the same layout (native_predicates.cpp, -O2); and
// the quantifier rules of nested_orders.h over 64 orders of 10 line items on
// the interpreter and the JIT. Then it times JIT-compiling 100 rules and
// loading them from the object cache.
// The benchmark tables go to stderr; stdout gets the figures as
// `name: value` lines (medians; ratios from this one run):
//   jit_vs_interpreter_speedup  median over predicates of interpreter / JIT time
//   jit_vs_interpreter_speedup_quantifiers  the same over the quantifier rules
//   jit_vs_native_ratio         median over predicates of JIT / hand-written C++ time
//   jit_compile_ms_100_rules    median CPU time of CompiledProgram::compile (no cache)
//   cache_load_ms_100_rules     median CPU time of compile_bitcode from a warm cache
// (CPU time of the calling thread, where ORC compiles: the wall time of an
// idle machine; the wall times are printed on stderr too.)
#include <benchmark/benchmark.h>

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "check/program.h"
#include "codegen/bitcode.h"
#include "codegen/jit.h"
#include "eval/interpreter.h"
#include "ir/lower.h"
#include "native_predicates.h"
#include "nested_orders.h"
#include "order_events.h"
#include "order_program.h"

using namespace flow;

namespace {

constexpr int kOrders = 64;
constexpr int kLoadRuns = 9;

[[noreturn]] void die(const std::string& message) {
  std::cerr << "jit_bench: " << message << "\n";
  std::exit(1);
}

/// A checked, lowered program.
struct Lowered {
  DiagnosticEngine diags;
  std::unique_ptr<Program> program;
  ir::LowerResult lowered;

  explicit Lowered(const std::string& source) {
    program = compile_sources({{"orders.flow", source}}, CompileOptions{}, diags);
    if (!program || !program->ok) {
      std::string text;
      for (const auto& d : diags.diagnostics()) text += d.message + "\n";
      die("the benchmark program does not compile:\n" + text);
    }
    lowered = ir::lower_program(*program);
    if (!lowered.ok()) die("the benchmark program does not lower");
  }
  const ir::Module& module() const { return *lowered.module; }
  const ir::DeclIndex& index() const { return lowered.index; }
  const ast::EventDecl* event(const std::string& name) const {
    return ast::dyn_cast<ast::EventDecl>(program->find(name));
  }
  const ast::EventDecl* order() const { return event("Order"); }
  const ir::Function& rule(const std::string& name, const std::string& event_name = "Order") const {
    const ir::Function* fn = index().rule(program->find(name), event(event_name));
    if (!fn) die("no rule " + name);
    return *fn;
  }
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// Keeps every run's CPU time per iteration (ns), by benchmark name, and
/// shows the usual table on stderr. CPU rather than wall time: on a shared
/// machine it is what stays stable, and for this single-threaded code it is
/// the wall time of an idle machine.
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  CollectingReporter() {
    SetOutputStream(&std::cerr);
    SetErrorStream(&std::cerr);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration && !run.error_occurred) {
        times[run.run_name.function_name].push_back(run.GetAdjustedCPUTime());
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  /// The median, or 0 when the benchmark did not run (--benchmark_filter).
  double median_of(const std::string& name) const {
    auto it = times.find(name);
    return it == times.end() ? 0 : median(it->second);
  }
  std::map<std::string, std::vector<double>> times;
};

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

/// CPU and wall milliseconds of f(). ORC compiles on the calling thread,
/// so its CPU time is the compile time without other processes' share.
template <typename F>
std::pair<double, double> milliseconds(F&& f) {
  double cpu = thread_cpu_ms();
  auto start = std::chrono::steady_clock::now();
  f();
  double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return {thread_cpu_ms() - cpu, wall};
}

/// Times `fn` on the interpreter over `events`.
void register_interpreter(const std::string& name, const eval::Interpreter& interpreter, const ir::Function& fn,
                          const std::vector<const uint8_t*>& events) {
  benchmark::RegisterBenchmark(name.c_str(), [&interpreter, &fn, &events](benchmark::State& state) {
    eval::EvalContext eval_context;
    for (auto _ : state) {
      for (const uint8_t* event : events) benchmark::DoNotOptimize(interpreter.run(fn, event, eval_context));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events.size()));
  });
}

/// Times function `fn` of `program` through its native entry point, as
/// the dispatcher calls a condition.
void register_jit(const std::string& name, const codegen::CompiledProgram& program, const ir::Function& fn,
                  const std::vector<const uint8_t*>& events) {
  codegen::NativeFn entry = program.entry(static_cast<int>(fn.id));
  benchmark::RegisterBenchmark(name.c_str(), [entry, &program, &events](benchmark::State& state) {
    Arena call_arena;
    FlowRtContext ctx = program.context(0, call_arena.get());
    for (auto _ : state) {
      for (const uint8_t* event : events) {
        uint8_t result = 0;
        benchmark::DoNotOptimize(entry(event, &ctx, &result));
        benchmark::DoNotOptimize(result);
      }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(events.size()));
  });
}

}  // namespace

int main(int argc, char** argv) {
  Lowered orders(bench::order_program());
  const layout::EventLayout& layout = orders.module().layouts.of(&orders.order()->info);
  if (std::string problems = bench::check_native_layout(layout); !problems.empty()) {
    die("native_predicates.cpp assumes another layout; update it to:\n" + layout::describe(layout) + problems);
  }
  Arena arena;
  std::vector<const uint8_t*> events = bench::make_orders(layout, arena, kOrders);
  eval::Interpreter interpreter(orders.module());
  codegen::JitOptions uncached;
  uncached.use_cache = false;
  auto jit = codegen::CompiledProgram::compile(orders.module(), uncached);
  const auto& natives = bench::native_predicates();
  if (natives.size() != bench::kPredicates.size()) die("native_predicates() and kPredicates differ in length");

  // The three must agree before their speed means anything.
  Arena scratch;
  FlowRtContext context = jit->context(0, scratch.get());
  for (size_t p = 0; p < bench::kPredicates.size(); ++p) {
    const ir::Function& fn = orders.rule(bench::kPredicates[p]);
    for (const uint8_t* event : events) {
      eval::EvalResult interpreted = interpreter.run(fn, event, {});
      bool jit_result = false, native_result = false;
      int32_t jit_status = jit->test(static_cast<int>(fn.id), event, context, jit_result);
      int32_t native_status = natives[p](event, &native_result);
      bool ok = interpreted.ok() && jit_status == FLOW_RT_OK && native_status == FLOW_RT_OK &&
                interpreted.value().as_bool() == jit_result && jit_result == native_result;
      if (!ok) die("back ends disagree on " + bench::kPredicates[p]);
    }
  }

  for (size_t p = 0; p < bench::kPredicates.size(); ++p) {
    const std::string& name = bench::kPredicates[p];
    const ir::Function& fn = orders.rule(name);
    bench::NativePredicate native = natives[p];
    register_interpreter("interpreter/" + name, interpreter, fn, events);
    register_jit("jit/" + name, *jit, fn, events);
    benchmark::RegisterBenchmark(("native/" + name).c_str(), [native, &events](benchmark::State& state) {
      for (auto _ : state) {
        for (const uint8_t* event : events) {
          bool result = false;
          benchmark::DoNotOptimize(native(event, &result));
          benchmark::DoNotOptimize(result);
        }
      }
      state.SetItemsProcessed(state.iterations() * kOrders);
    });
  }

  // The quantifier rules over nested orders: interpreter and JIT.
  Lowered nested(bench::nested_order_program());
  const layout::EventLayout& nested_layout = nested.module().layouts.of(&nested.event("NestedOrder")->info);
  std::vector<const uint8_t*> nested_events = bench::make_nested_orders(nested_layout, arena, kOrders);
  eval::Interpreter nested_interpreter(nested.module());
  auto nested_jit = codegen::CompiledProgram::compile(nested.module(), uncached);
  std::vector<int> fired(bench::kQuantifierRules.size());
  for (size_t q = 0; q < bench::kQuantifierRules.size(); ++q) {
    const ir::Function& fn = nested.rule(bench::kQuantifierRules[q], "NestedOrder");
    for (const uint8_t* event : nested_events) {
      eval::EvalResult interpreted = nested_interpreter.run(fn, event, {});
      eval::EvalResult jitted = nested_jit->run(fn, event, {});
      if (!interpreted.ok() || !jitted.ok() || interpreted.value() != jitted.value()) {
        die("back ends disagree on " + bench::kQuantifierRules[q]);
      }
      fired[q] += interpreted.value().as_bool() ? 1 : 0;
    }
  }
  for (const std::string& name : bench::kQuantifierRules) {
    const ir::Function& fn = nested.rule(name, "NestedOrder");
    register_interpreter("interpreter/nested/" + name, nested_interpreter, fn, nested_events);
    register_jit("jit/nested/" + name, *nested_jit, fn, nested_events);
  }

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  std::vector<double> speedups, ratios;
  for (const std::string& name : bench::kPredicates) {
    double interpreted = reporter.median_of("interpreter/" + name);
    double jitted = reporter.median_of("jit/" + name);
    double native = reporter.median_of("native/" + name);
    if (interpreted > 0 && jitted > 0) speedups.push_back(interpreted / jitted);
    if (jitted > 0 && native > 0) ratios.push_back(jitted / native);
  }

  std::vector<double> quantifier_speedups;
  for (const std::string& name : bench::kQuantifierRules) {
    double interpreted = reporter.median_of("interpreter/nested/" + name);
    double jitted = reporter.median_of("jit/nested/" + name);
    if (interpreted > 0 && jitted > 0) quantifier_speedups.push_back(interpreted / jitted);
  }

  // 100 rules: JIT-compiled from the IR without a cache, then loaded from
  // bitcode through a warm cache (the runtime's path for an artifact).
  Lowered hundred(bench::hundred_rules_program(100));
  std::vector<double> compile_ms, load_ms, compile_wall_ms, load_wall_ms;
  for (int i = 0; i < kLoadRuns; ++i) {
    auto [cpu, wall] = milliseconds([&] { codegen::CompiledProgram::compile(hundred.module(), uncached); });
    compile_ms.push_back(cpu);
    compile_wall_ms.push_back(wall);
  }
  std::filesystem::path cache_dir =
      std::filesystem::temp_directory_path() / ("flow-jit-bench-" + std::to_string(::getpid()));
  std::string bitcode = codegen::write_bitcode(hundred.module());
  codegen::JitOptions cached;
  cached.cache_dir = cache_dir.string();
  cached.cache_key = "jit-bench-100-rules";
  codegen::compile_bitcode(bitcode, hundred.module(), cached);  // fills the cache
  for (int i = 0; i < kLoadRuns; ++i) {
    std::unique_ptr<codegen::CompiledProgram> loaded;
    auto [cpu, wall] = milliseconds([&] { loaded = codegen::compile_bitcode(bitcode, hundred.module(), cached); });
    load_ms.push_back(cpu);
    load_wall_ms.push_back(wall);
    if (!loaded->stats().cache_hit || loaded->stats().optimizer_runs != 0) die("the cache was not used");
  }
  std::error_code ignored;
  std::filesystem::remove_all(cache_dir, ignored);

  std::ostringstream out;
  out.precision(3);
  out << std::fixed;
  if (!speedups.empty()) out << "jit_vs_interpreter_speedup: " << median(speedups) << "\n";
  if (!quantifier_speedups.empty()) {
    out << "jit_vs_interpreter_speedup_quantifiers: " << median(quantifier_speedups) << "\n";
  }
  if (!ratios.empty()) out << "jit_vs_native_ratio: " << median(ratios) << "\n";
  out << "jit_compile_ms_100_rules: " << median(compile_ms) << "\n";
  out << "cache_load_ms_100_rules: " << median(load_ms) << "\n";
  std::cout << out.str();
  std::cerr << "wall time (ms): compile " << median(compile_wall_ms) << ", cache load " << median(load_wall_ms)
            << "\nper predicate: interpreter/JIT, JIT/native\n";
  for (const std::string& name : bench::kPredicates) {
    double interpreted = reporter.median_of("interpreter/" + name);
    double jitted = reporter.median_of("jit/" + name);
    double native = reporter.median_of("native/" + name);
    if (jitted > 0) std::cerr << "  " << name << ": " << interpreted / jitted << ", " << jitted / native << "\n";
  }
  std::cerr << "per quantifier rule: interpreter/JIT (orders it fires on, of " << kOrders << ")\n";
  for (size_t q = 0; q < bench::kQuantifierRules.size(); ++q) {
    const std::string& name = bench::kQuantifierRules[q];
    double jitted = reporter.median_of("jit/nested/" + name);
    if (jitted > 0) {
      std::cerr << "  " << name << ": " << reporter.median_of("interpreter/nested/" + name) / jitted << " (" << fired[q]
                << ")\n";
    }
  }
  return 0;
}
