// ExecRunner's retry schedule (on a fake clock) and its bookkeeping under a
// mixed load: every delivery settles exactly once, with attempts numbered
// in order.
#include <catch2/catch.hpp>
#include <ctime>
#include <random>

#include "runner_fixture.h"

using namespace flow::runtime;
using namespace flow::runtime::test;
using namespace std::chrono_literals;

TEST_CASE("retries back off exponentially up to the cap, then dead-letter", "[services][runner][retry]") {
  FakeClock clock;
  ExecRunnerOptions options;
  options.monotonic_now_us = clock.fn();
  options.wall_now_us = clock.fn();
  ExecServiceConfig c = service("Grumpy", script_command("echo_service.py"));
  c.retry = 4;
  c.backoff_us = 1'000'000;
  c.backoff_cap_us = 3'000'000;
  ExecRunner runner({c}, options);
  runner.submit(0, "d-1", event_with(R"({"error":"credit bureau unavailable"})"));

  // Move the clock in 250 ms steps, but only while nothing is in flight, so
  // no attempt can time out while the real process works.
  constexpr std::int64_t kStep = 250'000;
  const auto outcomes = drain(runner, 10s, [&] {
    if (runner.in_flight() == 0) clock.advance_us(kStep);
  });
  REQUIRE(outcomes.size() == 5);
  finals_by_id(outcomes);
  const std::int64_t expected_delay[] = {1'000'000, 2'000'000, 3'000'000, 3'000'000};
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const AttemptOutcome& o = outcomes[i];
    INFO("attempt " << o.attempt);
    CHECK(o.attempt == i + 1);
    CHECK(o.status == AttemptStatus::ServiceError);
    CHECK(o.error == "credit bureau unavailable");
    CHECK(o.ended_us >= o.started_us);
    if (i + 1 < outcomes.size()) {
      CHECK(o.state == DeliveryState::Retrying);
      CHECK(o.next_attempt_us == o.ended_us + expected_delay[i]);
      const std::int64_t gap = outcomes[i + 1].started_us - o.ended_us;
      CHECK(gap >= expected_delay[i]);
      CHECK(gap <= expected_delay[i] + kStep);
    } else {
      CHECK(o.state == DeliveryState::DeadLettered);
      CHECK(o.next_attempt_us == 0);
    }
  }
  // An error answer is a valid answer: the process was never restarted.
  CHECK(runner.stats(0).starts == 1);
  CHECK(runner.stats(0).dead_lettered == 1);
  runner.shutdown(2s);
}

TEST_CASE("a due retry goes before fresh deliveries", "[services][runner][retry]") {
  FakeClock clock;
  ExecRunnerOptions options;
  options.monotonic_now_us = clock.fn();
  options.wall_now_us = clock.fn();
  ExecServiceConfig c = service("Echo", script_command("echo_service.py"));
  c.retry = 1;
  c.backoff_us = 1'000'000;
  ExecRunner runner({c}, options);
  runner.submit(0, "d-fail", event_with(R"({"error":"once"})"));
  std::vector<AttemptOutcome> out;
  REQUIRE(poll_until(runner, out, [&] { return out.size() == 1; }));
  runner.submit(0, "d-new", event_with("{}"));
  // d-new runs while d-fail waits out its backoff...
  REQUIRE(poll_until(runner, out, [&] { return out.size() == 2; }));
  CHECK(out[1].delivery_id == "d-new");
  runner.submit(0, "d-newer", event_with("{}"));
  clock.advance_us(1'000'000);
  // ...and once the backoff is over, the retry is taken before d-newer.
  REQUIRE(poll_until(runner, out, [&] { return out.size() == 4; }));
  CHECK(out[2].delivery_id == "d-fail");
  CHECK(out[2].attempt == 2);
  CHECK(out[2].state == DeliveryState::DeadLettered);
  CHECK(out[3].delivery_id == "d-newer");
  runner.shutdown(2s);
}

TEST_CASE("under a mixed load every delivery settles exactly once", "[services][runner][retry]") {
  ScratchDir dir;
  ExecRunnerOptions options;
  options.log = LogCapture().sink();
  options.restart_backoff_us = 5'000;
  options.validator = [](std::size_t, const std::vector<RawEmit>& emits) -> std::optional<EmitRejection> {
    for (const RawEmit& e : emits)
      if (e.type == "Sneaky") return EmitRejection{AttemptStatus::UndeclaredEvent, "undeclared event type 'Sneaky'"};
    return std::nullopt;
  };
  ExecServiceConfig echo = service("Echo", script_command("echo_service.py"), dir.path());
  echo.concurrency = 4;
  echo.retry = 2;
  echo.backoff_us = 1'000;
  ExecServiceConfig fragile = service("Fragile", script_command("crash_once_service.py"), dir.path());
  fragile.retry = 1;
  fragile.backoff_us = 1'000;
  ExecServiceConfig shuffle = service("Shuffle", script_command("out_of_order_service.py"), dir.path());
  shuffle.concurrency = 3;
  ExecServiceConfig junk = service("Junk", script_command("garbage_service.py"), dir.path());
  ExecRunner runner({echo, fragile, shuffle, junk}, options);

  std::mt19937 rng(42);
  std::map<std::string, DeliveryState> expected;
  std::vector<AttemptOutcome> outcomes;
  int next_id = 0;
  for (int i = 0; i < 80; ++i) {
    const std::string id = "d-" + std::to_string(next_id++);
    switch (rng() % 4) {
      case 0: {
        const unsigned kind = rng() % 3;
        runner.submit(0, id,
                      event_with(kind == 0   ? R"({"n":1})"
                                 : kind == 1 ? R"({"error":"nope"})"
                                             : R"({"emit_type":"Sneaky"})"));
        expected[id] = kind == 0 ? DeliveryState::Delivered : DeliveryState::DeadLettered;
        break;
      }
      case 1: {
        const bool crash = rng() % 3 == 0;
        runner.submit(1, id, event_with(crash ? R"({"crash":true})" : "{}"));
        expected[id] = DeliveryState::Delivered;
        break;
      }
      case 2:
        runner.submit(2, id, event_with("{\"n\":" + std::to_string(i) + "}"));
        expected[id] = DeliveryState::Delivered;
        break;
      default: {
        const bool bad = rng() % 2 == 0;
        runner.submit(3, id, event_with(bad ? R"({"mode":"notjson"})" : R"({"mode":"ok"})"));
        expected[id] = bad ? DeliveryState::DeadLettered : DeliveryState::Delivered;
      }
    }
    // Keep work arriving while other work is under way.
    if (i % 10 == 9) runner.poll(5, outcomes);
  }
  const auto rest = drain(runner, 15s);
  outcomes.insert(outcomes.end(), rest.begin(), rest.end());
  const auto finals = finals_by_id(outcomes);
  CHECK(finals.size() == expected.size());
  for (const auto& [id, state] : expected) {
    INFO(id);
    REQUIRE(finals.count(id) == 1);
    CHECK(finals.at(id).state == state);
  }
  // Every attempt made was reported.
  std::uint64_t attempts = 0;
  for (std::size_t s = 0; s < runner.service_count(); ++s) attempts += runner.stats(s).attempts;
  CHECK(attempts == outcomes.size());
  runner.shutdown(2s);
  CHECK(no_children_left());
}

TEST_CASE("waiting for a retry does not spin", "[services][runner][retry]") {
  // The process dies after having answered, so it may restart at once; the
  // retry still has to wait out its backoff. poll() must sleep meanwhile.
  ScratchDir dir;
  ExecRunnerOptions options;
  options.log = LogCapture().sink();
  ExecServiceConfig c = service("Fragile", script_command("crash_once_service.py"), dir.path());
  c.retry = 1;
  c.backoff_us = 600'000;
  ExecRunner runner({c}, options);
  runner.submit(0, "d-1", event_with("{}"));
  runner.submit(0, "d-2", event_with(R"({"crash":true})"));
  std::vector<AttemptOutcome> out;
  REQUIRE(poll_until(runner, out, [&] { return out.size() == 2; }));
  REQUIRE(out[1].state == DeliveryState::Retrying);
  const std::clock_t cpu_before = std::clock();
  const auto wall_before = std::chrono::steady_clock::now();
  REQUIRE(poll_until(runner, out, [&] { return out.size() == 3; }));
  const double cpu_s = double(std::clock() - cpu_before) / CLOCKS_PER_SEC;
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
  CHECK(wall_s >= 0.5);
  CHECK(cpu_s < 0.25 * wall_s);
  CHECK(out[2].state == DeliveryState::Delivered);
  runner.shutdown(2s);
}
