// `flowrt worker`: two workers serve one subject as a queue group; one is
// killed (SIGKILL, its program too) while a delivery hangs in it, and
// requests it had taken are lost with it. The requester sends whatever is
// unanswered again after a timeout, with the same delivery id, and every
// delivery gets its answer — from the worker that is left. Bad requests and
// error answers come back as exec-protocol errors; SIGTERM stops a worker
// cleanly.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cluster/nats_connection.h"
#include "cluster/nats_error.h"
#include "cluster/nats_handles.h"
#include "nats_fixture.h"

namespace fc = flow::cluster;
using namespace std::chrono_literals;

namespace {

constexpr const char* kSubject = "flow.test.jobs";

/// Sends requests with one reply subject each and collects the replies.
class Requester {
 public:
  explicit Requester(const fc::NatsConnection& nats) : nats_(nats) {
    natsInbox* inbox = nullptr;
    fc::check_nats(natsInbox_Create(&inbox), "inbox");
    inbox_ = inbox;
    natsInbox_Destroy(inbox);
    natsSubscription* raw = nullptr;
    fc::check_nats(natsConnection_SubscribeSync(&raw, nats_.get(), (inbox_ + ".*").c_str()), "subscribe");
    sub_.reset(raw);
  }

  void send(const std::string& key, const std::string& payload) {
    const std::string reply = inbox_ + "." + key;
    fc::check_nats(natsConnection_PublishRequest(nats_.get(), kSubject, reply.c_str(), payload.data(),
                                                 static_cast<int>(payload.size())),
                   "request");
    natsConnection_Flush(nats_.get());
  }

  /// Replies that came within `wait`, by key.
  std::map<std::string, std::string> collect(std::chrono::milliseconds wait) {
    std::map<std::string, std::string> out;
    const auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until) {
      natsMsg* raw = nullptr;
      if (natsSubscription_NextMsg(&raw, sub_.get(), 50) != NATS_OK) continue;
      fc::MsgHandle msg(raw);
      const std::string subject = natsMsg_GetSubject(msg.get());
      out[subject.substr(inbox_.size() + 1)] =
          std::string(natsMsg_GetData(msg.get()), static_cast<std::size_t>(natsMsg_GetDataLength(msg.get())));
    }
    return out;
  }

 private:
  const fc::NatsConnection& nats_;
  std::string inbox_;
  fc::SubscriptionHandle sub_;
};

std::string delivery(const std::string& id, const nlohmann::json& data) {
  nlohmann::json event{{"specversion", "1.0"}, {"type", "Job"}, {"id", "e-" + id}, {"data", data}};
  return nlohmann::json{{"id", id}, {"event", event}}.dump();
}

}  // namespace

TEST_CASE("two workers share a subject; killing one mid-delivery loses nothing", "[nats]") {
  fc::test::NatsServers servers(1);
  fc::test::ScratchDir markers;
  std::map<std::string, pid_t> workers;
  for (const std::string name : {"w1", "w2"}) {
    workers[name] = fc::test::spawn_process(
        {FLOW_FLOWRT, "worker", "--nats", servers.urls(), "--subject", kSubject, "--timeout", "120", "--", FLOW_PYTHON,
         "-u", std::string(FLOW_CLUSTER_SCRIPTS_DIR) + "/worker_service.py", markers.path().string()},
        markers.path() / (name + ".log"), {"FLOW_TEST_WORKER=" + name});
  }
  fc::NatsConnectOptions options;
  options.urls = servers.urls();
  fc::NatsConnection nats(options);
  Requester requester(nats);

  // Both workers answer before the real traffic starts.
  std::set<std::string> answering;
  int probes = 0;
  REQUIRE(fc::test::eventually([&] { return answering.size() == 2; }, 20s,
                               [&] {
                                 const std::string id = "probe-" + std::to_string(probes++);
                                 requester.send(id, delivery(id, nlohmann::json::object()));
                                 for (const auto& [key, text] : requester.collect(100ms)) {
                                   answering.insert(
                                       nlohmann::json::parse(text)["emit"][0]["data"]["worker"].get<std::string>());
                                 }
                               }));

  // Twenty deliveries; d-5 hangs in whichever worker takes it.
  std::map<std::string, std::string> payloads;
  for (int i = 1; i <= 20; ++i) {
    const std::string id = "d-" + std::to_string(i);
    payloads[id] = delivery(id, {{"n", i}, {"hang", i == 5}});
    requester.send(id, payloads[id]);
  }
  const auto marker = markers.path() / "hang-d-5";
  REQUIRE(fc::test::eventually([&] { return std::filesystem::exists(marker); }, 20s));
  std::string hung_worker;
  pid_t hung_group = 0;
  std::ifstream(marker) >> hung_worker >> hung_group;
  REQUIRE(workers.contains(hung_worker));
  fc::test::kill_and_wait(workers[hung_worker], SIGKILL);
  ::kill(-hung_group, SIGKILL);
  workers.erase(hung_worker);
  const std::string survivor = workers.begin()->first;

  // The requester's side: whatever is unanswered after a while goes again.
  std::map<std::string, nlohmann::json> answers;
  int rounds = 0;
  while (answers.size() < payloads.size() && rounds++ < 15) {
    for (const auto& [key, text] : requester.collect(1000ms)) {
      if (payloads.contains(key)) answers[key] = nlohmann::json::parse(text);
    }
    for (const auto& [id, payload] : payloads) {
      if (!answers.contains(id)) requester.send(id, payload);
    }
  }
  REQUIRE(answers.size() == payloads.size());
  for (const auto& [id, answer] : answers) {
    INFO(answer.dump());
    CHECK(answer["id"] == id);
    CHECK(answer["emit"][0]["type"] == "Served");
    CHECK(answer["emit"][0]["data"]["id"] == id);
  }
  CHECK(answers["d-5"]["emit"][0]["data"]["worker"] == survivor);

  // Failures come back in the exec protocol's answer form.
  requester.send("bad", "not json");
  requester.send("err", delivery("err", {{"error", "bureau down"}}));
  std::map<std::string, std::string> replies;
  REQUIRE(fc::test::eventually([&] { return replies.size() == 2; }, 20s,
                               [&] {
                                 for (const auto& [key, text] : requester.collect(100ms)) replies[key] = text;
                               }));
  CHECK(replies["bad"] == R"({"error":"flowrt worker: bad request: not valid JSON"})");
  CHECK(replies["err"] == R"({"id":"err","error":"bureau down"})");

  // SIGTERM: the survivor stops cleanly.
  const int status = fc::test::kill_and_wait(workers[survivor], SIGTERM, 15s);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
