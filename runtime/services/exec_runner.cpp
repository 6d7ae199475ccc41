// ExecRunner's public face: configuration checks, submit(), the poll() loop
// that alternates timers and I/O, and the orderly shutdown.
#include "services/exec_runner.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <iostream>
#include <iterator>
#include <limits>
#include <stdexcept>

#include "services/exec_runner_state.h"

namespace flow::runtime {

namespace {

using SteadyClock = std::chrono::steady_clock;

// After SIGTERM, how long a service gets before SIGKILL.
constexpr std::chrono::milliseconds kTermGrace{500};

// Without pidfds (or with killed children still to reap) exits are noticed
// by polling; this bounds how late.
constexpr int kExitCheckMs = 50;

void check_config(const ExecServiceConfig& c) {
  const auto bad = [&](const std::string& what) {
    throw std::invalid_argument("exec service '" + c.name + "': " + what);
  };
  if (c.name.empty()) throw std::invalid_argument("exec service without a name");
  if (c.command.empty()) bad("empty command");
  if (c.timeout_us <= 0) bad("timeout must be positive");
  if (c.backoff_us < 0 || c.backoff_cap_us < 0) bad("backoff must not be negative");
  if (c.concurrency == 0) bad("concurrency must be at least 1");
}

std::int64_t steady_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now().time_since_epoch()).count();
}

std::int64_t system_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void ExecRunner::State::log(std::size_t svc, LogKind kind, std::string_view text) const {
  std::string line = "[" + services[svc].config.name + "] ";
  if (kind == LogKind::RunnerNote) line += "flowrt: ";
  line += text;
  options.log(LogLine{kind, svc, line});
}

std::size_t ExecRunner::State::pending() const {
  std::size_t n = 0;
  for (const ServiceState& s : services) n += s.deliveries.size();
  return n;
}

ExecRunner::ExecRunner(std::vector<ExecServiceConfig> services, ExecRunnerOptions options)
    : state_(std::make_unique<State>()) {
  for (const ExecServiceConfig& c : services) check_config(c);
  if (!options.log) options.log = [](const LogLine& l) { std::cerr << l.line << '\n'; };
  if (!options.monotonic_now_us) options.monotonic_now_us = steady_now_us;
  if (!options.wall_now_us) options.wall_now_us = system_now_us;
  options.restart_backoff_us = std::max<std::int64_t>(options.restart_backoff_us, 0);
  state_->options = std::move(options);
  state_->services.reserve(services.size());
  for (ExecServiceConfig& c : services) state_->services.emplace_back(std::move(c));
  ignore_sigpipe_once();
}

ExecRunner::~ExecRunner() {
  State& st = *state_;
  if (st.shut_down) return;
  // No orderly shutdown happened (an exception is unwinding, most likely):
  // leave no process and no zombie behind, without waiting.
  st.shut_down = true;
  st.draining = true;
  for (ServiceState& s : st.services) {
    if (!s.process) continue;
    kill_group(s.process->child.pid, SIGKILL);
    reap_blocking(s.process->child.pid);
    s.process.reset();
  }
  for (const pid_t pid : st.zombies) reap_blocking(pid);
}

std::size_t ExecRunner::service_count() const {
  return state_->services.size();
}

const ExecServiceConfig& ExecRunner::service(std::size_t service_index) const {
  return state_->services.at(service_index).config;
}

std::optional<std::size_t> ExecRunner::find_service(std::string_view name) const {
  for (std::size_t i = 0; i < state_->services.size(); ++i)
    if (state_->services[i].config.name == name) return i;
  return std::nullopt;
}

void ExecRunner::submit(std::size_t service_index, std::string delivery_id, std::string_view event_json) {
  State& st = *state_;
  if (st.shut_down) throw std::logic_error("ExecRunner::submit after shutdown");
  ServiceState& s = st.services.at(service_index);
  if (delivery_id.empty()) throw std::invalid_argument("empty delivery id");
  if (s.deliveries.count(delivery_id) != 0)
    throw std::invalid_argument("delivery '" + delivery_id + "' is already pending at service '" + s.config.name + "'");
  Delivery d;
  d.id = delivery_id;
  d.seq = st.next_seq++;
  d.request = encode_request(delivery_id, event_json);
  s.deliveries.emplace(delivery_id, std::move(d));
  s.fresh.push_back(std::move(delivery_id));
}

std::size_t ExecRunner::poll(int timeout_ms, std::vector<AttemptOutcome>& out, std::span<const int> wake_fds) {
  State& st = *state_;
  if (st.shut_down) return 0;
  const bool unlimited = timeout_ms < 0;
  const auto real_deadline = SteadyClock::now() + std::chrono::milliseconds(std::max(timeout_ms, 0));
  bool waited = false;
  for (;;) {
    st.step();
    if (!st.outbox.empty()) break;
    if (unlimited ? st.pending() == 0 && wake_fds.empty() : waited && SteadyClock::now() >= real_deadline) break;

    // Sleep in poll(2) until I/O, the next timer on the runner's clock, or
    // the caller's deadline, whichever comes first.
    std::int64_t wait_ms = INT_MAX;
    const std::int64_t next = st.next_timer();
    if (next != std::numeric_limits<std::int64_t>::max())
      wait_ms = std::max<std::int64_t>(0, (next - st.mono() + 999) / 1000);
    if (!unlimited) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(real_deadline - SteadyClock::now()).count();
      wait_ms = std::min<std::int64_t>(wait_ms, std::max<std::int64_t>(left, 0));
    }
    if (st.needs_frequent_wakeups()) wait_ms = std::min<std::int64_t>(wait_ms, kExitCheckMs);
    const bool woken = st.io_wait(wait_ms >= INT_MAX ? -1 : static_cast<int>(wait_ms), wake_fds);
    waited = true;
    if (woken) {
      st.step();  // what the I/O just read may have settled deliveries
      break;
    }
  }
  const std::size_t n = st.outbox.size();
  std::move(st.outbox.begin(), st.outbox.end(), std::back_inserter(out));
  st.outbox.clear();
  return n;
}

std::size_t ExecRunner::in_flight() const {
  std::size_t n = 0;
  for (const ServiceState& s : state_->services) n += s.in_flight.size();
  return n;
}

std::size_t ExecRunner::pending() const {
  return state_->pending();
}

ExecServiceStats ExecRunner::stats(std::size_t service_index) const {
  return state_->services.at(service_index).stats;
}

bool ExecRunner::State::any_process() const {
  return std::any_of(services.begin(), services.end(), [](const ServiceState& s) { return s.process.has_value(); });
}

void ExecRunner::State::wait_for_exits(std::int64_t until_ms_from_now) {
  const auto until = SteadyClock::now() + std::chrono::milliseconds(until_ms_from_now);
  while (any_process()) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - SteadyClock::now()).count();
    if (left <= 0) break;
    io_wait(static_cast<int>(std::min<std::int64_t>(left, kExitCheckMs)));
  }
}

void ExecRunner::shutdown(std::chrono::milliseconds grace, std::vector<AttemptOutcome>& out) {
  State& st = *state_;
  if (st.shut_down) return;
  st.shut_down = true;
  st.draining = true;

  // Report every unsettled delivery, in submission order per service.
  const std::int64_t now_wall = st.wall();
  for (std::size_t i = 0; i < st.services.size(); ++i) {
    ServiceState& s = st.services[i];
    std::vector<const Delivery*> open;
    for (const auto& [id, d] : s.deliveries) open.push_back(&d);
    std::sort(open.begin(), open.end(), [](const Delivery* a, const Delivery* b) { return a->seq < b->seq; });
    for (const Delivery* d : open) {
      AttemptOutcome o;
      o.delivery_id = d->id;
      o.service_index = i;
      o.service = s.config.name;
      o.attempt = d->in_flight ? d->attempts : d->attempts + 1;
      o.started_us = d->in_flight ? d->started_wall : now_wall;
      o.ended_us = now_wall;
      o.status = AttemptStatus::Cancelled;
      o.error = "the runtime shut down before the delivery settled";
      o.state = DeliveryState::Abandoned;
      out.push_back(std::move(o));
    }
    s.deliveries.clear();
    s.fresh.clear();
    s.retry_due.clear();
    s.in_flight.clear();
    s.suspects = 0;
    // EOF on stdin is the polite way to ask a line-reading service to exit.
    if (s.process) {
      s.process->child.stdin_fd.reset();
      s.process->outbuf.clear();
      s.process->out_off = 0;
    }
  }

  st.wait_for_exits(grace.count());
  for (ServiceState& s : st.services)
    if (s.process) kill_group(s.process->child.pid, SIGTERM);
  if (st.any_process()) st.wait_for_exits(kTermGrace.count());
  for (std::size_t i = 0; i < st.services.size(); ++i)
    if (st.services[i].process) st.end_process(i, EndKind::Killed, "process killed at shutdown");
  for (const pid_t pid : st.zombies) reap_blocking(pid);
  st.zombies.clear();
}

void ExecRunner::shutdown(std::chrono::milliseconds grace) {
  std::vector<AttemptOutcome> dropped;
  shutdown(grace, dropped);
}

}  // namespace flow::runtime
