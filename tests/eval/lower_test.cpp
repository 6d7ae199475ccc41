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

TEST_CASE("golden IR of records, maps, optional paths and the list functions") {
  auto c = compile(R"(module m
record Addr { city: string, zip: string = "0000" }
record Line { sku: string, qty: int, at: Addr? }
event O { key id: string, lines: list<Line>, bill: Addr?, tags: map<string, int>, min: int }
decision City(o: O) -> string? { else => o.bill?.city }
decision Zip(o: O) -> string? { else => o.lines[0].at?.zip }
decision Moved(o: O) -> Addr { else => Addr { ...(o.bill ?? Addr { city: "x" }), city: o.id } }
decision Swapped(o: O) -> Line { else => Line { qty: o.min, sku: o.id } }
decision Tag(o: O) -> int? { else => {"a": 1, "b": o.min}[o.id] }
rule Bulk(o: O) = any(o.lines, l => l.qty >= o.min and all(o.lines, k => k.qty <= l.qty))
)");
  CHECK(ir::print_node(*c->rule("City").body) ==
        "(let:string? $0\n"
        "  (field:Addr? #2 @32 (event:O))\n"
        "  (if:string?\n"
        "    (is_some:bool (local:Addr? $0))\n"
        "    (some:string? (field:string #0 @0 (unwrap:Addr (local:Addr? $0))))\n"
        "    (none:string?)))\n");
  CHECK(ir::print_node(*c->rule("Zip").body)
            .find("(some:string? (field:string #1 @16 (unwrap:Addr (local:Addr? $0))))") != std::string::npos);
  // The spread and the explicit field are bound in source order; zip comes
  // from the spread (the last source that has it); the inner literal's zip
  // is its default (fn0).
  CHECK(ir::print_node(*c->rule("Moved").body) ==
        "(let:Addr $1\n"
        "  (let:Addr $0\n"
        "    (field:Addr? #2 @32 (event:O))\n"
        "    (if:Addr\n"
        "      (is_some:bool (local:Addr? $0))\n"
        "      (unwrap:Addr (local:Addr? $0))\n"
        "      (make_record:Addr (string:string \"x\") (call:string fn0))))\n"
        "  (let:Addr $2\n"
        "    (field:string #0 @0 (event:O))\n"
        "    (make_record:Addr (local:string $2) (field:string #1 @16 (local:Addr $1)))))\n");
  CHECK(c->module().function(0).kind == ir::FunctionKind::FieldDefault);
  // Out of field order: each initialiser is bound first, in source order.
  CHECK(ir::print_node(*c->rule("Swapped").body) ==
        "(let:Line $0\n"
        "  (field:int #4 @88 (event:O))\n"
        "  (let:Line $1\n"
        "    (field:string #0 @0 (event:O))\n"
        "    (make_record:Line (local:string $1) (local:int $0) (none:Addr?))))\n");
  CHECK(ir::print_node(*c->rule("Tag").body) ==
        "(map_index:int?\n"
        "  (make_map:map<string, int>\n"
        "    (string:string \"a\")\n"
        "    (int:int 1)\n"
        "    (string:string \"b\")\n"
        "    (field:int #4 @88 (event:O)))\n"
        "  (field:string #0 @0 (event:O)))\n");
  // Each lambda's parameter has its own slot; the inner body reads both.
  CHECK(ir::print_node(*c->rule("Bulk").body) ==
        "(list_any:bool $0\n"
        "  (field:list<Line> #1 @16 (event:O))\n"
        "  (and:bool\n"
        "    (ge:bool (field:int #1 @16 (local:Line $0)) (field:int #4 @88 (event:O)))\n"
        "    (list_all:bool $1\n"
        "      (field:list<Line> #1 @16 (event:O))\n"
        "      (le:bool (field:int #1 @16 (local:Line $1)) (field:int #1 @16 (local:Line $0))))))\n");
  CHECK(c->rule("Bulk").local_count == 2);
}
