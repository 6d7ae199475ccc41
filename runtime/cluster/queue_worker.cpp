// The worker loop (see queue_worker.h). One thread: requests are taken from
// a synchronous queue subscription, outcomes from ExecRunner::poll(). While
// the program is idle the loop waits on the subscription (up to 100 ms, to
// notice a stop); while deliveries are in flight it alternates short waits
// on both.
#include "cluster/queue_worker.h"

#include <unordered_map>
#include <vector>

#include "cluster/nats_connection.h"
#include "cluster/nats_error.h"
#include "cluster/worker_wire.h"
#include "services/exec_runner.h"

namespace flow::cluster {

namespace {

using runtime::AttemptOutcome;
using runtime::DeliveryState;

class Worker {
 public:
  Worker(const WorkerOptions& options, std::ostream& log) : options_(options), log_(log) {}

  int run(const std::atomic<bool>& stop);

 private:
  void take(natsMsg* raw);
  void answer(const std::vector<AttemptOutcome>& outcomes);
  void reply(const std::string& subject, const std::string& text);

  const WorkerOptions& options_;
  std::ostream& log_;
  std::unique_ptr<NatsConnection> nats_;
  std::unique_ptr<runtime::ExecRunner> runner_;
  /// Delivery id → the reply subjects waiting for its answer.
  std::unordered_map<std::string, std::vector<std::string>> waiting_;
};

void Worker::reply(const std::string& subject, const std::string& text) {
  const natsStatus status =
      natsConnection_Publish(nats_->get(), subject.c_str(), text.data(), static_cast<int>(text.size()));
  if (status != NATS_OK) log_ << "flowrt worker: cannot reply: " << nats_failure_text(status) << "\n";
}

void Worker::take(natsMsg* raw) {
  MsgHandle msg(raw);
  const char* reply_to = natsMsg_GetReply(msg.get());
  if (reply_to == nullptr || *reply_to == '\0') {
    log_ << "flowrt worker: a message without a reply subject is ignored (send requests)\n";
    return;
  }
  const std::string_view payload(natsMsg_GetData(msg.get()),
                                 static_cast<std::size_t>(natsMsg_GetDataLength(msg.get())));
  std::string problem;
  std::optional<std::string> id;
  auto request = parse_worker_request(payload, problem, id);
  if (!request) {
    log_ << "flowrt worker: bad request: " << problem << "\n";
    reply(reply_to, encode_worker_error(id, "flowrt worker: bad request: " + problem));
    return;
  }
  auto [it, fresh] = waiting_.try_emplace(request->id);
  it->second.emplace_back(reply_to);
  if (fresh) runner_->submit(0, request->id, request->event_json);
}

void Worker::answer(const std::vector<AttemptOutcome>& outcomes) {
  for (const auto& outcome : outcomes) {
    if (!outcome.final()) continue;
    auto it = waiting_.find(outcome.delivery_id);
    if (it == waiting_.end()) continue;
    // Abandoned at shutdown: no answer; the requester sends it again.
    if (outcome.state != DeliveryState::Abandoned) {
      const std::string text = encode_worker_answer(outcome.delivery_id, outcome);
      for (const auto& subject : it->second) reply(subject, text);
    }
    waiting_.erase(it);
  }
}

int Worker::run(const std::atomic<bool>& stop) {
  NatsConnectOptions connect;
  connect.urls = options_.urls;
  connect.name = "flowrt worker " + options_.subject;
  try {
    nats_ = std::make_unique<NatsConnection>(connect);
  } catch (const std::exception& e) {
    log_ << "flowrt worker: error: " << e.what() << "\n";
    return 1;
  }

  runtime::ExecServiceConfig service;
  service.name = options_.subject;
  service.command = options_.command;
  service.working_dir = options_.working_dir;
  service.timeout_us = options_.timeout_us;
  service.retry = 0;  // the requester retries
  service.concurrency = options_.concurrency;
  runtime::ExecRunnerOptions runner_options;
  runner_options.log = [this](const runtime::LogLine& line) { log_ << line.line << "\n"; };
  runner_ = std::make_unique<runtime::ExecRunner>(std::vector{service}, runner_options);

  const std::string queue = options_.queue.empty() ? options_.subject : options_.queue;
  natsSubscription* raw_sub = nullptr;
  natsStatus status =
      natsConnection_QueueSubscribeSync(&raw_sub, nats_->get(), options_.subject.c_str(), queue.c_str());
  SubscriptionHandle sub(raw_sub);
  if (status == NATS_OK) status = natsConnection_FlushTimeout(nats_->get(), 5000);
  if (status != NATS_OK) {
    log_ << "flowrt worker: error: subscribing to " << options_.subject << ": " << nats_failure_text(status) << "\n";
    return 1;
  }
  log_ << "flowrt worker: serving " << options_.subject << " (queue " << queue << ") on " << nats_->connected_url()
       << "\n";

  std::vector<AttemptOutcome> outcomes;
  bool draining = false;
  int exit_status = 0;
  auto drain_deadline = std::chrono::steady_clock::time_point::max();
  for (;;) {
    if (stop.load() && !draining) {
      draining = true;
      drain_deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
      natsSubscription_Drain(sub.get());
      log_ << "flowrt worker: stopping: finishing " << waiting_.size() << " deliveries\n";
    }
    if (natsConnection_IsClosed(nats_->get())) {
      log_ << "flowrt worker: error: the NATS connection is closed\n";
      exit_status = 1;
      break;
    }
    // Wait for a request only while the program has nothing to do.
    if (runner_->idle() && !draining) {
      natsMsg* raw = nullptr;
      if (natsSubscription_NextMsg(&raw, sub.get(), 100) == NATS_OK) take(raw);
    }
    uint64_t queued = 0;
    if (natsSubscription_QueuedMsgs(sub.get(), &queued) == NATS_OK) {
      for (; queued > 0; --queued) {
        natsMsg* raw = nullptr;
        if (natsSubscription_NextMsg(&raw, sub.get(), 1) != NATS_OK) break;
        take(raw);
      }
    }
    if (!runner_->idle()) {
      outcomes.clear();
      runner_->poll(draining ? 20 : 2, outcomes);
      answer(outcomes);
    }
    if (draining) {
      const bool drained = !natsSubscription_IsValid(sub.get());
      if ((drained && runner_->idle()) || std::chrono::steady_clock::now() >= drain_deadline) break;
      if (runner_->idle()) {
        natsMsg* raw = nullptr;
        if (natsSubscription_NextMsg(&raw, sub.get(), 20) == NATS_OK) take(raw);
      }
    }
  }
  outcomes.clear();
  runner_->shutdown(std::chrono::milliseconds(1000), outcomes);
  answer(outcomes);
  natsConnection_FlushTimeout(nats_->get(), 1000);
  sub.reset();
  return exit_status;
}

}  // namespace

int run_queue_worker(const WorkerOptions& options, std::ostream& log, const std::atomic<bool>& stop) {
  Worker worker(options, log);
  return worker.run(stop);
}

std::string shell_command_line(const std::vector<std::string>& args) {
  std::string line;
  for (const auto& arg : args) {
    if (!line.empty()) line += ' ';
    line += '\'';
    for (char c : arg) {
      if (c == '\'') {
        line += "'\\''";
      } else {
        line += c;
      }
    }
    line += '\'';
  }
  return line;
}

}  // namespace flow::cluster
