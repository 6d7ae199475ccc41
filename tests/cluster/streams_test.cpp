// Stream setup against a real nats-server: the streams and the lease bucket
// are created once, found again on the next start, and a node whose options
// disagree with what is there (partition count, replicas) refuses to start
// with a message that says why.
#include <catch2/catch.hpp>

#include "cluster/cluster_names.h"
#include "cluster/nats_connection.h"
#include "cluster/nats_error.h"
#include "cluster/stream_setup.h"
#include "nats_fixture.h"

namespace fc = flow::cluster;
using Catch::Matchers::Contains;

namespace {

fc::NatsConnectOptions connect_to(const std::string& urls) {
  fc::NatsConnectOptions options;
  options.urls = urls;
  return options;
}

fc::StreamInfoHandle stream_info(const fc::NatsConnection& nats, const char* name) {
  jsStreamInfo* raw = nullptr;
  REQUIRE(js_GetStreamInfo(&raw, nats.js(), name, nullptr, nullptr) == NATS_OK);
  return fc::StreamInfoHandle(raw);
}

}  // namespace

TEST_CASE("streams are created once, then checked", "[nats]") {
  fc::test::NatsServers servers(1);
  fc::NatsConnection nats(connect_to(servers.urls()));

  auto first = fc::ensure_cluster_streams(nats, {8, 1});
  CHECK(first.created == std::vector<std::string>{"FLOW_IN", "FLOW_JOURNAL", "FLOW_EVENTS", "KV_FLOW_LEASES"});
  CHECK(first.recorded_partitions);

  auto in = stream_info(nats, "FLOW_IN");
  REQUIRE(in->Config->SubjectsLen == 1);
  CHECK(std::string(in->Config->Subjects[0]) == "flow.in.*");
  CHECK(in->Config->Retention == js_WorkQueuePolicy);
  auto events = stream_info(nats, "FLOW_EVENTS");
  CHECK(std::string(events->Config->Subjects[0]) == "flow.events.>");
  CHECK(stream_info(nats, "FLOW_JOURNAL")->Config->Storage == js_FileStorage);

  auto again = fc::ensure_cluster_streams(nats, {8, 1});
  CHECK(again.created.empty());
  CHECK_FALSE(again.recorded_partitions);

  CHECK_THROWS_WITH(fc::ensure_cluster_streams(nats, {16, 1}),
                    Contains("the cluster has 8 partitions, but this node was started with 16"));
  CHECK_THROWS_WITH(fc::ensure_cluster_streams(nats, {8, 3}),
                    Contains("stream FLOW_IN exists with subjects [flow.in.*], replicas 1") &&
                        Contains("expects subjects [flow.in.*], replicas 3"));

  // A stream someone made with other subjects is not taken as Flow's.
  REQUIRE(js_DeleteStream(nats.js(), "FLOW_EVENTS", nullptr, nullptr) == NATS_OK);
  REQUIRE(fc::test::add_plain_stream(nats, "FLOW_EVENTS", "flow.events.only", 1) == NATS_OK);
  CHECK_THROWS_WITH(fc::ensure_cluster_streams(nats, {8, 1}),
                    Contains("stream FLOW_EVENTS exists with subjects [flow.events.only]"));
}

TEST_CASE("JetStream's refusals come back as NatsError with its message", "[nats]") {
  fc::test::NatsServers servers(1);
  fc::NatsConnection nats(connect_to(servers.urls()));
  try {
    fc::ensure_cluster_streams(nats, {4, 3});  // three copies on one server
    FAIL("three replicas on one server were accepted");
  } catch (const fc::NatsError& e) {
    CHECK_THAT(e.what(), Contains("creating stream FLOW_IN"));
    CHECK(e.js_code() != 0);
  }

  fc::NatsConnectOptions nowhere = connect_to("nats://127.0.0.1:1");
  nowhere.connect_timeout = std::chrono::milliseconds(200);
  CHECK_THROWS_WITH(fc::NatsConnection(nowhere), Contains("cannot connect to NATS at nats://127.0.0.1:1"));
}
