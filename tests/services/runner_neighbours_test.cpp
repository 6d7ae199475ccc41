// ExecRunner with several deliveries in flight when one of them fails in a
// way that ends the process: the others are not charged for it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "runner_fixture.h"

using namespace flow::runtime;
using namespace flow::runtime::test;
using namespace std::chrono_literals;

namespace {

void touch(const std::filesystem::path& path) {
  std::ofstream(path).put('\n');
}

std::size_t count_outcomes(const std::vector<AttemptOutcome>& out, const std::string& id) {
  return static_cast<std::size_t>(
      std::count_if(out.begin(), out.end(), [&](const AttemptOutcome& o) { return o.delivery_id == id; }));
}

}  // namespace

TEST_CASE("a timeout fails only the delivery that timed out; the ones beside it go again uncharged",
          "[services][runner]") {
  ScratchDir dir;
  FakeClock clock;
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  options.monotonic_now_us = clock.fn();
  options.wall_now_us = clock.fn();
  options.restart_backoff_us = 0;  // the clock need not move for the restart
  ExecServiceConfig c = service("Busy", script_command("neighbours_service.py"), dir.path());
  c.timeout_us = 5'000'000;
  c.retry = 0;
  c.concurrency = 4;
  ExecRunner runner({c}, options);

  runner.submit(0, "d-hang", event_with(R"({"hang":true})"));
  std::vector<AttemptOutcome> out;
  REQUIRE(poll_until(runner, out, [&] { return std::filesystem::exists(dir.path() / "hung-d-hang"); }));
  // The healthy three start a second later, so their deadlines are later.
  clock.advance_us(1'000'000);
  for (const char* id : {"d-1", "d-2", "d-3"}) runner.submit(0, id, event_with("{}"));
  REQUIRE(poll_until(runner, out, [&] {
    return std::filesystem::exists(dir.path() / "seen-d-1") && std::filesystem::exists(dir.path() / "seen-d-2") &&
           std::filesystem::exists(dir.path() / "seen-d-3");
  }));
  CHECK(runner.in_flight() == 4);
  const pid_t first_pid = runner.stats(0).pid;

  clock.advance_us(4'000'000);  // d-hang's deadline; the others have a second left
  REQUIRE(poll_until(runner, out, [&] { return !out.empty(); }));
  REQUIRE(out.size() == 1);
  CHECK(out[0].delivery_id == "d-hang");
  CHECK(out[0].status == AttemptStatus::Timeout);
  CHECK(out[0].state == DeliveryState::DeadLettered);

  // The three went to a new process as attempt 1; let them answer.
  REQUIRE(poll_until(runner, out, [&] { return runner.stats(0).pid != 0 && runner.stats(0).pid != first_pid; }));
  touch(dir.path() / "go");
  auto rest = drain(runner);
  out.insert(out.end(), rest.begin(), rest.end());
  const auto finals = finals_by_id(out);
  REQUIRE(finals.size() == 4);
  for (const char* id : {"d-1", "d-2", "d-3"}) {
    INFO(id);
    CHECK(count_outcomes(out, id) == 1);  // no failed attempt reported for the cut one
    CHECK(finals.at(id).state == DeliveryState::Delivered);
    CHECK(finals.at(id).attempt == 1);
    CHECK(log.contains("[Busy] flowrt: delivery " + std::string(id) +
                       " is sent again, not counted as an attempt: process killed: delivery d-hang got no answer "
                       "within 5 s"));
  }
  CHECK(runner.stats(0).starts == 2);
  CHECK(runner.stats(0).attempts == 4);
  CHECK(runner.stats(0).resent == 3);
  CHECK(runner.stats(0).dead_lettered == 1);
  runner.shutdown(2s);
  CHECK(no_children_left());
}

TEST_CASE("a process that dies with several deliveries in flight: each goes again alone, only the culprit fails",
          "[services][runner]") {
  ScratchDir dir;
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  options.restart_backoff_us = 1000;
  ExecServiceConfig c = service("Fragile", script_command("neighbours_service.py"), dir.path());
  c.retry = 0;
  c.concurrency = 4;
  ExecRunner runner({c}, options);
  runner.submit(0, "d-crash", event_with(R"({"crash_after":3})"));
  for (const char* id : {"d-1", "d-2", "d-3"}) runner.submit(0, id, event_with("{}"));

  // The process dies once the other three are in flight on it: not one of
  // the four is charged, and the first to go again alone is d-crash.
  std::vector<AttemptOutcome> out;
  REQUIRE(poll_until(runner, out, [&] { return !out.empty(); }));
  REQUIRE(out.size() == 1);
  CHECK(out[0].delivery_id == "d-crash");
  CHECK(out[0].status == AttemptStatus::ProcessDied);
  CHECK(out[0].state == DeliveryState::DeadLettered);
  CHECK(out[0].attempt == 1);
  CHECK(runner.stats(0).starts == 2);
  CHECK(log.contains(
      "[Fragile] flowrt: delivery d-1 is sent again, not counted as an attempt: process exited with status 3 with 4 "
      "deliveries in flight"));

  touch(dir.path() / "go");
  auto rest = drain(runner);
  out.insert(out.end(), rest.begin(), rest.end());
  const auto finals = finals_by_id(out);
  REQUIRE(finals.size() == 4);
  for (const char* id : {"d-1", "d-2", "d-3"}) {
    INFO(id);
    CHECK(count_outcomes(out, id) == 1);
    CHECK(finals.at(id).state == DeliveryState::Delivered);
    CHECK(finals.at(id).attempt == 1);
  }
  CHECK(runner.stats(0).starts == 3);
  CHECK(runner.stats(0).resent == 4);
  runner.shutdown(2s);
  CHECK(no_children_left());
}
