// The journal fence and replay on a three-server JetStream cluster (R3):
// a new owner replays a partition's journal subject and claims it; the old
// owner's next append is refused ("wrong last sequence") and reported
// Fenced; a record the old owner slips in before the claim makes the claim
// fail, and the new owner replays the rest and claims again. Replay reads
// from any sequence, one partition or all of them.
#include <catch2/catch.hpp>

#include "cluster/cluster_names.h"
#include "cluster/fenced_appender.h"
#include "cluster/journal_replay.h"
#include "cluster/nats_connection.h"
#include "cluster/nats_error.h"
#include "nats_fixture.h"

namespace fc = flow::cluster;

namespace {

fc::NatsConnectOptions connect_to(const std::string& urls) {
  fc::NatsConnectOptions options;
  options.urls = urls;
  return options;
}

struct Replayed {
  std::vector<std::string> data;
  std::vector<std::string> ids;
  fc::ReplayResult result;
};

Replayed replay(const fc::NatsConnection& nats, const std::string& subject, std::uint64_t from) {
  Replayed out;
  std::uint64_t previous = 0;
  out.result = fc::replay_subject(nats, subject, from, [&](const fc::StoredMessage& m) {
    CHECK(m.sequence > previous);
    CHECK(m.sequence >= from);
    CHECK(m.time_ns > 0);
    previous = m.sequence;
    out.data.emplace_back(m.data);
    out.ids.emplace_back(m.msg_id);
  });
  return out;
}

}  // namespace

TEST_CASE("a stale owner is fenced and the journal replays from a sequence", "[nats]") {
  auto& servers = fc::test::shared_cluster();
  // The two owners talk to different servers of the cluster.
  fc::NatsConnection first_node(connect_to(servers.url(0)));
  fc::NatsConnection second_node(connect_to(servers.url(2)));
  const std::string subject = fc::journal_subject(2);

  fc::FencedAppender old_owner(first_node, subject, "a.1", 0);
  auto a1 = old_owner.append("a1");
  auto a2 = old_owner.append("a2");
  REQUIRE(a1.status == fc::AppendStatus::Appended);
  REQUIRE(a2.status == fc::AppendStatus::Appended);
  CHECK(a2.sequence > a1.sequence);

  // Take-over: replay, then claim right after what was read.
  auto read = replay(second_node, subject, 0);
  CHECK(read.data == std::vector<std::string>{"a1", "a2"});
  CHECK(read.ids == std::vector<std::string>{"a.1.1", "a.1.2"});
  CHECK(read.result.last_sequence == a2.sequence);
  CHECK(fc::last_sequence_on(second_node, subject) == a2.sequence);
  fc::FencedAppender new_owner(second_node, subject, "b.7", read.result.last_sequence);
  auto claim = new_owner.append("b-claim");
  REQUIRE(claim.status == fc::AppendStatus::Appended);

  // The old owner cannot write any more, and stays fenced.
  auto stale = old_owner.append("a3");
  CHECK(stale.status == fc::AppendStatus::Fenced);
  CHECK(stale.sequence == claim.sequence);
  CHECK(old_owner.fenced());
  CHECK(old_owner.append("a4").status == fc::AppendStatus::Fenced);

  // What JetStream itself answers a stale expected sequence.
  jsPubOptions opts;
  jsPubOptions_Init(&opts);
  opts.ExpectLastSubjectSeq = a2.sequence;
  jsErrCode code = static_cast<jsErrCode>(0);
  CHECK(js_Publish(nullptr, first_node.js(), subject.c_str(), "x", 1, &opts, &code) == NATS_ERR);
  CHECK(code == JSStreamWrongLastSequenceErr);
  CHECK_THAT(fc::nats_failure_text(NATS_ERR), Catch::Matchers::Contains("wrong last sequence"));

  // A record slipped in between a take-over's replay and its claim: the
  // claim is fenced; the taker reads the rest and claims again.
  const std::uint64_t read_up_to = fc::last_sequence_on(first_node, subject);
  auto slipped = new_owner.append("b1");
  REQUIRE(slipped.status == fc::AppendStatus::Appended);
  fc::FencedAppender taker(first_node, subject, "c.9", read_up_to);
  auto refused_claim = taker.append("c-claim");
  CHECK(refused_claim.status == fc::AppendStatus::Fenced);
  CHECK(refused_claim.sequence == slipped.sequence);
  auto rest = replay(first_node, subject, read_up_to + 1);
  CHECK(rest.data == std::vector<std::string>{"b1"});
  fc::FencedAppender taker_again(first_node, subject, "c.10", rest.result.last_sequence);
  CHECK(taker_again.append("c-claim").status == fc::AppendStatus::Appended);
  CHECK(new_owner.append("b2").status == fc::AppendStatus::Fenced);

  // Replay from a sequence: that record and the ones after it, in order.
  auto tail = replay(second_node, subject, a2.sequence);
  CHECK(tail.data == std::vector<std::string>{"a2", "b-claim", "b1", "c-claim"});
  CHECK(tail.ids == std::vector<std::string>{"a.1.2", "b.7.1", "b.7.2", "c.10.1"});

  // Partitions are apart; a wildcard reads them all in stream order; an
  // empty subject reads nothing.
  fc::FencedAppender other(second_node, fc::journal_subject(3), "x.1", 0);
  REQUIRE(other.append("p3").status == fc::AppendStatus::Appended);
  auto all = replay(second_node, "flow.journal.*", 0);
  CHECK(all.data == std::vector<std::string>{"a1", "a2", "b-claim", "b1", "c-claim", "p3"});
  auto none = replay(second_node, fc::journal_subject(1), 0);
  CHECK(none.result.messages == 0);
  CHECK(none.result.last_sequence == 0);
  CHECK(fc::last_sequence_on(second_node, fc::journal_subject(1)) == 0);
  // Past the end: nothing either.
  CHECK(replay(second_node, subject, all.result.last_sequence + 1).result.messages == 0);
}
