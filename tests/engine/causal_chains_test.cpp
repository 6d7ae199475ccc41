// CausalChains (runtime/engine/causal_chains.h): counting events per input
// up to a limit, and forgetting a chain with its last hold.
#include <catch2/catch.hpp>

#include "engine/causal_chains.h"

using flow::runtime::CausalChains;

TEST_CASE("CausalChains: events are admitted up to the limit, not past it") {
  CausalChains chains;
  auto id = chains.begin();
  CHECK(chains.events(id) == 1);
  CHECK(chains.admit(id, 3, 5));
  CHECK(chains.events(id) == 4);
  CHECK_FALSE(chains.admit(id, 2, 5));  // 6 > 5: nothing changes
  CHECK(chains.events(id) == 4);
  CHECK(chains.admit(id, 1, 5));
  CHECK_FALSE(chains.admit(id, 1, 5));
}

TEST_CASE("CausalChains: a chain is reused only after its last hold is released") {
  CausalChains chains;
  auto a = chains.begin();           // held once, for the input
  REQUIRE(chains.admit(a, 2, 100));  // two more holds
  chains.hold(a);                    // and a delivery in flight
  for (int i = 0; i < 3; ++i) chains.release(a);
  auto b = chains.begin();
  CHECK(b != a);  // `a` is still held once
  chains.release(a);
  auto c = chains.begin();
  CHECK(c == a);  // its slot, counting from one again
  CHECK(chains.events(c) == 1);
  chains.release(CausalChains::kNone);  // no chain: nothing happens
  chains.hold(CausalChains::kNone);
}
