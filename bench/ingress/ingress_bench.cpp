// Micro-benchmark of the runtime's JSON ingress and egress: ns per event to
// decode a realistic ~300-byte OrderPlaced CloudEvents line into its layout
// (with validation and defaults) and to encode it back; and the same for a
// nested order (~1.3 KB: 10 line items with decimal prices, 2 addresses, a
// map of labels) on each decoder tier.
//   build-release/runtime/ingress/bench/ingress_bench
// docs/performance.md records the figures.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "check/program.h"
#include "eval/interpreter.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"
#include "ingress/event_encoder.h"
#include "ingress/field_defaults.h"
#include "ir/lower.h"

namespace {

using namespace flow;

const char* kSource = R"(module shop.orders
enum Channel { Web, Store, Phone }
event OrderPlaced {
  key order_id: string
  customer: string
  country: string
  amount: float
  items: int
  channel: Channel
  coupon: string?
  tags: list<string> = []
  placed_at: timestamp
}
record Address { street: string, city: string, zip: string, country: string }
record LineItem { sku: string, qty: int, price: decimal, tags: list<string> }
event NestedOrder {
  key order_id: string
  customer: string
  ship_to: Address
  bill_to: Address?
  items: list<LineItem>
  labels: map<string, string>
  total: decimal
  placed_at: timestamp
}
)";

// Attributes first, fields in declaration order: what producers usually send.
const std::string kLine = R"({"specversion":"1.0","type":"OrderPlaced","id":"e-000123","source":"shop/web",)"
                          R"("time":"2026-01-31T12:00:00Z","data":{"order_id":"o-000123","customer":"c-4711",)"
                          R"("country":"NL","amount":1234.5,"items":3,"channel":"Web","coupon":null,)"
                          R"("tags":["vip","new"],"placed_at":"2026-01-31T11:59:58.123Z"}})";

// The same event with its fields in another order (the hash-lookup path).
const std::string kShuffled = R"({"type":"OrderPlaced","id":"e-000123","source":"shop/web","specversion":"1.0",)"
                              R"("time":"2026-01-31T12:00:00Z","data":{"placed_at":"2026-01-31T11:59:58.123Z",)"
                              R"("tags":["vip","new"],"channel":"Web","customer":"c-4711","items":3,"amount":1234.5,)"
                              R"("country":"NL","order_id":"o-000123","coupon":null}})";

// A nested order as a webshop sends it: 10 line items, 2 addresses,
// decimal amounts, labels.
std::string nested_line() {
  std::string items;
  for (int i = 0; i < 10; ++i) {
    if (i) items += ",";
    items += R"({"sku":"SKU-)" + std::to_string(1000 + i) + R"(","qty":)" + std::to_string(1 + i % 4) + R"(,"price":)" +
             std::to_string(3 + i) + ".9" + std::to_string(i) + R"(,"tags":["t)" + std::to_string(i) + R"("]})";
  }
  return R"({"specversion":"1.0","type":"NestedOrder","id":"e-000123","source":"shop/web",)"
         R"("time":"2026-01-31T12:00:00Z","data":{"order_id":"o-000123","customer":"c-4711",)"
         R"("ship_to":{"street":"Main Street 1","city":"Utrecht","zip":"3511 AB","country":"NL"},)"
         R"("bill_to":{"street":"Dock 2","city":"Gent","zip":"9000","country":"BE"},"items":[)" +
         items +
         R"(],"labels":{"channel":"web","priority":"high"},"total":123.45,)"
         R"("placed_at":"2026-01-31T11:59:58Z"}})";
}
const std::string kNested = nested_line();

struct Setup {
  DiagnosticEngine diags;
  std::unique_ptr<Program> program;
  ir::LowerResult lowered;
  std::unique_ptr<eval::Interpreter> interpreter;
  runtime::FieldDefaults defaults;
  std::unique_ptr<runtime::EventCatalog> catalog;

  Setup() {
    program = compile_sources({{"orders.flow", kSource}}, CompileOptions{}, diags);
    if (!program || !program->ok) fail("the benchmark program does not compile");
    lowered = ir::lower_program(*program);
    if (!lowered.ok()) fail("the benchmark program does not lower");
    interpreter = std::make_unique<eval::Interpreter>(*lowered.module);
    auto events = program->event_infos();
    std::string error;
    if (!runtime::evaluate_field_defaults(*lowered.module, *interpreter, events, defaults, error)) fail(error);
    catalog = std::make_unique<runtime::EventCatalog>(events, lowered.module->layouts, defaults);
  }
  [[noreturn]] static void fail(const std::string& why) {
    std::fprintf(stderr, "ingress_bench: %s\n", why.c_str());
    std::exit(1);
  }
};

const Setup& setup() {
  static Setup s;
  return s;
}

void decode_loop(benchmark::State& state, const std::string& line, bool fast_path = true, bool express = true) {
  runtime::CloudEventDecoder decoder(*setup().catalog, {false, fast_path, express});
  Arena arena;
  runtime::DecodedEvent event;
  size_t n = 0;
  for (auto _ : state) {
    if (!decoder.decode(line, arena, event)) Setup::fail(decoder.error());
    benchmark::DoNotOptimize(event.instance);
    if (++n % 16 == 0) arena.reset();  // the runtime frees per batch, too
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * line.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_Decode(benchmark::State& state) {
  decode_loop(state, kLine);
}
BENCHMARK(BM_Decode);

void BM_DecodeShuffledFields(benchmark::State& state) {
  decode_loop(state, kShuffled);
}
BENCHMARK(BM_DecodeShuffledFields);

// The reference path alone (On-Demand), which the decoder falls back to
// for lines the fast path does not accept.
void BM_DecodeReferencePath(benchmark::State& state) {
  decode_loop(state, kLine, false);
}
BENCHMARK(BM_DecodeReferencePath);

// The nested order on each tier: express (the full decoder), DOM (the
// express tier off: decimal numbers send it on to the reference path, see
// docs/json-events.md), and the reference path alone.
void BM_DecodeNested(benchmark::State& state) {
  decode_loop(state, kNested);
}
BENCHMARK(BM_DecodeNested);

void BM_DecodeNestedWithoutExpress(benchmark::State& state) {
  decode_loop(state, kNested, true, false);
}
BENCHMARK(BM_DecodeNestedWithoutExpress);

void BM_DecodeNestedReferencePath(benchmark::State& state) {
  decode_loop(state, kNested, false);
}
BENCHMARK(BM_DecodeNestedReferencePath);

// An exec service's emit: type known, the `data` text alone.
void BM_DecodeData(benchmark::State& state) {
  const std::string data = kLine.substr(kLine.find("\"data\":") + 7, kLine.size() - kLine.find("\"data\":") - 8);
  const runtime::EventType& type = *setup().catalog->find("OrderPlaced");
  runtime::CloudEventDecoder decoder(*setup().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  size_t n = 0;
  for (auto _ : state) {
    if (!decoder.decode_data(type, data, arena, event)) Setup::fail(decoder.error());
    benchmark::DoNotOptimize(event.instance);
    if (++n % 16 == 0) arena.reset();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_DecodeData);

// Lines read into one big buffer: no copy into the padded buffer.
void BM_DecodeInPlace(benchmark::State& state) {
  std::string buffer;
  for (int i = 0; i < 64; ++i) buffer += kLine + "\n";
  runtime::CloudEventDecoder decoder(*setup().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  size_t n = 0;
  for (auto _ : state) {
    const size_t at = (n % 63) * (kLine.size() + 1);
    std::string_view line(buffer.data() + at, kLine.size());
    if (!decoder.decode_in_place(line, buffer.size() - at - kLine.size(), arena, event)) Setup::fail(decoder.error());
    benchmark::DoNotOptimize(event.instance);
    if (++n % 16 == 0) arena.reset();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_DecodeInPlace);

// A rejected line (a field missing): the error path, with its full re-check.
void BM_DecodeRejected(benchmark::State& state) {
  std::string line = kLine;
  line.erase(line.find(R"("items":3,)"), 10);
  runtime::CloudEventDecoder decoder(*setup().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  for (auto _ : state) {
    benchmark::DoNotOptimize(decoder.decode(line, arena, event));
    arena.reset();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_DecodeRejected);

/// Encodes the `data` of `line`'s event again and again.
void encode_data_loop(benchmark::State& state, const std::string& line) {
  runtime::CloudEventDecoder decoder(*setup().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  if (!decoder.decode(line, arena, event)) Setup::fail(decoder.error());
  std::string out;
  for (auto _ : state) {
    out.clear();
    runtime::append_data_json(out, *event.type, event.instance);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_EncodeData(benchmark::State& state) {
  encode_data_loop(state, kLine);
}
BENCHMARK(BM_EncodeData);

void BM_EncodeNestedData(benchmark::State& state) {
  encode_data_loop(state, kNested);
}
BENCHMARK(BM_EncodeNestedData);

void BM_EncodeCloudEvent(benchmark::State& state) {
  runtime::CloudEventDecoder decoder(*setup().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  if (!decoder.decode(kLine, arena, event)) Setup::fail(decoder.error());
  std::string out;
  for (auto _ : state) {
    out.clear();
    runtime::append_cloudevent_json(out, *event.type, event.instance, {"e-000123", "shop/web", *event.time, {}});
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_EncodeCloudEvent);

}  // namespace

BENCHMARK_MAIN();
