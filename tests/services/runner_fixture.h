// Helpers for the exec runner tests: the test scripts' commands, a scratch
// working directory, a fake clock, a log capture, and loops that drive an
// ExecRunner until its work settles.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "services/exec_runner.h"

namespace flow::runtime::test {

/// `<python3> -u <tests/services/scripts/name>`.
std::string script_command(const std::string& script_name);

/// A fresh directory, removed with its contents at the end of the test.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A clock that only moves when told to; plugs into ExecRunnerOptions.
class FakeClock {
 public:
  explicit FakeClock(std::int64_t start_us = 1'000'000'000) : now_(std::make_shared<std::int64_t>(start_us)) {}
  ClockFn fn() const {
    return [now = now_] { return *now; };
  }
  void advance_us(std::int64_t us) { *now_ += us; }
  std::int64_t now_us() const { return *now_; }

 private:
  std::shared_ptr<std::int64_t> now_;
};

/// Collects log lines (and echoes none of them).
class LogCapture {
 public:
  ExecLogSink sink() const;
  std::vector<std::string> lines() const { return *lines_; }
  bool contains(const std::string& text) const;
  std::size_t count(const std::string& text) const;

 private:
  std::shared_ptr<std::vector<std::string>> lines_ = std::make_shared<std::vector<std::string>>();
};

/// Polls until the runner is idle or `limit` (real time) passes; `between`
/// runs after each poll (e.g. to move a fake clock). Returns every outcome.
std::vector<AttemptOutcome> drain(ExecRunner& runner, std::chrono::milliseconds limit = std::chrono::seconds(10),
                                  const std::function<void()>& between = {});

/// Polls until `done()` holds or `limit` passes; outcomes are appended to `out`.
bool poll_until(ExecRunner& runner, std::vector<AttemptOutcome>& out, const std::function<bool()>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(10));

/// The final outcome of each delivery id; fails the test if an id got more
/// than one, or if its attempts were not numbered 1, 2, 3...
std::map<std::string, AttemptOutcome> finals_by_id(const std::vector<AttemptOutcome>& outcomes);

/// An ExecServiceConfig with test-friendly defaults.
ExecServiceConfig service(const std::string& name, const std::string& command,
                          const std::filesystem::path& dir = {});

/// A CloudEvents-like event JSON with the given data JSON.
std::string event_with(const std::string& data_json);

/// True when this process has no children left, zombies included.
bool no_children_left();

/// How many file descriptors this process has open.
std::size_t open_fd_count();

}  // namespace flow::runtime::test
