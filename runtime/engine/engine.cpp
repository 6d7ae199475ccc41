#include "engine/engine.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include "engine/dead_letter_reasons.h"
#include "engine/delivery_id.h"
#include "engine/event_key.h"
#include "eval/value_io.h"
#include "ingress/event_encoder.h"
#include "journal/journal_reader.h"
#include "layout/event_builder.h"
#include "services/builtin_sinks.h"
#include "support/time_format.h"
#include "support/wall_clock.h"

namespace flow::runtime {

namespace {

AttemptOutcomeKind outcome_kind(AttemptStatus status) {
  switch (status) {
    case AttemptStatus::Ok: return AttemptOutcomeKind::Ok;
    case AttemptStatus::ServiceError: return AttemptOutcomeKind::Error;
    case AttemptStatus::Timeout: return AttemptOutcomeKind::Timeout;
    case AttemptStatus::Malformed: return AttemptOutcomeKind::Malformed;
    case AttemptStatus::UndeclaredEvent:
    case AttemptStatus::InvalidEvent: return AttemptOutcomeKind::Invalid;
    case AttemptStatus::ProcessDied:
    case AttemptStatus::StartFailed:
    case AttemptStatus::Cancelled: return AttemptOutcomeKind::Died;
  }
  return AttemptOutcomeKind::Error;
}

}  // namespace

Engine::Engine(LoadedApp& app, RunOptions options, std::ostream& log)
    : app_(app),
      options_(std::move(options)),
      log_(log),
      evaluator_(*app.module, options_.jit),
      decoders_(app, evaluator_, options_.strict),
      routes_(app, decoders_.catalog(), options_.services_dir) {
  // Exec services: one runner for all, configured from the declarations.
  ExecRunnerOptions runner_options;
  runner_options.log = [this](const LogLine& line) { log_ << line.line << "\n"; };
  // An exec service may only emit what it publishes, and only valid events.
  runner_options.validator = [this](std::size_t index,
                                    const std::vector<RawEmit>& emits) -> std::optional<EmitRejection> {
    const ServiceSpec& service = *routes_.exec_services()[index];
    const EventCatalog& catalog = decoders_.catalog();
    Arena scratch;
    for (const auto& emit : emits) {
      // A type that does not exist is one the service does not publish.
      const EventType* type = catalog.find(emit.type);
      if (!type) return EmitRejection{AttemptStatus::UndeclaredEvent, catalog.unknown_type_reason(emit.type)};
      bool declared = false;
      for (const EventType* published : service.publishes) declared |= published == type;
      if (!declared) {
        return EmitRejection{AttemptStatus::UndeclaredEvent,
                             "emitted '" + emit.type + "', which the service does not publish"};
      }
      DecodedEvent decoded;
      if (!decoders_.data().decode_data(*type, emit.data_json, scratch, decoded)) {
        return EmitRejection{AttemptStatus::InvalidEvent, "invalid " + emit.type + ": " + decoders_.data().error()};
      }
    }
    return std::nullopt;
  };
  runner_ = std::make_unique<ExecRunner>(routes_.exec_configs(), std::move(runner_options));

  sink_.open(options_.journal_dir, options_.fsync, log_);
  ids_.start_at(sink_.next_sequence());
  decision_memos_.resize(decoders_.catalog().types().size());
  list_names();
  const EventCatalog& catalog = decoders_.catalog();
  dead_lettered_type_ = catalog.find("std.runtime.DeliveryDeadLettered");
  if (dead_lettered_type_) reason_members_ = std::make_unique<ReasonMembers>(*dead_lettered_type_->layout);
  input_rejected_type_ = catalog.find("std.runtime.InputRejected");
  recover();
}

Engine::~Engine() = default;

void Engine::recover() {
  // Earlier runs: their definition versions and their running instances.
  // A version is recorded when it becomes active: the first time, and again
  // when a run switches back to it after another (the journal's timeline of
  // versions then says which was in force when).
  std::string last_active;
  journal::JournalReader reader(options_.journal_dir);
  journal::Record record;
  SegmentNames segment_names;
  uint64_t events = 0, unreadable = 0;
  while (reader.next(record)) {
    std::string_view payload(reinterpret_cast<const char*>(record.payload.data()), record.payload.size());
    const NameList* names = segment_names.observe(record.position.segment, record.type, payload);
    if (record.type == static_cast<uint8_t>(RecordKind::Instance)) {
      InstanceRecord r;
      if (decode(payload, r, names)) {
        instances_.apply(r);
        if (!r.key.empty()) used_keys_.add(r.key);
      } else {
        ++unreadable;
      }
    } else if (record.type == static_cast<uint8_t>(RecordKind::Definition)) {
      DefinitionRecord r;
      if (decode(payload, r)) {
        last_active = r.hash;
        note_definition(r);
      } else {
        ++unreadable;
      }
    } else if (record.type == static_cast<uint8_t>(RecordKind::Event)) {
      ++events;
    }
    if (!routes_.exec_services().empty() || other_versions_) {
      track_in_flight(static_cast<RecordKind>(record.type), payload, names);
    }
  }
  for (const auto& p : reader.problems()) log_ << "flowrt: journal: " << journal::describe(p) << "\n";
  if (unreadable > 0) {
    // Instances and definition versions they held are not known to this run.
    log_ << "flowrt: journal: " << unreadable
         << " instance or definition record(s) do not decode and were left out (flowrt journal verify lists them)\n";
  }
  if (events > 0) {
    log_ << "flowrt: continuing journal " << options_.journal_dir << ": " << events << " earlier events, "
         << instances_.running_count() << " running instances\n";
  }
  if (last_active != app_.content_hash) {
    DefinitionRecord def{app_.content_hash, wall_clock_us(), app_.source_path, app_.artifact_bytes};
    sink_.append(RecordKind::Definition, encode(def));
    sink_.commit();
    note_definition(def);
  }
  redrive_in_flight();
}

void Engine::list_names() {
  std::vector<std::string_view> texts;
  texts.push_back(app_.content_hash);
  for (const auto& type : decoders_.catalog().types()) texts.push_back(type->qualified_name);
  for (std::string_view name : routes_.names_listed()) texts.push_back(name);
  texts.push_back(true_text_);
  texts.push_back(false_text_);
  sink_.list_names(texts);
}

void Engine::reject(int64_t line_number, std::string_view raw, const std::string& reason) {
  ++stats_.counts().rejected;
  RejectedRecord r{line_number, reason, std::string(raw), wall_clock_us()};
  sink_.append(RecordKind::Rejected, encode(r));
  log_ << "flowrt: rejected input line " << line_number << ": " << reason << "\n";
  if (input_rejected_type_) {
    // std.runtime.InputRejected: a flow may alert on bad input.
    layout::EventBuilder builder(*input_rejected_type_->layout, arena_);
    const auto& l = *input_rejected_type_->layout;
    builder.set_string(l.field_index("input_id"),
                       "rejected-" + std::to_string(line_number) + "-" + std::to_string(ids_.peek_number()));
    builder.set_int(l.field_index("line"), line_number);
    builder.set_string(l.field_index("reason"), reason);
    builder.set_string(l.field_index("raw"), raw);
    builder.set_timestamp(l.field_index("at"), r.time_us);
    publish_runtime_event(*input_rejected_type_, builder.instance(), "", "", CausalChains::kNone);
  }
}

void Engine::dead_letter(const DeadLetterRecord& dead, const std::string& event_type, CausalChains::Id chain) {
  ++stats_.counts().dead_lettered;
  sink_.append(RecordKind::DeadLetter, encode(dead));
  if (Instance* instance = instances_.find(dead.instance)) {
    set_status(*instance, dead.flow, InstanceStatus::Failed, dead.event, dead.time_us);
  }
  log_ << "flowrt: dead-lettered delivery " << dead.delivery << " to " << dead.service << " after " << dead.attempts
       << " attempt(s) (" << to_string(dead.reason) << "): " << dead.error << "\n";
  if (dead_lettered_type_) {
    // std.runtime.DeliveryDeadLettered: a flow may compensate or alert.
    layout::EventBuilder builder(*dead_lettered_type_->layout, arena_);
    const auto& l = *dead_lettered_type_->layout;
    builder.set_string(l.field_index("instance"), dead.instance);
    builder.set_string(l.field_index("service_name"), dead.service);
    builder.set_string(l.field_index("event_type"), event_type);
    builder.set_string(l.field_index("event_id"), dead.event);
    builder.set_int(l.field_index("attempts"), dead.attempts);
    builder.set_string(l.field_index("error"), dead.error);
    if (reason_members_->field() >= 0) builder.set_enum(reason_members_->field(), reason_members_->member(dead.reason));
    builder.set_timestamp(l.field_index("at"), dead.time_us);
    publish_runtime_event(*dead_lettered_type_, builder.instance(), dead.instance, dead.event, chain);
  }
}

void Engine::publish_runtime_event(const EventType& type, const uint8_t* data, const std::string& instance_id,
                                   const std::string& causation, CausalChains::Id chain) {
  const EventRoutes& plan = routes_.of(type);
  if (!plan.listed || (plan.starts.empty() && plan.routes.empty())) return;  // nobody listens
  if (chain == CausalChains::kNone) {
    chain = chains_.begin();
  } else if (!admit_to_chain(chain, 1)) {
    // A notification about a chain already at its limit (a failing handler
    // of dead letters would otherwise feed itself): journaled above, not
    // dispatched.
    log_ << "flowrt: " << type.name << " about " << causation << " not published: " << chain_too_long() << "\n";
    return;
  }
  Work& work = push_work();
  work.chain = chain;
  work.type = &type;
  work.data = data;
  work.id = ids_.next();
  work.key = key_of(type, data);
  work.causation = causation;
  work.source = "flowrt";
  work.time_us = wall_clock_us();
  // It belongs to the instance it is about, or (input) starts its own.
  work.instance = instance_id.empty() ? work.key : instance_id;
  Instance& instance = instances_.get_or_create(work.instance, work.key);
  for (const std::string* flow : plan.starts) enter_flow(instance, *flow, work.id, work.time_us);
  stats_.count_out(type);
  run_queue();  // a no-op when called from inside a dispatch: the outer loop takes it
}

void Engine::ingest(std::string_view line, int64_t line_number, size_t readable_after) {
  RunSummary& counts = stats_.counts();
  ++counts.lines;
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // blank lines are not events
  DecodedEvent decoded;
  CloudEventDecoder& decoder = decoders_.input();
  if (!decoder.decode_in_place(line, readable_after, arena_, decoded)) {
    reject(line_number, line, decoder.error());
    return;
  }
  const EventType& type = *decoded.type;
  const EventRoutes& plan = routes_.of(type);
  // Built in place at the back of the queue (taken back on rejection), so
  // the queue never moves an event.
  Work& work = push_work();
  work.type = &type;
  work.data = decoded.instance;
  work.verbatim = decoded.verbatim;  // the input's text lives until the line is done
  assign_key(type, decoded.instance, work.key);
  if (decoded.id) {
    work.id = *decoded.id;
  } else {
    ids_.assign_new(work.id);
  }
  if (decoded.source) {
    work.source = *decoded.source;
  } else {
    work.source = "flowrt";
  }
  if (decoded.subject) work.subject = *decoded.subject;
  int64_t now = wall_clock_us();
  work.time_us = decoded.time ? *decoded.time : now;
  work.input_line = line_number;

  if (!plan.starts.empty()) {
    Instance& instance = start_instance(work);
    for (const std::string* flow : plan.starts) enter_flow(instance, *flow, work.id, now);
  } else if (!plan.joins.empty()) {
    Instance* instance = work.key.empty() ? nullptr : instances_.newest_with_key(work.key);
    if (!instance || instance->finished()) {
      std::string reason = "no running instance with key '" + work.key + "' for " + type.name +
                           " (it joins a running instance of " + plan.joins + " by its key)";
      drop_queued_from(queue_.size() - 1);
      reject(line_number, line, reason);
      return;
    }
    work.instance = instance->id;
  } else {
    drop_queued_from(queue_.size() - 1);
    reject(line_number, line,
           "event type '" + type.name +
               "' does not enter any flow from outside (entry events: " + routes_.entry_events() + ")");
    return;
  }
  ++counts.accepted;
  work.chain = chains_.begin();
  stats_.count_in(type);
  run_queue(now);
  if (runner_->pending() > 0) {
    runner_->poll(0, outcomes_);
    handle_outcomes();
  }
  if (options_.progress) stats_.progress(log_);
}

Instance& Engine::start_instance(Work& work) {
  // Without a key, the start names its own instance by its event id.
  if (work.key.empty()) {
    work.instance = work.id;
    return instances_.get_or_create(work.instance, work.key);
  }
  // A start whose key names an unfinished instance joins it; else it begins
  // a new instance, named by the key the first time and by the key and a
  // number unique in this journal after that (runtime.md §4: a finished
  // case is never reopened).
  Instance* current = instances_.newest_with_key(work.key);
  if (current && !current->finished()) {
    work.instance = current->id;
    return *current;
  }
  if (used_keys_.insert(work.key) || current) {
    char number[24];
    char* end = std::to_chars(number, number + sizeof number, ids_.take_number()).ptr;
    work.instance.assign(work.key).append(1, '~').append(number, static_cast<size_t>(end - number));
  } else {
    work.instance = work.key;
  }
  return instances_.create(work.instance, work.key);
}

void Engine::run_queue(int64_t now_us) {
  if (running_queue_) return;
  running_queue_ = true;
  // One clock reading per cascade: what an event causes through transforms
  // is dispatched within microseconds, and a reading per event showed up
  // in profiles. Exec outcomes start a cascade of their own.
  cascade_now_us_ = now_us > 0 ? now_us : wall_clock_us();
  // Dispatched in place: a dispatch appends what it causes to the back,
  // which leaves references to the front valid (std::deque).
  while (!queue_.empty()) {
    Work* work = queue_.front();
    dispatch(*work);
    chains_.release(work->chain);
    queue_.pop_front();
    spare_work_.push_back(work);
  }
  running_queue_ = false;
  // Nothing refers to event memory once the queue is empty: exec deliveries
  // carry their own JSON.
  arena_.reset();
}

Engine::Work& Engine::push_work() {
  Work* work;
  if (spare_work_.empty()) {
    work = work_store_.emplace_back(std::make_unique<Work>()).get();
  } else {
    work = spare_work_.back();
    spare_work_.pop_back();
    // A used one: its strings keep their capacity.
    work->type = nullptr;
    work->data = nullptr;
    work->id.clear();
    work->instance.clear();
    work->key.clear();
    work->causation.clear();
    work->delivery.clear();
    work->service = nullptr;
    work->source.clear();
    work->subject.clear();
    work->time_us = work->dispatched_us = work->input_line = 0;
    work->data_json = {};
    work->verbatim = nullptr;
    work->chain = CausalChains::kNone;
  }
  queue_.push_back(work);
  return *work;
}

void Engine::drop_queued_from(size_t position) {
  while (queue_.size() > position) {
    chains_.release(queue_.back()->chain);
    spare_work_.push_back(queue_.back());
    queue_.pop_back();
  }
}

void Engine::enter_flow(Instance& instance, const std::string& flow, std::string_view event_id, int64_t now) {
  if (instance.flow(flow)) return;
  instance.flows.push_back({&flow, InstanceStatus::Active});
  sink_.write(RecordKind::Instance,
              InstanceRecordView{instance.id, instance.key, flow, InstanceStatus::Active, event_id, now});
}

void Engine::set_status(Instance& instance, const std::string& flow, InstanceStatus status, std::string_view event_id,
                        int64_t now) {
  // Active becomes completed or failed; completed can still become failed
  // (a dead letter after the end event): a failure is never hidden.
  FlowState* state = instance.flow(flow);
  if (!state || state->status == status || state->status == InstanceStatus::Failed) return;
  if (state->status == InstanceStatus::Completed && status != InstanceStatus::Failed) return;
  state->status = status;
  sink_.write(RecordKind::Instance, InstanceRecordView{instance.id, instance.key, flow, status, event_id, now});
}

void Engine::journal_event(const Work& work) {
  if (!work.data_json.empty()) {
    data_json_ = work.data_json;  // derived when it was emitted, in the arena
  } else {
    data_buffer_.clear();
    append_data_json(data_buffer_, *work.type, work.data, work.verbatim);
    data_json_ = data_buffer_.view();
  }
  sink_.write(
      RecordKind::Event,
      EventRecordView{work.id, work.type->qualified_name, work.instance, work.key, work.causation, work.delivery,
                      work.service ? std::string_view(*work.service) : "", work.source, work.subject, work.time_us,
                      work.dispatched_us, work.input_line, app_.content_hash, data_json_});
}

void Engine::dispatch(Work& work) {
  const int64_t now = cascade_now_us_;
  work.dispatched_us = now;
  // data_json_ keeps this event's `data` until the next dispatch (the log
  // sink prints it).
  journal_event(work);
  ++stats_.counts().events_dispatched;

  Instance* instance = instances_.find(work.instance);
  if (!instance) instance = &instances_.get_or_create(work.instance, work.key);
  const EventRoutes& plan = routes_.of(*work.type);
  if (!plan.listed) return;
  // An event emitted inside an instance that starts another flow enters it.
  if (!work.causation.empty()) {
    for (const std::string* flow : plan.starts) enter_flow(*instance, *flow, work.id, now);
  }
  for (const std::string* flow : plan.ends) set_status(*instance, *flow, InstanceStatus::Completed, work.id, now);

  // Every condition first, then one `decisions` record for them all, then
  // the deliveries: the record precedes what it caused, as the journal's
  // causal order requires, and the subscriptions share its rule values.
  const auto& routes = plan.routes;
  route_fired_.assign(routes.size(), 1);
  if (plan.conditional) decide(plan, work, now);
  for (size_t r = 0; r < routes.size(); ++r) {
    if (route_fired_[r] != 1) continue;
    const Route& route = routes[r];
    for (size_t s = 0; s < route.services.size(); ++s) {
      make_delivery_id(delivery_id_, work.id, r, s);
      deliver(*route.services[s], *route.flow, work, delivery_id_);
    }
  }
  instances_.release_if_done(work.instance);
}

void Engine::deliver(const ServiceSpec& service, const std::string& flow, Work& work, const std::string& delivery_id) {
  ++stats_.counts().deliveries;
  const std::string& service_name = *service.name;
  switch (service.kind) {
    case ServiceSpec::Kind::Emit: run_emit_service(service, flow, work, delivery_id); return;
    case ServiceSpec::Kind::Builtin: {
      int64_t started = work.dispatched_us;
      AttemptRecordView attempt{
          delivery_id, work.id, work.instance, flow, service_name, 1, started, started, AttemptOutcomeKind::Ok, "", {}};
      std::string error;
      DeadLetterReason reason = DeadLetterReason::SinkFailed;  // when it fails
      if (service.builtin == "log" || service.builtin == "std.log") {
        log_ << "[" << service.plain_name << "] " << work.type->name << " " << work.id << " " << data_json_ << "\n";
      } else if (auto path = jsonl_sink_path(service.builtin)) {
        // A JSON-lines file sink: the event's CloudEvents line, as an exec
        // service would get it (services/builtin_sinks.h).
        std::string line;
        append_cloudevent_json(line, *work.type, work.data, {work.id, source_of(work), work.time_us, std::nullopt});
        SinkSync sync = options_.fsync == journal::FsyncMode::Always  ? SinkSync::EachLine
                        : options_.fsync == journal::FsyncMode::Never ? SinkSync::Never
                                                                      : SinkSync::AtEnd;
        if (auto failure = sinks_.append(*path, line, sync)) {
          attempt.outcome = AttemptOutcomeKind::Error;
          error = *failure;
          attempt.error = error;
        }
      } else {
        attempt.outcome = AttemptOutcomeKind::Error;
        error = "unknown builtin service '" + service.builtin + "'";
        reason = DeadLetterReason::UnknownBuiltin;
        attempt.error = error;
      }
      sink_.write(RecordKind::Attempt, attempt);
      if (attempt.outcome != AttemptOutcomeKind::Ok) {
        ++stats_.counts().failed_attempts;
        dead_letter({delivery_id, work.id, work.instance, flow, service_name, 1, error, wall_clock_us(), reason},
                    work.type->qualified_name, work.chain);
      }
      return;
    }
    case ServiceSpec::Kind::Exec: {
      Instance& instance = instances_.get_or_create(work.instance, work.key);
      std::string json;
      CloudEventAttributes attributes{work.id, source_of(work), work.time_us, std::nullopt};
      append_cloudevent_json(json, *work.type, work.data, attributes);
      runner_->submit(service.exec_index, delivery_id, json);
      pending_[delivery_id] = {work.id, work.instance, flow, &service, work.type->qualified_name, work.chain};
      chains_.hold(work.chain);
      ++instance.in_flight;
      return;
    }
    case ServiceSpec::Kind::None: return;
  }
}

void Engine::handle_outcomes() {
  for (auto& outcome : outcomes_) {
    auto it = pending_.find(outcome.delivery_id);
    if (it == pending_.end()) continue;
    PendingDelivery& pending = it->second;
    AttemptRecord attempt{outcome.delivery_id,
                          pending.event,
                          pending.instance,
                          pending.flow,
                          *pending.service->name,
                          outcome.attempt,
                          outcome.started_us,
                          outcome.ended_us,
                          outcome_kind(outcome.status),
                          outcome.error,
                          {}};
    if (outcome.status != AttemptStatus::Ok) {
      ++stats_.counts().failed_attempts;
      log_ << "flowrt: attempt " << outcome.attempt << " of delivery " << outcome.delivery_id << " to "
           << pending.service->plain_name << " failed (" << to_string(outcome.status) << "): " << outcome.error << "\n";
    }
    if (outcome.state == DeliveryState::Retrying) ++stats_.counts().retries;
    // Emitted events wait at the back of the queue until the delivery is
    // final (a retried attempt's events are never dispatched).
    const size_t queued_before = queue_.size();
    const std::string& service_name = *pending.service->name;
    if (outcome.status == AttemptStatus::Ok) {
      for (const auto& emit : outcome.emits) {
        const EventType* type = decoders_.catalog().find(emit.type);
        DecodedEvent decoded;
        if (!type || !decoders_.data().decode_data(*type, emit.data_json, arena_, decoded))
          continue;  // validated before
        Work& next = push_work();
        next.type = decoded.type;
        next.data = decoded.instance;
        next.id = ids_.next();
        next.key = key_of(*decoded.type, decoded.instance);
        next.instance = pending.instance;
        next.causation = pending.event;
        next.delivery = outcome.delivery_id;
        next.service = &service_name;
        next.time_us = outcome.ended_us;
        attempt.emitted.push_back(next.id);
      }
    }
    if (!outcome.final()) drop_queued_from(queued_before);
    bool chain_cut = false;
    if (outcome.final() && !admit_to_chain(pending.chain, queue_.size() - queued_before)) {
      // What it published would make its input's chain too long: none of
      // it is dispatched, and the delivery is dead-lettered for it.
      drop_queued_from(queued_before);
      chain_cut = true;
      attempt.outcome = AttemptOutcomeKind::Error;
      attempt.error = chain_too_long();
      attempt.emitted.clear();
      ++stats_.counts().failed_attempts;
    }
    for (size_t q = queued_before; q < queue_.size(); ++q) {
      queue_[q]->chain = pending.chain;  // admitted above
      stats_.count_out(*queue_[q]->type);
    }
    sink_.append(RecordKind::Attempt, encode(attempt));
    if (outcome.final()) {
      Instance* instance = instances_.find(pending.instance);
      if (instance) --instance->in_flight;
      if (chain_cut) {
        dead_letter({outcome.delivery_id, pending.event, pending.instance, pending.flow, *pending.service->name,
                     outcome.attempt, attempt.error, outcome.ended_us, DeadLetterReason::ChainTooLong},
                    pending.event_type, pending.chain);
      } else if (outcome.state == DeliveryState::DeadLettered || outcome.state == DeliveryState::Abandoned) {
        dead_letter({outcome.delivery_id, pending.event, pending.instance, pending.flow, *pending.service->name,
                     outcome.attempt, outcome.error, outcome.ended_us, dead_letter_reason(outcome.status)},
                    pending.event_type, pending.chain);
      }
      chains_.release(pending.chain);
      std::string instance_id = pending.instance;
      pending_.erase(it);
      run_queue();
      instances_.release_if_done(instance_id);
    }
  }
  outcomes_.clear();
}

std::string Engine::chain_too_long() const {
  return "causal chain longer than " + std::to_string(options_.max_chain) +
         " events (an input and everything its services publish; --max-chain)";
}

void Engine::drain() {
  run_queue();
  while (!runner_->idle()) {
    runner_->poll(100, outcomes_);
    handle_outcomes();
    sink_.commit_if_due();
  }
  runner_->shutdown(std::chrono::milliseconds(2000));
  for (const auto& error : sinks_.finish()) log_ << "flowrt: " << error << "\n";
  // `never` leaves durability to the OS, at the end too: the records are
  // handed over (a crash of this process loses nothing), not synced.
  if (options_.fsync == journal::FsyncMode::Never) {
    sink_.flush();
  } else {
    sink_.commit();
  }
  stats_.finish(decoders_.catalog());
  if (options_.progress) log_ << "\r\033[K";
}

void Engine::print_summary(std::ostream& out) const {
  stats_.print(out);
}

}  // namespace flow::runtime
