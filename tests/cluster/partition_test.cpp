// Partitioning and lease bookkeeping without a server: the partition hash is
// pinned (it decides which journal holds which instance, so it must never
// change), keys spread evenly, the rendezvous assignment moves only the
// partitions a joining or leaving node gains or had, and the lease view
// judges expiry by unchanged revisions on the local clock.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "cluster/cluster_names.h"
#include "cluster/lease_value.h"
#include "cluster/lease_view.h"
#include "cluster/partition_hash.h"

namespace fc = flow::cluster;

TEST_CASE("the partition hash is pinned", "[partition]") {
  // FNV-1a 64 then the splitmix64 finaliser, mod N (checked against an
  // independent Python rendering of the same definition).
  CHECK(fc::partition_hash("") == 0xf52a15e9a9b5e89bull);
  CHECK(fc::partition_of("order-1", 16) == 3);
  CHECK(fc::partition_of("order-2", 16) == 3);
  CHECK(fc::partition_of("order-2", 7) == fc::partition_hash("order-2") % 7);
  CHECK(fc::partition_of("customer/ünïcode", 16) == 1);
  CHECK(fc::partition_of("anything", 1) == 0);
  CHECK_THROWS_AS(fc::partition_of("x", 0), std::invalid_argument);
}

TEST_CASE("keys spread over the partitions", "[partition]") {
  std::map<std::uint32_t, int> counts;
  for (int i = 0; i < 16000; ++i) ++counts[fc::partition_of("key-" + std::to_string(i), 16)];
  REQUIRE(counts.size() == 16);
  for (const auto& [p, n] : counts) {
    CHECK(n > 800);
    CHECK(n < 1200);
  }
}

TEST_CASE("subjects and keys are spelled as documented", "[partition]") {
  CHECK(fc::input_subject(3) == "flow.in.3");
  CHECK(fc::journal_subject(12) == "flow.journal.12");
  CHECK(fc::event_subject("OrderPlaced") == "flow.events.OrderPlaced");
  CHECK(fc::event_subject("shop.OrderPlaced") == "flow.events.shop.OrderPlaced");
  CHECK_THROWS_AS(fc::event_subject("Bad Type"), std::invalid_argument);
  CHECK_THROWS_AS(fc::event_subject("a..b"), std::invalid_argument);
  CHECK_THROWS_AS(fc::event_subject("a.>"), std::invalid_argument);
  CHECK_THROWS_AS(fc::event_subject(""), std::invalid_argument);
  CHECK(fc::partition_lease_key(0) == "partition.0");
  CHECK(fc::node_key("node-a") == "node.node-a");
  CHECK(fc::valid_node_name("node_1-B"));
  CHECK_FALSE(fc::valid_node_name("node.1"));
  CHECK_FALSE(fc::valid_node_name(""));
}

TEST_CASE("rendezvous assignment balances and moves little", "[partition]") {
  const std::vector<std::string> three{"a", "b", "c"};
  const std::vector<std::string> four{"a", "b", "c", "d"};
  std::map<std::string, int> load;
  int moved = 0;
  for (std::uint32_t p = 0; p < 64; ++p) {
    const std::string& before = fc::preferred_owner(three, p);
    const std::string& after = fc::preferred_owner(four, p);
    ++load[before];
    if (before != after) {
      ++moved;
      CHECK(after == "d");  // a joining node only gains
    }
  }
  CHECK(load.size() == 3);
  for (const auto& [node, n] : load) CHECK(n >= 10);
  CHECK(moved > 0);
  CHECK(moved < 32);
  // Every node computes the same owner.
  CHECK(fc::preferred_owner(three, 5) == fc::preferred_owner(std::vector<std::string>{"a", "b", "c"}, 5));
}

TEST_CASE("the lease view ages leases and nodes on the local clock", "[partition]") {
  fc::LeaseView view;
  const std::int64_t lease = 1000;
  CHECK(view.takeable(0, 0, lease));  // never leased

  view.put("partition.0", 5, fc::encode_lease_value({"a", 111}), 100);
  CHECK(view.partition(0)->holder == "a");
  CHECK_FALSE(view.takeable(0, 1099, lease));
  CHECK(view.takeable(0, 1100, lease));                                  // unchanged for a whole lease
  view.put("partition.0", 4, fc::encode_lease_value({"b", 222}), 1050);  // older revision: ignored
  CHECK(view.partition(0)->holder == "a");
  view.put("partition.0", 6, fc::encode_lease_value({"a", 333}), 1050);  // renewed
  CHECK_FALSE(view.takeable(0, 1100, lease));
  view.put("partition.0", 7, fc::encode_lease_value({"", 444}), 1060);  // released
  CHECK(view.takeable(0, 1060, lease));

  view.put("node.b", 8, fc::encode_node_heartbeat("b", 1), 0);
  view.put("node.c", 9, fc::encode_node_heartbeat("c", 1), 500);
  view.put("config", 1, "{\"partitions\":4}", 0);
  CHECK(view.live_nodes(900, lease, "a") == std::vector<std::string>{"a", "b", "c"});
  CHECK(view.live_nodes(1200, lease, "a") == std::vector<std::string>{"a", "c"});
  view.erase("node.c");
  CHECK(view.live_nodes(1200, lease, "a") == std::vector<std::string>{"a"});
}

TEST_CASE("lease values round-trip", "[partition]") {
  auto value = fc::decode_lease_value(fc::encode_lease_value({"node-a", 1733650000000000}));
  REQUIRE(value);
  CHECK(value->holder == "node-a");
  CHECK(value->time_us == 1733650000000000);
  CHECK_FALSE(fc::decode_lease_value("{\"holder\":1}"));
  CHECK_FALSE(fc::decode_lease_value("not json"));
}
