// The delivery side of ExecRunner: queues, starting attempts up to the
// concurrency limit, timeouts, matching answers to deliveries, retries with
// backoff and the final delivered / dead-lettered verdict.
#include <algorithm>
#include <exception>
#include <limits>

#include "base/json_string.h"
#include "services/attempt_queue.h"
#include "services/backoff.h"
#include "services/exec_runner_state.h"
#include "services/text_snippet.h"

namespace flow::runtime {

namespace {

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

std::string format_duration_us(std::int64_t us) {
  if (us % 1'000'000 == 0) return std::to_string(us / 1'000'000) + " s";
  if (us % 1000 == 0) return std::to_string(us / 1000) + " ms";
  return std::to_string(us) + " us";
}

void ExecRunner::State::step() {
  reap_zombies();
  const std::int64_t now = mono();
  for (std::size_t i = 0; i < services.size(); ++i) {
    check_timeouts(i, now);
    dispatch(i, now);
  }
  end_finished_processes();
}

void ExecRunner::State::check_timeouts(std::size_t svc, std::int64_t now) {
  ServiceState& s = services[svc];
  std::vector<std::string> expired;
  for (const std::string& id : s.in_flight)
    if (s.deliveries.at(id).deadline <= now) expired.push_back(id);
  if (expired.empty()) return;
  const std::string limit = format_duration_us(s.config.timeout_us);
  for (const std::string& id : expired) fail_attempt(svc, id, AttemptStatus::Timeout, "no answer within " + limit);
  // An unresponsive process cannot be trusted to answer later (or at all):
  // replace it. What else was in flight on it is sent again, uncharged.
  if (s.process)
    end_process(svc, EndKind::Killed, "process killed: delivery " + expired.front() + " got no answer within " + limit);
}

void ExecRunner::State::dispatch(std::size_t svc, std::int64_t now) {
  ServiceState& s = services[svc];
  while (s.in_flight.size() < s.slots() && has_ready(s, now)) {
    if (!s.process) {
      if (now < s.restart_not_before) break;  // crash-loop throttle
      std::string error;
      if (!start_process(svc, error)) {
        // The attempt fails rather than waiting: a command that cannot start
        // must end in a dead letter, not a delivery stuck forever.
        ++s.crash_streak;
        s.restart_not_before =
            now + exponential_backoff_us(options.restart_backoff_us, options.restart_backoff_cap_us, s.crash_streak);
        const std::string id = pop_ready(s, now);
        begin_attempt(svc, s.deliveries.at(id), now);
        fail_attempt(svc, id, AttemptStatus::StartFailed, error);
        continue;
      }
    }
    const std::string id = pop_ready(s, now);
    Delivery& d = s.deliveries.at(id);
    begin_attempt(svc, d, now);
    s.process->outbuf += d.request;
  }
  if (s.process) flush_writes(svc);
}

void ExecRunner::State::begin_attempt(std::size_t svc, Delivery& d, std::int64_t now) {
  ServiceState& s = services[svc];
  ++d.attempts;
  d.in_flight = true;
  d.started_mono = now;
  d.started_wall = wall();
  d.deadline = now + s.config.timeout_us;
  s.in_flight.push_back(d.id);
  ++s.stats.attempts;
}

namespace {

AttemptOutcome outcome_of(const ServiceState& s, std::size_t svc, const Delivery& d, AttemptStatus status,
                          std::string error, std::int64_t ended_wall) {
  AttemptOutcome o;
  o.delivery_id = d.id;
  o.service_index = svc;
  o.service = s.config.name;
  o.attempt = d.attempts;
  o.started_us = d.started_wall;
  o.ended_us = ended_wall;
  o.status = status;
  o.error = std::move(error);
  return o;
}

void leave_flight(ServiceState& s, Delivery& d) {
  d.in_flight = false;
  std::erase(s.in_flight, d.id);
  if (d.suspect) {
    d.suspect = false;  // it was attempted alone: what happened was its own doing
    --s.suspects;
  }
}

}  // namespace

void ExecRunner::State::fail_attempt(std::size_t svc, const std::string& id, AttemptStatus status, std::string error,
                                     std::vector<RawEmit> emits) {
  ServiceState& s = services[svc];
  const auto it = s.deliveries.find(id);
  if (it == s.deliveries.end() || !it->second.in_flight) return;
  Delivery& d = it->second;
  leave_flight(s, d);
  AttemptOutcome o = outcome_of(s, svc, d, status, std::move(error), wall());
  o.emits = std::move(emits);
  if (d.attempts > s.config.retry) {
    o.state = DeliveryState::DeadLettered;
    ++s.stats.dead_lettered;
    s.recent.add(id);
    s.deliveries.erase(it);
  } else {
    const std::int64_t delay = exponential_backoff_us(s.config.backoff_us, s.config.backoff_cap_us, d.attempts);
    o.state = DeliveryState::Retrying;
    o.next_attempt_us = o.ended_us + delay;
    s.retry_due.emplace(std::make_pair(mono() + delay, d.seq), d.id);
  }
  outbox.push_back(std::move(o));
}

void ExecRunner::State::succeed(std::size_t svc, const std::string& id, std::vector<RawEmit> emits) {
  ServiceState& s = services[svc];
  const auto it = s.deliveries.find(id);
  if (it == s.deliveries.end() || !it->second.in_flight) return;
  Delivery& d = it->second;
  leave_flight(s, d);
  AttemptOutcome o = outcome_of(s, svc, d, AttemptStatus::Ok, {}, wall());
  o.emits = std::move(emits);
  o.state = DeliveryState::Delivered;
  ++s.stats.delivered;
  s.recent.add(id);
  s.deliveries.erase(it);
  outbox.push_back(std::move(o));
}

void ExecRunner::State::resend(std::size_t svc, const std::string& id, bool suspect, const std::string& why) {
  ServiceState& s = services[svc];
  Delivery& d = s.deliveries.at(id);
  leave_flight(s, d);
  --d.attempts;
  --s.stats.attempts;
  ++s.stats.resent;
  if (suspect) {
    d.suspect = true;
    ++s.suspects;
  }
  // Due now: it goes before fresh deliveries, in submission order.
  s.retry_due.emplace(std::make_pair(mono(), d.seq), d.id);
  log(svc, LogKind::RunnerNote, "delivery " + id + " is sent again, not counted as an attempt: " + why);
}

void ExecRunner::State::handle_answer(std::size_t svc, std::string_view line, std::size_t cut) {
  ServiceState& s = services[svc];
  if (cut > 0) {
    unattributable(svc, "line longer than " + std::to_string(options.max_answer_line) + " bytes", line);
    return;
  }
  if (is_blank(line)) return;
  ParsedAnswer answer = parser.parse(line);
  if (answer.id) {
    const std::string& id = *answer.id;
    const auto it = s.deliveries.find(id);
    if (it != s.deliveries.end() && it->second.in_flight) {
      switch (answer.kind) {
        case ParsedAnswer::Kind::Malformed: {
          std::string error = "malformed answer (" + answer.message + "): " + printable_snippet(line);
          log(svc, LogKind::RunnerNote, "delivery " + id + ": " + error);
          fail_attempt(svc, id, AttemptStatus::Malformed, std::move(error));
          return;
        }
        case ParsedAnswer::Kind::Error:
          if (s.process) s.process->answered = true;
          fail_attempt(svc, id, AttemptStatus::ServiceError, std::move(answer.message));
          return;
        case ParsedAnswer::Kind::Emit: {
          if (s.process) s.process->answered = true;
          std::optional<EmitRejection> rejection;
          if (options.validator) {
            try {
              rejection = options.validator(svc, answer.emits);
            } catch (const std::exception& e) {
              rejection = EmitRejection{AttemptStatus::InvalidEvent, std::string("validator failed: ") + e.what()};
            } catch (...) {
              rejection = EmitRejection{AttemptStatus::InvalidEvent, "validator failed"};
            }
          }
          if (rejection)
            fail_attempt(svc, id, rejection->status, std::move(rejection->reason), std::move(answer.emits));
          else
            succeed(svc, id, std::move(answer.emits));
          return;
        }
      }
    }
    if (it != s.deliveries.end() || s.recent.contains(id)) {
      log(svc, LogKind::RunnerNote, "ignored an answer for delivery " + id + ", which is not in flight");
      return;
    }
    unattributable(svc, "unknown delivery id " + json_quote(id, JsonEscape::kKeepBytes), line);
    return;
  }
  unattributable(svc, answer.message, line);
}

void ExecRunner::State::unattributable(std::size_t svc, const std::string& reason, std::string_view line) {
  ServiceState& s = services[svc];
  const std::string quoted = printable_snippet(line);
  log(svc, LogKind::RunnerNote, "output that is not an answer (" + reason + "): " + quoted);
  // With concurrency 1 the in-flight delivery is the only one the output can
  // be about; failing it now beats waiting for its timeout.
  if (s.config.concurrency == 1 && s.in_flight.size() == 1) {
    const std::string id = s.in_flight.front();
    fail_attempt(svc, id, AttemptStatus::Malformed, "output that is not an answer (" + reason + "): " + quoted);
  }
}

std::int64_t ExecRunner::State::next_timer() const {
  std::int64_t next = std::numeric_limits<std::int64_t>::max();
  for (const ServiceState& s : services) {
    for (const std::string& id : s.in_flight) next = std::min(next, s.deliveries.at(id).deadline);
    if (s.in_flight.size() >= s.slots()) continue;
    // When the next attempt can start: its work must be due and, with no
    // process, the restart throttle over. (Work that could start now was
    // started by step(); a past time here would make poll() spin.)
    std::int64_t start_at;
    if (!s.fresh.empty())
      start_at = s.process ? std::numeric_limits<std::int64_t>::max() : s.restart_not_before;
    else if (!s.retry_due.empty())
      start_at = std::max(s.retry_due.begin()->first.first, s.process ? 0 : s.restart_not_before);
    else
      continue;
    next = std::min(next, start_at);
  }
  return next;
}

void RecentIds::add(const std::string& id) {
  if (capacity_ == 0 || !set_.insert(id).second) return;
  order_.push_back(id);
  if (order_.size() > capacity_) {
    set_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace flow::runtime
