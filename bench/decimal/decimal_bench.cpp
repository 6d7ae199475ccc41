// decimal_bench: nanoseconds per call of flow_rt's decimal helpers on
// money-sized operands (12.50, 3, 0.19) and on full 34-digit ones, the
// figures of docs/performance.md's decimal section. Google Benchmark; run
// through bench/run decimal, which prints each median as `name_ns: value`.
#include <benchmark/benchmark.h>

#include <cstring>

#include "rt_abi/flow_rt_decimal.h"

namespace {

FlowDecimal dec(const char* text) {
  FlowDecimal x{};
  flow_rt_decimal_parse(text, std::strlen(text), &x);
  return x;
}

const char* const kPrice = "12.50";
const char* const kLong = "1234567890123456789012345678.901234";

void parse(benchmark::State& state, const char* text) {
  FlowDecimal x{};
  size_t size = std::strlen(text);
  for (auto _ : state) {
    benchmark::DoNotOptimize(flow_rt_decimal_parse(text, size, &x));
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK_CAPTURE(parse, parse_price, kPrice);
BENCHMARK_CAPTURE(parse, parse_34_digits, kLong);

void format(benchmark::State& state, const char* text) {
  FlowDecimal x = dec(text);
  char buffer[FLOW_DECIMAL_TEXT_CAPACITY];
  for (auto _ : state) {
    benchmark::DoNotOptimize(x);
    benchmark::DoNotOptimize(flow_rt_decimal_format(&x, buffer));
  }
}
BENCHMARK_CAPTURE(format, format_price, kPrice);
BENCHMARK_CAPTURE(format, format_34_digits, kLong);

using Binary = int32_t (*)(const FlowDecimal*, const FlowDecimal*, FlowDecimal*);

void binary(benchmark::State& state, Binary op, const char* a_text, const char* b_text) {
  FlowDecimal a = dec(a_text), b = dec(b_text), r{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(op(&a, &b, &r));
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_CAPTURE(binary, add_price, flow_rt_decimal_add, kPrice, "0.19");
BENCHMARK_CAPTURE(binary, add_34_digits, flow_rt_decimal_add, kLong, "0.5");
BENCHMARK_CAPTURE(binary, mul_price, flow_rt_decimal_mul, kPrice, "3");
BENCHMARK_CAPTURE(binary, mul_34_digits, flow_rt_decimal_mul, kLong, kLong);
BENCHMARK_CAPTURE(binary, div_price, flow_rt_decimal_div, kPrice, "4");
BENCHMARK_CAPTURE(binary, div_third, flow_rt_decimal_div, "1", "3");

void round_2(benchmark::State& state) {
  FlowDecimal a = dec("1.23456"), r{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(flow_rt_decimal_round(&a, 2, &r));
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(round_2);

void compare(benchmark::State& state, const char* a_text, const char* b_text) {
  FlowDecimal a = dec(a_text), b = dec(b_text);
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(flow_rt_decimal_compare(&a, &b));
  }
}
// The same exponent takes flow_rt's fast path; others call the library.
BENCHMARK_CAPTURE(compare, compare_same_exponent, kPrice, "12.75");
BENCHMARK_CAPTURE(compare, compare_other_exponent, kPrice, "12.5");

void hash(benchmark::State& state) {
  FlowDecimal a = dec(kPrice);
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(flow_rt_decimal_hash(&a));
  }
}
BENCHMARK(hash);

void from_float(benchmark::State& state) {
  double v = 12.5;
  FlowDecimal r{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(v);
    benchmark::DoNotOptimize(flow_rt_decimal_from_float(v, &r));
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(from_float);

void to_float(benchmark::State& state) {
  FlowDecimal a = dec(kPrice);
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(flow_rt_decimal_to_float(&a));
  }
}
BENCHMARK(to_float);

}  // namespace

BENCHMARK_MAIN();
