// Partition leases on a three-server JetStream cluster (R3): one node takes
// every partition; a second node joining gets its share (the first releases
// it); when the first stops renewing, the second takes its partitions over
// and the first, ticking again, learns it lost them; a node that leaves
// releases its leases to the others. The bucket shows holder, time and
// revision.
#include <catch2/catch.hpp>
#include <set>

#include "cluster/cluster_names.h"
#include "cluster/lease_value.h"
#include "cluster/nats_connection.h"
#include "cluster/nats_handles.h"
#include "cluster/partition_leases.h"
#include "nats_fixture.h"

namespace fc = flow::cluster;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t kPartitions = fc::test::kSharedClusterPartitions;

fc::NatsConnectOptions connect_to(const std::string& urls) {
  fc::NatsConnectOptions options;
  options.urls = urls;
  return options;
}

std::unique_ptr<fc::PartitionLeases> node(const fc::NatsConnection& nats, const std::string& name) {
  fc::PartitionLeaseOptions options;
  options.node = name;
  options.partitions = kPartitions;
  options.lease = 800ms;
  return std::make_unique<fc::PartitionLeases>(nats, options);
}

std::set<std::uint32_t> held(const fc::PartitionLeases& leases) {
  auto list = leases.held();
  return {list.begin(), list.end()};
}

std::set<std::uint32_t> preferred(const std::vector<std::string>& live, const std::string& name) {
  std::set<std::uint32_t> out;
  for (std::uint32_t p = 0; p < kPartitions; ++p) {
    if (fc::preferred_owner(live, p) == name) out.insert(p);
  }
  return out;
}

std::set<std::uint32_t> all_partitions() {
  std::set<std::uint32_t> out;
  for (std::uint32_t p = 0; p < kPartitions; ++p) out.insert(p);
  return out;
}

}  // namespace

TEST_CASE("partition leases are shared, taken over and handed on", "[nats]") {
  auto& servers = fc::test::shared_cluster();
  fc::NatsConnection admin(connect_to(servers.urls()));
  fc::NatsConnection conn_a(connect_to(servers.url(0)));
  fc::NatsConnection conn_b(connect_to(servers.url(1)));
  fc::NatsConnection conn_c(connect_to(servers.url(2)));

  auto a = node(conn_a, "a");
  REQUIRE(fc::test::eventually([&] { return held(*a) == all_partitions(); }, 15s, [&] { a->tick(); }));
  for (std::uint32_t p = 0; p < kPartitions; ++p) {
    CHECK(a->holds(p));
    CHECK(a->epoch(p) > 0);
  }

  // A node joins: each ends up with the partitions it is preferred for.
  auto b = node(conn_b, "b");
  const auto share_a = preferred({"a", "b"}, "a");
  const auto share_b = preferred({"a", "b"}, "b");
  REQUIRE_FALSE(share_a.empty());
  REQUIRE_FALSE(share_b.empty());
  REQUIRE(fc::test::eventually([&] { return held(*a) == share_a && held(*b) == share_b; }, 15s,
                               [&] {
                                 a->tick();
                                 b->tick();
                               }));
  CHECK(a->live_nodes() == std::vector<std::string>{"a", "b"});

  // `a` stops renewing: `b` takes everything over.
  std::map<std::uint32_t, std::uint64_t> epochs_before;
  for (auto p : share_a) epochs_before[p] = a->epoch(p);
  REQUIRE(fc::test::eventually([&] { return held(*b) == all_partitions(); }, 15s, [&] { b->tick(); }));
  for (auto p : share_a) CHECK(b->epoch(p) > epochs_before[p]);
  CHECK(b->live_nodes() == std::vector<std::string>{"b"});

  // `a` wakes up: it holds nothing it can count on, and learns it lost.
  for (auto p : share_a) CHECK_FALSE(a->holds(p));
  auto woke = a->tick();
  CHECK(std::set<std::uint32_t>(woke.lost.begin(), woke.lost.end()) == share_a);
  CHECK(woke.acquired.empty());
  CHECK(a->held().empty());

  // The bucket says who holds a lease, since when, at which revision.
  {
    auto kv = admin.key_value("FLOW_LEASES");
    kvEntry* raw = nullptr;
    REQUIRE(kvStore_Get(&raw, kv.get(), fc::partition_lease_key(*share_a.begin()).c_str()) == NATS_OK);
    fc::KvEntryHandle entry(raw);
    auto value = fc::decode_lease_value(kvEntry_ValueString(entry.get()));
    REQUIRE(value);
    CHECK(value->holder == "b");
    CHECK(value->time_us > 0);
    CHECK(kvEntry_Revision(entry.get()) >= b->epoch(*share_a.begin()));
  }

  // `b` leaves on purpose; `a` (ticking again) and a new node `c` share.
  a.reset();
  b->leave();
  b.reset();
  auto c = node(conn_c, "c");
  auto a2 = node(conn_a, "a");
  const auto share_a2 = preferred({"a", "c"}, "a");
  const auto share_c = preferred({"a", "c"}, "c");
  REQUIRE(fc::test::eventually([&] { return held(*a2) == share_a2 && held(*c) == share_c; }, 15s,
                               [&] {
                                 a2->tick();
                                 c->tick();
                               }));
}
