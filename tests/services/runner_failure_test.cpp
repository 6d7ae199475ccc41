// ExecRunner against misbehaving services: crashes, hangs, garbage on
// stdout, a closed stdout, a process killed from outside, a crash loop and a
// command that cannot start.
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>

#include "runner_fixture.h"

using namespace flow::runtime;
using namespace flow::runtime::test;
using namespace std::chrono_literals;

TEST_CASE("a crash fails the attempt in flight; the restarted process takes the retry", "[services][runner]") {
  ScratchDir dir;
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  // Both ways of noticing an exit: pidfd, and the periodic check.
  options.use_pidfd = GENERATE(true, false);
  ExecServiceConfig c = service("Fragile", script_command("crash_once_service.py"), dir.path());
  c.retry = 1;
  const std::size_t fds_before = open_fd_count();
  auto runner_ptr = std::make_unique<ExecRunner>(std::vector<ExecServiceConfig>{c}, options);
  ExecRunner& runner = *runner_ptr;
  runner.submit(0, "d-1", event_with("{}"));
  runner.submit(0, "d-2", event_with(R"({"crash":true})"));
  runner.submit(0, "d-3", event_with("{}"));
  const auto outcomes = drain(runner);
  const auto finals = finals_by_id(outcomes);
  REQUIRE(finals.size() == 3);
  for (const auto& [id, o] : finals) CHECK(o.state == DeliveryState::Delivered);
  CHECK(finals.at("d-1").attempt == 1);
  CHECK(finals.at("d-2").attempt == 2);
  CHECK(finals.at("d-3").attempt == 1);

  const auto first = std::find_if(outcomes.begin(), outcomes.end(),
                                  [](const AttemptOutcome& o) { return o.delivery_id == "d-2"; });
  REQUIRE(first != outcomes.end());
  CHECK(first->status == AttemptStatus::ProcessDied);
  CHECK(first->state == DeliveryState::Retrying);
  CHECK(first->error == "process exited with status 3");
  CHECK(first->next_attempt_us >= first->ended_us);
  // The process ran in the configured working directory.
  CHECK(std::filesystem::exists(dir.path() / "crashed-d-2"));
  CHECK(runner.stats(0).starts == 2);
  CHECK(runner.stats(0).deaths == 1);
  CHECK(log.contains("[Fragile] about to crash on d-2"));
  CHECK(log.contains("[Fragile] flowrt: process exited with status 3"));
  runner.shutdown(2s);
  CHECK(no_children_left());
  runner_ptr.reset();
  CHECK(open_fd_count() == fds_before);  // the dead process's pipes were closed too
}

TEST_CASE("a timeout fails the attempt and replaces the process", "[services][runner]") {
  ScratchDir dir;
  FakeClock clock;
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  options.monotonic_now_us = clock.fn();
  options.wall_now_us = clock.fn();
  ExecServiceConfig c = service("Sleepy", script_command("hang_once_service.py"), dir.path());
  c.timeout_us = 5'000'000;
  c.retry = 2;
  c.backoff_us = 1'000'000;
  ExecRunner runner({c}, options);
  runner.submit(0, "d-1", event_with(R"({"hang":true})"));

  std::vector<AttemptOutcome> out;
  REQUIRE(poll_until(runner, out, [&] { return std::filesystem::exists(dir.path() / "hung-d-1"); }));
  REQUIRE(out.empty());
  const pid_t hung_pid = runner.stats(0).pid;
  clock.advance_us(4'999'000);
  runner.poll(20, out);
  CHECK(out.empty());  // not yet
  clock.advance_us(1'000);
  runner.poll(20, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].status == AttemptStatus::Timeout);
  CHECK(out[0].error == "no answer within 5 s");
  CHECK(out[0].state == DeliveryState::Retrying);
  CHECK(out[0].ended_us - out[0].started_us == 5'000'000);
  CHECK(out[0].next_attempt_us == out[0].ended_us + 1'000'000);
  CHECK(runner.stats(0).pid == 0);  // killed
  CHECK(log.contains("[Sleepy] flowrt: process killed: delivery d-1 got no answer within 5 s"));

  // The retry waits for its backoff, then goes to a new process.
  runner.poll(20, out);
  CHECK(runner.in_flight() == 0);
  clock.advance_us(1'000'000);
  REQUIRE(poll_until(runner, out, [&] { return out.size() == 2; }));
  CHECK(out[1].status == AttemptStatus::Ok);
  CHECK(out[1].attempt == 2);
  CHECK(out[1].state == DeliveryState::Delivered);
  CHECK(runner.stats(0).starts == 2);
  CHECK(runner.stats(0).pid != hung_pid);
  runner.shutdown(2s);
  CHECK(no_children_left());
  CHECK(::kill(hung_pid, 0) != 0);  // gone and reaped
}

TEST_CASE("garbage on stdout fails the delivery it belongs to", "[services][runner]") {
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  options.max_answer_line = 64 * 1024;
  // `exec` so that closing stdout really closes the pipe (no shell holds it).
  ExecRunner runner({service("Junk", "exec " + script_command("garbage_service.py"))}, options);
  const std::vector<std::pair<std::string, AttemptStatus>> modes = {
      {"ok", AttemptStatus::Ok},
      {"notjson", AttemptStatus::Malformed},
      {"noid", AttemptStatus::Malformed},
      {"unknownid", AttemptStatus::Malformed},
      {"neither", AttemptStatus::Malformed},
      {"both", AttemptStatus::Malformed},
      {"nodata", AttemptStatus::Malformed},
      {"emitobject", AttemptStatus::Malformed},
      {"trailing", AttemptStatus::Malformed},
      {"twice", AttemptStatus::Ok},
      {"longline", AttemptStatus::Malformed},
      {"blank", AttemptStatus::Ok},
      {"ok", AttemptStatus::Ok},
      {"closestdout", AttemptStatus::ProcessDied},
  };
  for (std::size_t i = 0; i < modes.size(); ++i)
    runner.submit(0, "d-" + std::to_string(i), event_with("{\"mode\":\"" + modes[i].first + "\"}"));
  const auto finals = finals_by_id(drain(runner));
  REQUIRE(finals.size() == modes.size());
  for (std::size_t i = 0; i < modes.size(); ++i) {
    const AttemptOutcome& o = finals.at("d-" + std::to_string(i));
    INFO(modes[i].first << ": " << o.error);
    CHECK(o.status == modes[i].second);
    CHECK(o.state == (o.status == AttemptStatus::Ok ? DeliveryState::Delivered : DeliveryState::DeadLettered));
  }
  CHECK_THAT(finals.at("d-1").error, Catch::Contains("not valid JSON") && Catch::Contains("hello, this is not JSON"));
  CHECK_THAT(finals.at("d-2").error, Catch::Contains("no \"id\""));
  CHECK_THAT(finals.at("d-3").error, Catch::Contains("unknown delivery id \"never-sent\""));
  CHECK_THAT(finals.at("d-4").error, Catch::Contains("neither"));
  CHECK_THAT(finals.at("d-10").error, Catch::Contains("line longer than 65536 bytes"));
  CHECK(finals.at("d-10").error.size() < 400);
  CHECK(finals.at("d-13").error == "process closed its stdout; killed");
  // The second answer of "twice", and the good answer after the long line,
  // came for deliveries no longer in flight.
  CHECK(log.contains("[Junk] flowrt: ignored an answer for delivery d-9, which is not in flight"));
  CHECK(log.contains("[Junk] flowrt: ignored an answer for delivery d-10, which is not in flight"));
  CHECK(log.contains("[Junk] flowrt: output that is not an answer (not valid JSON): hello, this is not JSON"));
  CHECK(runner.stats(0).starts == 1);  // garbage alone does not restart the process
  runner.shutdown(2s);
  CHECK(no_children_left());
}

TEST_CASE("with concurrency above 1, unattributable output fails nothing", "[services][runner]") {
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  ExecServiceConfig c = service("Junk", script_command("garbage_service.py"));
  c.concurrency = 2;
  ExecRunner runner({c}, options);
  runner.submit(0, "d-1", event_with(R"({"mode":"noid"})"));
  std::vector<AttemptOutcome> out;
  REQUIRE(poll_until(runner, out, [&] { return log.contains("output that is not an answer"); }));
  CHECK(out.empty());
  CHECK(runner.in_flight() == 1);  // d-1 waits for its timeout
  runner.shutdown(1s);
}

TEST_CASE("a process killed from outside fails its deliveries and is restarted", "[services][runner]") {
  ScratchDir dir;
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  options.use_pidfd = GENERATE(true, false);
  ExecServiceConfig c = service("Victim", script_command("hang_once_service.py"), dir.path());
  c.retry = 1;
  ExecRunner runner({c}, options);
  runner.submit(0, "d-1", event_with(R"({"hang":true})"));
  std::vector<AttemptOutcome> out;
  REQUIRE(poll_until(runner, out, [&] { return std::filesystem::exists(dir.path() / "hung-d-1"); }));
  // The shell (the process the runner started) dies; its Python child must
  // be killed along with it.
  REQUIRE(::kill(runner.stats(0).pid, SIGKILL) == 0);
  const auto finals = finals_by_id([&] {
    auto rest = drain(runner);
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
  }());
  REQUIRE(out.size() == 2);
  CHECK(out[0].status == AttemptStatus::ProcessDied);
  CHECK_THAT(out[0].error, Catch::StartsWith("process was killed by signal 9"));
  CHECK(finals.at("d-1").state == DeliveryState::Delivered);
  CHECK(finals.at("d-1").attempt == 2);
  runner.shutdown(2s);
  CHECK(no_children_left());
}

TEST_CASE("a process that dies at start is restarted with growing delays, not in a loop", "[services][runner]") {
  FakeClock clock;
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  options.monotonic_now_us = clock.fn();
  options.wall_now_us = clock.fn();
  options.restart_backoff_us = 1'000'000;
  options.restart_backoff_cap_us = 3'000'000;
  ExecServiceConfig c = service("Looper", "echo boom >&2; exit 7");
  c.retry = 4;
  c.backoff_us = 0;  // only the restart throttle spaces the attempts
  ExecRunner runner({c}, options);
  runner.submit(0, "d-1", event_with("{}"));

  std::vector<AttemptOutcome> out;
  // Start n+1 may come only after the n-th restart delay: 1 s, 2 s, 3 s, 3 s.
  const std::int64_t delays[] = {1'000'000, 2'000'000, 3'000'000, 3'000'000};
  REQUIRE(poll_until(runner, out, [&] { return out.size() == 1; }));
  for (const std::int64_t delay : delays) {
    const std::uint64_t starts = runner.stats(0).starts;
    for (int i = 0; i < 5; ++i) runner.poll(10, out);  // real time passes, the clock does not
    CHECK(runner.stats(0).starts == starts);
    clock.advance_us(delay - 1);
    runner.poll(10, out);
    CHECK(runner.stats(0).starts == starts);
    clock.advance_us(1);
    const std::size_t seen = out.size();
    REQUIRE(poll_until(runner, out, [&] { return out.size() == seen + 1; }));
    CHECK(runner.stats(0).starts == starts + 1);
  }
  REQUIRE(out.size() == 5);
  for (const AttemptOutcome& o : out) {
    CHECK(o.status == AttemptStatus::ProcessDied);
    CHECK(o.error == "process exited with status 7");
  }
  CHECK(out.back().state == DeliveryState::DeadLettered);
  CHECK(runner.stats(0).starts == 5);
  CHECK(runner.idle());
  CHECK(log.count("[Looper] boom") == 5);
  // With no work, a dead service is not restarted at all.
  clock.advance_us(60'000'000);
  runner.poll(50, out);
  CHECK(runner.stats(0).starts == 5);
  runner.shutdown(1s);
  CHECK(no_children_left());
}

TEST_CASE("a command that cannot start dead-letters its deliveries", "[services][runner]") {
  LogCapture log;
  ExecRunnerOptions options;
  options.log = log.sink();
  options.restart_backoff_us = 1000;
  ExecServiceConfig c = service("Nowhere", "true", "/nonexistent/flow-test-dir");
  c.retry = 2;
  ExecServiceConfig missing = service("Missing", "/nonexistent/flow-test-binary");
  ExecRunner runner({c, missing}, options);
  runner.submit(0, "d-1", event_with("{}"));
  runner.submit(1, "d-2", event_with("{}"));
  const auto outcomes = drain(runner);
  const auto finals = finals_by_id(outcomes);
  const AttemptOutcome& a = finals.at("d-1");
  CHECK(a.status == AttemptStatus::StartFailed);
  CHECK(a.state == DeliveryState::DeadLettered);
  CHECK(a.attempt == 3);
  CHECK_THAT(a.error, Catch::Contains("/nonexistent/flow-test-dir"));
  CHECK(runner.stats(0).start_failures == 3);
  CHECK(log.contains("[Nowhere] flowrt: working directory"));
  // The shell starts fine and reports the missing program: exit status 127.
  const AttemptOutcome& b = finals.at("d-2");
  CHECK(b.status == AttemptStatus::ProcessDied);
  CHECK(b.error == "process exited with status 127");
  CHECK(log.contains("[Missing] "));
  runner.shutdown(1s);
  CHECK(no_children_left());
}
