// Lowering and the IR printer: golden text for small programs, so that a
// change in what the back ends receive is visible in review.
#include <catch2/catch.hpp>

#include "eval_fixture.h"
#include "ir/ir_printer.h"

using namespace flow;
using namespace flow::testing;

TEST_CASE("golden IR of rules, decisions, constants and a condition") {
  auto c = compile(R"(module m
enum Tier { Basic, Gold }
event Order { key id: string, amount: float, items: int, tier: Tier, coupon: string?, country: string }
event Vip { ...Order, since: timestamp }
const LIMIT = 100
rule Big(o: Order) = o.amount > LIMIT and o.items in [1, 2, 3]
rule Valid(o: Order) = matches(o.country, "^[A-Z]{2}$")
decision Discount(o: Order) -> float {
  when o.tier == Tier.Gold => 0.1
  when Big(o) => 1.0
  else => if starts_with(o.coupon ?? "", "X") then 0.05 else 0.0
}
service S { consumes Order exec "true" }
flow F { start Vip on Vip when Big and Valid -> S }
)");
  std::string expected = R"(re0 = "^[A-Z]{2}$"

fn0 const m.LIMIT() -> int
  (int:int 100)

fn1 rule m.Big[Order](event: Order) -> bool
  (and:bool
    (gt:bool (field:float #1 @16 (event:Order)) (int_to_float:float (call:int fn0)))
    (list_contains:bool
      (list:list<int> (int:int 1) (int:int 2) (int:int 3))
      (field:int #2 @24 (event:Order))))

fn2 rule m.Valid[Order](event: Order) -> bool
  (matches:bool re0 (field:string #5 @48 (event:Order)))

fn3 decision m.Discount[Order](event: Order) -> float locals 1
  (if:float
    (eq:bool (field:Tier #3 @64 (event:Order)) (enum:Tier #1))
    (float:float 0.1)
    (if:float
      (call:bool fn1 (event:Order))
      (float:float 1.0)
      (if:float
        (starts_with:bool
          (let:string $0
            (field:string? #4 @32 (event:Order))
            (if:string
              (is_some:bool (local:string? $0))
              (unwrap:string (local:string? $0))
              (string:string "")))
          (string:string "X"))
        (float:float 0.05)
        (float:float 0.0))))

fn4 condition m.F#0[Vip](event: Vip) -> bool
  (and:bool (call:bool fn5 (event:Vip)) (call:bool fn6 (event:Vip)))

fn5 rule m.Big[Vip](event: Vip) -> bool
  (and:bool
    (gt:bool (field:float #1 @16 (event:Vip)) (int_to_float:float (call:int fn0)))
    (list_contains:bool
      (list:list<int> (int:int 1) (int:int 2) (int:int 3))
      (field:int #2 @24 (event:Vip))))

fn6 rule m.Valid[Vip](event: Vip) -> bool
  (matches:bool re0 (field:string #5 @48 (event:Vip)))

)";
  CHECK(ir::print_module(c->module()) == expected);
}

TEST_CASE("lowering specialises a rule per concrete event, on demand") {
  auto c = compile(R"(module m
event A { key id: string, n: int }
event B { flag: bool, label: string, ...A }
event C { ...A }
rule Pos(a: A) = a.n > 0
service S { consumes A exec "true" }
flow F { start A, B, C on B when Pos -> S on C -> S }
)");
  const auto* pos = c->decl("Pos");
  CHECK(c->index().rule(pos, c->event("A")));
  const ir::Function* on_b = c->index().rule(pos, c->event("B"));
  REQUIRE(on_b);
  CHECK(c->index().rule(pos, c->event("C")) == nullptr);  // no condition or call needs it
  // n sits at offset 32 in B (after two strings) but 16 in A.
  CHECK(ir::print_node(*on_b->body) == "(gt:bool (field:int #3 @32 (event:B)) (int:int 0))\n");
  CHECK(ir::print_node(*c->rule("Pos").body) == "(gt:bool (field:int #1 @16 (event:A)) (int:int 0))\n");
}

TEST_CASE("implicit conversions become explicit nodes") {
  auto c = compile(R"(module m
event A { key id: string, o: int?, xs: list<int>, f: float }
decision Opt(a: A) -> int? { else => 3 }
decision Wide(a: A) -> float? { else => a.o ?? a.f }
decision Lst(a: A) -> list<int?> { else => a.xs }
decision NoneEq(a: A) -> bool { else => a.o == none }
decision Promote(a: A) -> bool { else => 1.5 in a.xs }
)");
  CHECK(ir::print_node(*c->rule("Opt").body) == "(some:int? (int:int 3))\n");
  CHECK(ir::print_node(*c->rule("Wide").body) ==
        "(some:float?\n"
        "  (let:float $0\n"
        "    (field:int? #1 @16 (event:A))\n"
        "    (if:float\n"
        "      (is_some:bool (local:int? $0))\n"
        "      (int_to_float:float (unwrap:int (local:int? $0)))\n"
        "      (field:float #3 @40 (event:A)))))\n");
  CHECK(ir::print_node(*c->rule("Lst").body) == "(convert_list:list<int?> (field:list<int> #2 @24 (event:A)))\n");
  CHECK(ir::print_node(*c->rule("NoneEq").body) == "(eq:bool (field:int? #1 @16 (event:A)) (none:int?))\n");
  CHECK(ir::print_node(*c->rule("Promote").body) ==
        "(list_contains:bool promote (field:list<int> #2 @24 (event:A)) (float:float 1.5))\n");
}

TEST_CASE("lowering refuses programs with errors") {
  DiagnosticEngine diags;
  auto program = compile_sources({{"t.flow", "module m\nrule R(a: Nope) = true\n"}}, CompileOptions{}, diags);
  REQUIRE(program);
  REQUIRE_FALSE(program->ok);
  auto lowered = ir::lower_program(*program);
  CHECK_FALSE(lowered.ok());
  CHECK_FALSE(lowered.errors.empty());
}

TEST_CASE("clone copies a whole tree") {
  auto c = compile("module m\nevent A { key id: string, n: int }\nrule R(a: A) = a.n * 2 > 3 or a.id == \"x\"\n");
  const ir::Function& fn = c->rule("R");
  auto copy = ir::clone(*fn.body);
  CHECK(ir::print_node(*copy) == ir::print_node(*fn.body));
}

TEST_CASE("lists of events are rejected by the checker, before lowering") {
  DiagnosticEngine diags;
  auto program = compile_sources({{"t.flow", "module m\nevent A { key id: string }\nrule R(a: A) = a in [a]\n"}},
                                 CompileOptions{}, diags);
  REQUIRE(program);
  CHECK_FALSE(program->ok);
  REQUIRE(diags.diagnostics().size() == 1);
  CHECK(std::string(diag_info(diags.diagnostics()[0].kind).code) == "E0201");
}
