// ExecRunner against well-behaved services: answers, ordering under
// concurrency, validation of emitted events, stderr forwarding, shutdown.
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "runner_fixture.h"

using namespace flow::runtime;
using namespace flow::runtime::test;
using namespace std::chrono_literals;

TEST_CASE("an echo service answers each delivery from one long-lived process", "[services][runner]") {
  ScratchDir dir;
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  ExecRunner runner({service("Echo", script_command("echo_service.py"), dir.path())}, options);
  REQUIRE(runner.find_service("Echo") == 0u);
  CHECK_FALSE(runner.find_service("Nope"));

  runner.submit(0, "d-1", event_with(R"({"n":1})"));
  runner.submit(0, "d-2", event_with(R"({"n":2})"));
  runner.submit(0, "d-3", event_with(R"({"raw_data":"{\"big\":12345678901234567890123,\"dec\":1.50}"})"));
  CHECK(runner.pending() == 3);
  CHECK(runner.in_flight() == 0);  // submit() does no I/O

  std::size_t max_in_flight = 0;
  const auto outcomes = drain(runner, 10s, [&] { max_in_flight = std::max(max_in_flight, runner.in_flight()); });
  CHECK(max_in_flight <= 1);
  const auto finals = finals_by_id(outcomes);
  REQUIRE(finals.size() == 3);
  std::set<std::string> pids;
  for (const auto& [id, o] : finals) {
    INFO(id << ": " << o.error);
    CHECK(o.state == DeliveryState::Delivered);
    CHECK(o.status == AttemptStatus::Ok);
    CHECK(o.attempt == 1);
    CHECK(o.service == "Echo");
    CHECK(o.error.empty());
    REQUIRE(o.emits.size() == 1);
    CHECK(o.emits[0].type == "Echoed");
  }
  CHECK_THAT(finals.at("d-1").emits[0].data_json, Catch::Contains(R"("echo": {"n": 1})"));
  // The emitted data reaches the caller verbatim.
  CHECK(finals.at("d-3").emits[0].data_json == R"({"big":12345678901234567890123,"dec":1.50})");
  const ExecServiceStats stats = runner.stats(0);
  CHECK(stats.starts == 1);
  CHECK(stats.delivered == 3);
  CHECK(stats.attempts == 3);
  CHECK(stats.pid > 0);

  // A settled id may be used again (a new delivery of the same id is the
  // caller's business).
  runner.submit(0, "d-1", event_with("{}"));
  CHECK(finals_by_id(drain(runner)).at("d-1").state == DeliveryState::Delivered);

  runner.shutdown(2s);
  CHECK(runner.stats(0).pid == 0);
  CHECK(no_children_left());
  CHECK(log.lines().empty());
}

TEST_CASE("answers may come in any order, up to `concurrency` in flight", "[services][runner]") {
  ExecServiceConfig c = service("Shuffle", script_command("out_of_order_service.py"));
  c.concurrency = 4;
  ExecRunner runner({c});
  for (int n = 0; n < 10; ++n) runner.submit(0, "d-" + std::to_string(n), event_with("{\"n\":" + std::to_string(n) + "}"));

  std::size_t max_in_flight = 0;
  const auto outcomes = drain(runner, 10s, [&] { max_in_flight = std::max(max_in_flight, runner.in_flight()); });
  CHECK(max_in_flight <= 4);
  const auto finals = finals_by_id(outcomes);
  REQUIRE(finals.size() == 10);
  std::vector<std::string> completion;
  bool saw_full_batch = false;
  for (const AttemptOutcome& o : outcomes) {
    CHECK(o.state == DeliveryState::Delivered);
    REQUIRE(o.emits.size() == 1);
    // The service never held more than 4 unanswered requests.
    CHECK_THAT(o.emits[0].data_json, !Catch::Contains("\"batch\": 5"));
    saw_full_batch = saw_full_batch || o.emits[0].data_json.find("\"batch\": 4") != std::string::npos;
    completion.push_back(o.delivery_id);
  }
  // The first batch of four came back reversed, so completion order is not
  // submission order; every answer still found its delivery.
  CHECK(saw_full_batch);
  CHECK(completion[0] == "d-3");
  CHECK(completion[3] == "d-0");
  CHECK(runner.stats(0).starts == 1);
  runner.shutdown(2s);
}

TEST_CASE("the validator's rejection of emitted events fails the attempt", "[services][runner]") {
  std::vector<std::size_t> validated_for;
  ExecRunnerOptions options;
  options.log = LogCapture().sink();
  options.validator = [&](std::size_t service_index,
                          const std::vector<RawEmit>& emits) -> std::optional<EmitRejection> {
    validated_for.push_back(service_index);
    for (const RawEmit& e : emits)
      if (e.type != "Echoed")
        return EmitRejection{AttemptStatus::UndeclaredEvent, "service publishes no event type '" + e.type + "'"};
    return std::nullopt;
  };
  ExecServiceConfig c = service("Strict", script_command("echo_service.py"));
  c.retry = 1;
  ExecRunner runner({service("Other", "true"), c}, options);
  runner.submit(1, "d-bad", event_with(R"({"emit_type":"Sneaky"})"));
  runner.submit(1, "d-good", event_with(R"({"n":1})"));
  const auto outcomes = drain(runner);
  const auto finals = finals_by_id(outcomes);
  const AttemptOutcome& bad = finals.at("d-bad");
  CHECK(bad.state == DeliveryState::DeadLettered);
  CHECK(bad.status == AttemptStatus::UndeclaredEvent);
  CHECK(bad.attempt == 2);
  CHECK(bad.error == "service publishes no event type 'Sneaky'");
  REQUIRE(bad.emits.size() == 1);  // what was refused, for the journal
  CHECK(bad.emits[0].type == "Sneaky");
  CHECK(finals.at("d-good").state == DeliveryState::Delivered);
  CHECK(std::all_of(validated_for.begin(), validated_for.end(), [](std::size_t i) { return i == 1; }));
  CHECK(validated_for.size() == 3);
  // Rejection is not the process's fault: it kept running.
  CHECK(runner.stats(1).starts == 1);
  runner.shutdown(2s);
}

TEST_CASE("a validator that throws rejects", "[services][runner]") {
  ExecRunnerOptions options;
  options.validator = [](std::size_t, const std::vector<RawEmit>&) -> std::optional<EmitRejection> {
    throw std::runtime_error("bad payload");
  };
  ExecRunner runner({service("Echo", script_command("echo_service.py"))}, options);
  runner.submit(0, "d-1", event_with("{}"));
  const AttemptOutcome o = finals_by_id(drain(runner)).at("d-1");
  CHECK(o.status == AttemptStatus::InvalidEvent);
  CHECK_THAT(o.error, Catch::Contains("bad payload"));
  runner.shutdown(2s);
}

TEST_CASE("stderr reaches the log line by line, prefixed, with long lines cut", "[services][runner]") {
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  options.max_log_line = 1000;
  ExecRunner runner({service("Chatty", script_command("chatty_service.py"))}, options);
  runner.submit(0, "d-1", event_with("{}"));
  runner.submit(0, "d-2", event_with(R"({"long":true})"));
  const auto finals = finals_by_id(drain(runner));
  CHECK(finals.at("d-1").state == DeliveryState::Delivered);
  CHECK(finals.at("d-2").state == DeliveryState::Delivered);
  CHECK(finals.at("d-2").emits.empty());
  runner.shutdown(2s);

  CHECK(log.contains("[Chatty] starting up"));
  // Written in two pieces, logged as one line.
  CHECK(log.contains("[Chatty] handling d-1"));
  CHECK(log.contains("[Chatty] handling d-2"));
  CHECK(log.count("[Chatty] handling ") == 2);
  bool saw_cut = false;
  for (const std::string& line : log.lines()) {
    CHECK(line.size() < 1100);
    if (line.rfind("[Chatty] yyyy", 0) == 0) {
      saw_cut = true;
      CHECK_THAT(line, Catch::Contains("(99000 more bytes cut)"));
    }
  }
  CHECK(saw_cut);
  // The last, unterminated line is flushed when the process ends.
  CHECK(log.contains("[Chatty] stdin closed, bye"));
  CHECK(no_children_left());
}

TEST_CASE("shutdown reports unsettled deliveries and stops every process", "[services][runner]") {
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  options.use_pidfd = GENERATE(true, false);
  ExecRunner runner({service("Stubborn", "exec " + script_command("stubborn_service.py")),
                     service("Echo", script_command("echo_service.py"))},
                    options);
  runner.submit(0, "d-stuck", event_with("{}"));
  runner.submit(0, "d-queued", event_with("{}"));
  runner.submit(1, "d-fine", event_with("{}"));
  std::vector<AttemptOutcome> out;
  REQUIRE(poll_until(runner, out, [&] { return log.contains("[Stubborn] ready") && !out.empty(); }));
  REQUIRE(out.size() == 1);
  CHECK(out[0].delivery_id == "d-fine");

  const auto before = std::chrono::steady_clock::now();
  std::vector<AttemptOutcome> abandoned;
  runner.shutdown(100ms, abandoned);
  // stdin EOF and SIGTERM are ignored: SIGKILL after the grace periods.
  CHECK(std::chrono::steady_clock::now() - before < 3s);
  REQUIRE(abandoned.size() == 2);
  CHECK(abandoned[0].delivery_id == "d-stuck");
  CHECK(abandoned[0].attempt == 1);
  CHECK(abandoned[1].delivery_id == "d-queued");
  CHECK(abandoned[1].attempt == 1);
  for (const AttemptOutcome& o : abandoned) {
    CHECK(o.status == AttemptStatus::Cancelled);
    CHECK(o.state == DeliveryState::Abandoned);
    CHECK(o.final());
  }
  CHECK(runner.idle());
  CHECK(no_children_left());
  CHECK(log.contains("[Stubborn] flowrt: process killed at shutdown"));
  CHECK_FALSE(log.contains("[Echo] flowrt:"));  // a clean exit at shutdown is not news

  runner.shutdown(100ms);  // idempotent
  CHECK_THROWS_AS(runner.submit(1, "d-late", "{}"), std::logic_error);
  CHECK(runner.poll(0, out) == 0);
}

TEST_CASE("bad configs and bad submits are refused", "[services][runner]") {
  CHECK_THROWS_AS(ExecRunner({service("", "true")}), std::invalid_argument);
  CHECK_THROWS_AS(ExecRunner({service("X", "")}), std::invalid_argument);
  ExecServiceConfig c = service("X", "true");
  c.concurrency = 0;
  CHECK_THROWS_AS(ExecRunner({c}), std::invalid_argument);
  c = service("X", "true");
  c.timeout_us = 0;
  CHECK_THROWS_AS(ExecRunner({c}), std::invalid_argument);

  ExecRunner runner({service("X", "cat")});
  runner.submit(0, "d-1", "{}");
  CHECK_THROWS_AS(runner.submit(0, "d-1", "{}"), std::invalid_argument);
  CHECK_THROWS_AS(runner.submit(0, "", "{}"), std::invalid_argument);
  CHECK_THROWS_AS(runner.submit(1, "d-2", "{}"), std::out_of_range);
  runner.shutdown(0ms);
}

TEST_CASE("the destructor leaves no process behind", "[services][runner]") {
  const std::size_t fds_before = open_fd_count();
  {
    ExecRunner runner({service("Stubborn", script_command("stubborn_service.py"))});
    runner.submit(0, "d-1", "{}");
    std::vector<AttemptOutcome> out;
    runner.poll(50, out);
    CHECK(runner.stats(0).pid > 0);
  }
  CHECK(no_children_left());
  CHECK(open_fd_count() == fds_before);
}
