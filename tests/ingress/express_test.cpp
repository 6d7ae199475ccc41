// The express tier of the decoder (runtime/ingress/express_decoder.h) at
// its edges: numbers, strings, UTF-8, whitespace, key order, missing and
// duplicate members, nulls, lists, unknown fields, trailing bytes,
// truncation and reads past the line. Every line goes through the three
// tiers (Tiers in ingress_fixture.h), which must agree; the cases also say
// which tier is to accept, so that the express tier is seen to take the
// common shapes and to leave the rest.
#include <catch2/catch.hpp>
#include <random>

#include "ingress_fixture.h"

using namespace flow;
using namespace flow::testing;
using Outcome = Tiers::Outcome;

namespace {

/// The benchmark's event (bench/runtime/orders_bench.flow), as bench/gen_orders writes it.
const IngressProgram& bench() {
  static std::unique_ptr<IngressProgram> program = compile_program({{"bench.flow", R"(module bench.orders
enum Channel { Web, Store, Phone, Partner }
event OrderPlaced {
  key order_id: string
  customer: string
  email: string
  country: string
  city: string
  amount: float
  items: int
  channel: Channel
  coupon: string?
  tags: list<string> = []
  placed_at: timestamp
}
flow Orders { start OrderPlaced end OrderPlaced }
)"}});
  return *program;
}

const std::string kBenchLine =
    R"({"specversion":"1.0","type":"OrderPlaced","id":"o-0","source":"bench","data":{"order_id":"0",)"
    R"("customer":"Customer 28206","email":"c28206@example.com","country":"GB","city":"Leeds","amount":1803.01,)"
    R"("items":9,"channel":"Store","tags":["t4"],"placed_at":"2026-11-25T02:48:00Z"}})";

}  // namespace

TEST_CASE("express: the benchmark's line is the express tier's", "[ingress][express]") {
  Tiers tiers(bench());
  CHECK(tiers.check(kBenchLine) == Outcome::Express);
}
