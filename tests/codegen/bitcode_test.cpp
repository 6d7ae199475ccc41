// Bitcode, the artifact's form of native code: written once, loaded against
// the IR it was written from, refused against any other or when malformed.
#include <catch2/catch.hpp>

#include "backend_compare.h"
#include "codegen/bitcode.h"
#include "codegen/llvm_codegen.h"
#include "dual_fixture.h"
#include "shop_program.h"

using namespace flow;
using namespace flow::testing;

TEST_CASE("a program loaded from bitcode agrees with the interpreter") {
  auto c = compile(kShopProgram);
  std::string bitcode = codegen::write_bitcode(c->module());
  REQUIRE(bitcode.size() > 4);
  CHECK(bitcode.substr(0, 2) == "BC");
  auto program = codegen::compile_bitcode(bitcode, c->module(), test_jit_options());
  for (auto [amount, country] : {std::pair{50.0, "NL"}, std::pair{5000.0, "US"}, std::pair{20000.0, "BE"}}) {
    auto b = c->builder("OrderPlaced");
    fill_order(b, amount, country);
    for (const char* rule :
         {"HighValue", "Domestic", "NeedsReview", "PerItemOver", "Broken", "Risk", "Discount", "Labels"}) {
      INFO(rule << " on " << amount << " " << country);
      auto interpreted = c->interpreter->run(c->rule(rule), b.instance(), {});
      auto jitted = program->run(c->rule(rule), b.instance(), {});
      INFO(describe(interpreted) << " vs " << describe(jitted));
      CHECK(same_result(interpreted, jitted));
    }
  }
}

TEST_CASE("bitcode is deterministic, so its hash can key the cache") {
  auto a = compile(kShopProgram);
  auto b = compile(kShopProgram);
  CHECK(codegen::write_bitcode(a->module()) == codegen::write_bitcode(b->module()));
}

TEST_CASE("bitcode is refused for another program or when malformed") {
  auto shop = compile(kShopProgram);
  auto other = compile_expr("e.i + 1", "int");
  std::string bitcode = codegen::write_bitcode(shop->module());
  CHECK_THROWS_AS(codegen::compile_bitcode(bitcode, other->module(), test_jit_options()), codegen::CodegenError);
  CHECK_THROWS_AS(codegen::compile_bitcode("not bitcode", shop->module(), test_jit_options()), codegen::CodegenError);
  CHECK_THROWS_AS(codegen::compile_bitcode(bitcode.substr(0, bitcode.size() / 2), shop->module(), test_jit_options()),
                  codegen::CodegenError);
}
