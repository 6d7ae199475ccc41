// Helpers for the exec runner tests (see runner_fixture.h).
#include "runner_fixture.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cerrno>

namespace flow::runtime::test {

std::string script_command(const std::string& script_name) {
  return "'" + std::string(FLOW_PYTHON) + "' -u '" + std::string(FLOW_SERVICE_SCRIPTS_DIR) + "/" + script_name + "'";
}

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("flow-services-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

ExecLogSink LogCapture::sink() const {
  return [lines = lines_](const LogLine& l) { lines->emplace_back(l.line); };
}

bool LogCapture::contains(const std::string& text) const { return count(text) > 0; }

std::size_t LogCapture::count(const std::string& text) const {
  std::size_t n = 0;
  for (const std::string& l : *lines_) n += l.find(text) != std::string::npos;
  return n;
}

std::vector<AttemptOutcome> drain(ExecRunner& runner, std::chrono::milliseconds limit,
                                  const std::function<void()>& between) {
  std::vector<AttemptOutcome> out;
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!runner.idle() && std::chrono::steady_clock::now() < until) {
    runner.poll(20, out);
    if (between) between();
  }
  CHECK(runner.idle());
  return out;
}

bool poll_until(ExecRunner& runner, std::vector<AttemptOutcome>& out, const std::function<bool()>& done,
                std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    runner.poll(20, out);
  }
  return true;
}

std::map<std::string, AttemptOutcome> finals_by_id(const std::vector<AttemptOutcome>& outcomes) {
  std::map<std::string, AttemptOutcome> finals;
  std::map<std::string, std::uint32_t> last_attempt;
  for (const AttemptOutcome& o : outcomes) {
    INFO("delivery " << o.delivery_id << " attempt " << o.attempt);
    CHECK(finals.count(o.delivery_id) == 0);  // nothing after the final outcome
    CHECK(o.attempt == last_attempt[o.delivery_id] + 1);
    last_attempt[o.delivery_id] = o.attempt;
    CHECK(o.ended_us >= o.started_us);
    if (o.final()) finals.emplace(o.delivery_id, o);
  }
  return finals;
}

ExecServiceConfig service(const std::string& name, const std::string& command, const std::filesystem::path& dir) {
  ExecServiceConfig c;
  c.name = name;
  c.command = command;
  c.working_dir = dir;
  c.timeout_us = 10'000'000;
  c.backoff_us = 10'000;
  return c;
}

std::string event_with(const std::string& data_json) {
  return "{\"specversion\":\"1.0\",\"type\":\"Thing\",\"id\":\"e-1\",\"data\":" + data_json + "}";
}

std::size_t open_fd_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

bool no_children_left() {
  errno = 0;
  return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

}  // namespace flow::runtime::test
