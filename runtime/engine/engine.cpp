#include "engine/engine.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include "engine/dead_letter_reasons.h"
#include "eval/value_io.h"
#include "ingress/event_encoder.h"
#include "journal/journal_reader.h"
#include "layout/event_builder.h"
#include "records/delivery_id.h"
#include "services/builtin_sinks.h"
#include "base/time_format.h"
#include "base/wall_clock.h"

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
    : app_(app), options_(std::move(options)), log_(log), interpreter_(*app.module) {
  started_us_ = wall_clock_us();
  defaults_ = std::make_unique<FieldDefaults>();
  std::string error;
  auto events = app_.program->all<ast::EventDecl>();
  if (!evaluate_field_defaults(*app_.module, interpreter_, events, *defaults_, error)) {
    throw std::runtime_error("cannot evaluate field defaults: " + error);
  }
  catalog_ = std::make_unique<EventCatalog>(events, app_.module->layouts, *defaults_);
  decoder_ = std::make_unique<CloudEventDecoder>(*catalog_, CloudEventDecoder::Options{options_.strict});
  emit_decoder_ = std::make_unique<CloudEventDecoder>(*catalog_, CloudEventDecoder::Options{options_.strict});

  // Exec services: one runner for all, configured from the declarations.
  std::vector<ExecServiceConfig> configs;
  for (const auto* service : app_.program->all<ast::ServiceDecl>()) {
    if (service->impl != ast::ServiceImpl::Exec) continue;
    ExecServiceConfig config;
    config.name = service->qualified_name();
    config.command = service->exec_command;
    config.working_dir = service_folder(app_, service->module->file->path(), options_.services_dir);
    if (service->timeout_us > 0) config.timeout_us = service->timeout_us;
    if (service->retry >= 0) config.retry = static_cast<uint32_t>(service->retry);
    if (service->backoff_us >= 0) config.backoff_us = service->backoff_us;
    if (service->concurrency > 0) config.concurrency = static_cast<uint32_t>(service->concurrency);
    exec_index_[service] = configs.size();
    exec_services_.push_back(service);
    configs.push_back(std::move(config));
  }
  ExecRunnerOptions runner_options;
  runner_options.log = [this](const LogLine& line) { log_ << line.line << "\n"; };
  // An exec service may only emit what it publishes, and only valid events.
  runner_options.validator = [this](std::size_t index,
                                    const std::vector<RawEmit>& emits) -> std::optional<EmitRejection> {
    const ast::ServiceDecl* service = exec_services_[index];
    Arena scratch;
    for (const auto& emit : emits) {
      // A type that does not exist is one the service does not publish.
      const EventType* type = catalog_->find(emit.type);
      if (!type) return EmitRejection{AttemptStatus::UndeclaredEvent, catalog_->unknown_type_reason(emit.type)};
      bool declared = false;
      for (const auto& p : service->publishes) declared |= p.resolved == type->decl;
      if (!declared) {
        return EmitRejection{AttemptStatus::UndeclaredEvent,
                             "emitted '" + emit.type + "', which the service does not publish"};
      }
      DecodedEvent decoded;
      if (!emit_decoder_->decode_data(*type, emit.data_json, scratch, decoded)) {
        return EmitRejection{AttemptStatus::InvalidEvent, "invalid " + emit.type + ": " + emit_decoder_->error()};
      }
    }
    return std::nullopt;
  };
  runner_ = std::make_unique<ExecRunner>(std::move(configs), std::move(runner_options));

  journal::WriterOptions writer_options;
  writer_options.fsync = options_.fsync;
  journal::OpenReport report;
  try {
    report = writer_.open(options_.journal_dir, writer_options);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot open the journal: ") + e.what());
  }
  for (const auto& t : report.truncations) {
    log_ << "flowrt: journal: recovered from a torn tail in " << t.file.string() << " at offset " << t.offset << ": "
         << t.bytes_dropped << " bytes dropped (" << t.detail << ")"
         << (t.saved_to.empty() ? "" : ", saved to " + t.saved_to.string()) << "\n";
  }
  id_base_ = writer_.next_sequence();
  build_plans();
  list_names();
  dead_lettered_type_ = catalog_->find("std.runtime.DeliveryDeadLettered");
  if (dead_lettered_type_) reason_members_ = std::make_unique<ReasonMembers>(*dead_lettered_type_->layout);
  input_rejected_type_ = catalog_->find("std.runtime.InputRejected");
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
    if (!exec_services_.empty() || other_versions_) {
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
    append(RecordKind::Definition, encode(def));
    writer_.commit();
    note_definition(def);
  }
  redrive_in_flight();
}

void Engine::list_names() {
  // Sorted and without repeats, so that a run of the same definition lists
  // the same names and goes on in the segment an earlier run left.
  std::vector<std::string_view> texts;
  texts.push_back(app_.content_hash);
  for (const auto& type : catalog_->types()) texts.push_back(type->qualified_name);
  for (const auto& [decl, name] : names_) texts.push_back(name);
  for (const auto& name : function_names_) texts.push_back(name);
  texts.push_back(true_text_);
  texts.push_back(false_text_);
  std::vector<std::string_view> listed = texts;
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  name_refs_ = std::make_unique<NameRefs>(texts.size());
  for (std::string_view text : texts) {
    const auto at = std::lower_bound(listed.begin(), listed.end(), text);
    name_refs_->add(text, static_cast<uint32_t>(at - listed.begin()));
  }
  try {
    writer_.set_segment_preamble(static_cast<journal::RecordType>(RecordKind::Names), encode_names(listed));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot write to the journal: ") + e.what());
  }
}

void Engine::append(RecordKind kind, const std::string& payload) {
  writer_.append(static_cast<journal::RecordType>(kind), payload);
}

// Ids are unique across runs of one journal: every id is spent on an event
// record, so a run's ids stay below the next run's starting sequence.
std::string Engine::new_event_id() {
  std::string id;
  assign_new_event_id(id);
  return id;
}

void Engine::assign_new_event_id(std::string& out) {
  char text[24];
  text[0] = 'e';
  char* end = std::to_chars(text + 1, text + sizeof text, id_base_ + id_counter_++).ptr;
  out.assign(text, static_cast<size_t>(end - text));
}

std::string Engine::key_of(const EventType& type, const uint8_t* data) const {
  std::string key;
  assign_key(type, data, key);
  return key;
}

void Engine::assign_key(const EventType& type, const uint8_t* data, std::string& out) const {
  out.clear();
  int key = type.decl->key_index;
  if (key < 0) return;
  // Read straight from the slot: this runs for every event.
  const layout::FieldLayout& field = type.layout->fields[static_cast<size_t>(key)];
  if (field.optional && !type.layout->present(data, key)) return;
  const Type* value_type = field.optional ? field.type->element : field.type;
  if (value_type->kind == TypeKind::String) {
    auto text = layout::load<FlowStr>(data + field.offset);
    out.append(text.data, text.size);
  } else if (value_type->kind == TypeKind::Int) {
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, layout::load<int64_t>(data + field.offset)).ptr);
  }
}

void Engine::reject(int64_t line_number, std::string_view raw, const std::string& reason) {
  ++summary_.rejected;
  RejectedRecord r{line_number, reason, std::string(raw), wall_clock_us()};
  append(RecordKind::Rejected, encode(r));
  log_ << "flowrt: rejected input line " << line_number << ": " << reason << "\n";
  if (input_rejected_type_) {
    // std.runtime.InputRejected: a flow may alert on bad input.
    layout::EventBuilder builder(*input_rejected_type_->layout, arena_);
    const auto& l = *input_rejected_type_->layout;
    builder.set_string(l.field_index("input_id"),
                       "rejected-" + std::to_string(line_number) + "-" + std::to_string(id_base_ + id_counter_));
    builder.set_int(l.field_index("line"), line_number);
    builder.set_string(l.field_index("reason"), reason);
    builder.set_string(l.field_index("raw"), raw);
    builder.set_timestamp(l.field_index("at"), r.time_us);
    publish_runtime_event(*input_rejected_type_, builder.instance(), "", "", CausalChains::kNone);
  }
}

void Engine::dead_letter(const DeadLetterRecord& dead, const std::string& event_type, CausalChains::Id chain) {
  ++summary_.dead_lettered;
  append(RecordKind::DeadLetter, encode(dead));
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
  const EventPlan& plan = plan_of(type);
  if (!plan.routes || (plan.routes->starts.empty() && plan.routes->routes.empty())) return;  // nobody listens
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
  work.id = new_event_id();
  work.key = key_of(type, data);
  work.causation = causation;
  work.source = "flowrt";
  work.time_us = wall_clock_us();
  // It belongs to the instance it is about, or (input) starts its own.
  work.instance = instance_id.empty() ? work.key : instance_id;
  Instance& instance = instances_.get_or_create(work.instance, work.key);
  for (const std::string* flow : plan.starts) enter_flow(instance, *flow, work.id, work.time_us);
  count_event(events_out_, type);
  run_queue();  // a no-op when called from inside a dispatch: the outer loop takes it
}

void Engine::ingest(std::string_view line, int64_t line_number, size_t readable_after) {
  ++summary_.lines;
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // blank lines are not events
  DecodedEvent decoded;
  if (!decoder_->decode_in_place(line, readable_after, arena_, decoded)) {
    reject(line_number, line, decoder_->error());
    return;
  }
  const EventType& type = *decoded.type;
  const EventPlan& plan = plan_of(type);
  const dispatch::EventRoutes* routes = plan.routes;
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
    work.id = new_event_id();
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

  if (routes && !routes->starts.empty()) {
    Instance& instance = start_instance(work);
    for (const std::string* flow : plan.starts) enter_flow(instance, *flow, work.id, now);
  } else if (routes && !routes->accepts.empty()) {
    Instance* instance = work.key.empty() ? nullptr : instances_.newest_with_key(work.key);
    if (!instance || instance->finished()) {
      std::string reason = "no running instance with key '" + work.key + "' for " + type.name +
                           " (it joins a running instance of " + routes->accepts[0]->name + " by its key)";
      drop_queued_from(queue_.size() - 1);
      reject(line_number, line, reason);
      return;
    }
    work.instance = instance->id;
  } else {
    drop_queued_from(queue_.size() - 1);
    std::string entries;
    for (const auto& e : app_.table.events) {
      if (e.starts.empty() && e.accepts.empty()) continue;
      entries += (entries.empty() ? "" : ", ") + e.event->name;
    }
    reject(line_number, line,
           "event type '" + type.name + "' does not enter any flow from outside (entry events: " + entries + ")");
    return;
  }
  ++summary_.accepted;
  work.chain = chains_.begin();
  count_event(events_in_, type);
  run_queue(now);
  if (runner_->pending() > 0) {
    runner_->poll(0, outcomes_);
    handle_outcomes();
  }
  if (options_.progress && summary_.lines % 4096 == 0) {
    now = wall_clock_us();
    if (now - last_progress_us_ > 500000) {
      last_progress_us_ = now;
      double seconds = static_cast<double>(now - started_us_) / 1e6;
      log_ << "\r" << summary_.lines << " lines, " << summary_.events_dispatched << " events, "
           << static_cast<uint64_t>(static_cast<double>(summary_.lines) / std::max(seconds, 1e-9)) << " lines/s   "
           << std::flush;
    }
  }
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
    char* end = std::to_chars(number, number + sizeof number, id_base_ + id_counter_++).ptr;
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

void Engine::count_event(std::vector<uint64_t>& counts, const EventType& type) {
  if (counts.size() <= static_cast<size_t>(type.index)) counts.resize(static_cast<size_t>(type.index) + 1);
  ++counts[static_cast<size_t>(type.index)];
}

void Engine::build_plans() {
  for (const auto& type : catalog_->types()) {
    EventPlan& plan = plans_.emplace_back();
    plan.routes = app_.table.find(type->decl);
    if (!plan.routes) continue;
    for (const auto* flow : plan.routes->starts) plan.starts.push_back(&name_of(flow));
    for (const auto* flow : plan.routes->ends) plan.ends.push_back(&name_of(flow));
    for (const auto& route : plan.routes->routes) {
      RoutePlan& named = plan.routes_named.emplace_back();
      named.flow = &name_of(route.flow);
      plan.conditional |= route.condition >= 0;
      for (const auto* service : route.services) {
        named.services.push_back(&name_of(service));
        plan.exec_routes |= service->impl == ast::ServiceImpl::Exec;
      }
    }
  }
  decision_memos_.resize(plans_.size());
  for (const auto& function : app_.module->functions) {
    returns_bool_.push_back(function->result && function->result->kind == TypeKind::Bool);
    function_names_.push_back(function->decl ? name_of(function->decl) : function->name);
  }
}

void Engine::enter_flow(Instance& instance, const std::string& flow, std::string_view event_id, int64_t now) {
  if (instance.flow(flow)) return;
  instance.flows.push_back({&flow, InstanceStatus::Active});
  write_record(RecordKind::Instance,
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
  write_record(RecordKind::Instance, InstanceRecordView{instance.id, instance.key, flow, status, event_id, now});
}

void Engine::journal_event(const Work& work) {
  if (!work.data_json.empty()) {
    data_json_ = work.data_json;  // derived when it was emitted, in the arena
  } else {
    data_buffer_.clear();
    append_data_json(data_buffer_, *work.type, work.data, work.verbatim);
    data_json_ = data_buffer_.view();
  }
  write_record(
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
  ++summary_.events_dispatched;

  Instance* instance = instances_.find(work.instance);
  if (!instance) instance = &instances_.get_or_create(work.instance, work.key);
  const EventPlan& plan = plan_of(*work.type);
  if (!plan.routes) return;
  // An event emitted inside an instance that starts another flow enters it.
  if (!work.causation.empty()) {
    for (const std::string* flow : plan.starts) enter_flow(*instance, *flow, work.id, now);
  }
  for (const std::string* flow : plan.ends) set_status(*instance, *flow, InstanceStatus::Completed, work.id, now);

  // Every condition first, then one `decisions` record for them all, then
  // the deliveries: the record precedes what it caused, as the journal's
  // causal order requires, and the subscriptions share its rule values.
  const auto& routes = plan.routes->routes;
  route_fired_.assign(routes.size(), 1);
  if (plan.conditional) decide(plan, work, now);
  for (size_t r = 0; r < routes.size(); ++r) {
    if (route_fired_[r] != 1) continue;
    const dispatch::Route& route = routes[r];
    const RoutePlan& named = plan.routes_named[r];
    for (size_t s = 0; s < route.services.size(); ++s) {
      write_delivery_id(delivery_id_, work.id, r, s);
      deliver(route.services[s], *named.services[s], *named.flow, work, delivery_id_);
    }
  }
  instances_.release_if_done(work.instance);
}

void Engine::deliver(const ast::ServiceDecl* service, const std::string& service_name, const std::string& flow,
                     Work& work, const std::string& delivery_id) {
  ++summary_.deliveries;
  switch (service->impl) {
    case ast::ServiceImpl::Emit: run_emit_service(service, service_name, flow, work, delivery_id); return;
    case ast::ServiceImpl::Builtin: {
      int64_t started = work.dispatched_us;
      AttemptRecordView attempt{
          delivery_id, work.id, work.instance, flow, service_name, 1, started, started, AttemptOutcomeKind::Ok, "", {}};
      std::string error;
      DeadLetterReason reason = DeadLetterReason::SinkFailed;  // when it fails
      if (service->builtin_name == "log" || service->builtin_name == "std.log") {
        log_ << "[" << service->name << "] " << work.type->name << " " << work.id << " " << data_json_ << "\n";
      } else if (auto path = jsonl_sink_path(service->builtin_name)) {
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
        error = "unknown builtin service '" + service->builtin_name + "'";
        reason = DeadLetterReason::UnknownBuiltin;
        attempt.error = error;
      }
      write_record(RecordKind::Attempt, attempt);
      if (attempt.outcome != AttemptOutcomeKind::Ok) {
        ++summary_.failed_attempts;
        dead_letter({delivery_id, work.id, work.instance, flow, service_name, 1, error, wall_clock_us(), reason},
                    work.type->qualified_name, work.chain);
      }
      return;
    }
    case ast::ServiceImpl::Exec: {
      Instance& instance = instances_.get_or_create(work.instance, work.key);
      std::string json;
      CloudEventAttributes attributes{work.id, source_of(work), work.time_us, std::nullopt};
      append_cloudevent_json(json, *work.type, work.data, attributes);
      runner_->submit(exec_index_.at(service), delivery_id, json);
      pending_[delivery_id] = {work.id, work.instance, flow, service, work.type->qualified_name, work.chain};
      chains_.hold(work.chain);
      ++instance.in_flight;
      return;
    }
    case ast::ServiceImpl::None: return;
  }
}

const std::string& Engine::name_of(const ast::Decl* decl) {
  auto it = names_.find(decl);
  if (it == names_.end()) it = names_.emplace(decl, decl->qualified_name()).first;
  return it->second;
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
                          pending.service->qualified_name(),
                          outcome.attempt,
                          outcome.started_us,
                          outcome.ended_us,
                          outcome_kind(outcome.status),
                          outcome.error,
                          {}};
    if (outcome.status != AttemptStatus::Ok) {
      ++summary_.failed_attempts;
      log_ << "flowrt: attempt " << outcome.attempt << " of delivery " << outcome.delivery_id << " to "
           << pending.service->name << " failed (" << to_string(outcome.status) << "): " << outcome.error << "\n";
    }
    if (outcome.state == DeliveryState::Retrying) ++summary_.retries;
    // Emitted events wait at the back of the queue until the delivery is
    // final (a retried attempt's events are never dispatched).
    const size_t queued_before = queue_.size();
    const std::string& service_name = name_of(pending.service);
    if (outcome.status == AttemptStatus::Ok) {
      for (const auto& emit : outcome.emits) {
        const EventType* type = catalog_->find(emit.type);
        DecodedEvent decoded;
        if (!type || !emit_decoder_->decode_data(*type, emit.data_json, arena_, decoded)) continue;  // validated before
        Work& next = push_work();
        next.type = decoded.type;
        next.data = decoded.instance;
        next.id = new_event_id();
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
      ++summary_.failed_attempts;
    }
    for (size_t q = queued_before; q < queue_.size(); ++q) {
      queue_[q]->chain = pending.chain;  // admitted above
      count_event(events_out_, *queue_[q]->type);
    }
    append(RecordKind::Attempt, encode(attempt));
    if (outcome.final()) {
      Instance* instance = instances_.find(pending.instance);
      if (instance) --instance->in_flight;
      if (chain_cut) {
        dead_letter(
            {outcome.delivery_id, pending.event, pending.instance, pending.flow, pending.service->qualified_name(),
             outcome.attempt, attempt.error, outcome.ended_us, DeadLetterReason::ChainTooLong},
            pending.event_type, pending.chain);
      } else if (outcome.state == DeliveryState::DeadLettered || outcome.state == DeliveryState::Abandoned) {
        dead_letter(
            {outcome.delivery_id, pending.event, pending.instance, pending.flow, pending.service->qualified_name(),
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
    writer_.commit_if_due();
  }
  runner_->shutdown(std::chrono::milliseconds(2000));
  for (const auto& error : sinks_.finish()) log_ << "flowrt: " << error << "\n";
  // `never` leaves durability to the OS, at the end too: the records are
  // handed over (a crash of this process loses nothing), not synced.
  if (options_.fsync == journal::FsyncMode::Never) {
    writer_.flush();
  } else {
    writer_.commit();
  }
  for (const auto& type : catalog_->types()) {
    auto index = static_cast<size_t>(type->index);
    if (index < events_in_.size() && events_in_[index]) summary_.events_in[type->name] = events_in_[index];
    if (index < events_out_.size() && events_out_[index]) summary_.events_out[type->name] = events_out_[index];
  }
  if (options_.progress) log_ << "\r\033[K";
  summary_.seconds = static_cast<double>(wall_clock_us() - started_us_) / 1e6;
}

void Engine::print_summary(std::ostream& out) const {
  const RunSummary& s = summary_;
  out << "flowrt: " << s.lines << " input lines: " << s.accepted << " accepted, " << s.rejected << " rejected\n";
  auto by_type = [&](const char* label, const std::map<std::string, uint64_t>& counts) {
    if (counts.empty()) return;
    out << "  " << label << ":";
    for (const auto& [type, n] : counts) out << " " << type << "=" << n;
    out << "\n";
  };
  by_type("events in ", s.events_in);
  by_type("events out", s.events_out);
  out << "  " << s.events_dispatched << " events dispatched, " << s.deliveries << " deliveries, " << s.retries
      << " retries, " << s.failed_attempts << " failed attempts, " << s.dead_lettered << " dead-lettered\n";
  double rate = s.seconds > 0 ? static_cast<double>(s.accepted) / s.seconds : 0;
  out << "  " << s.seconds << " s, " << static_cast<uint64_t>(rate) << " input events/s\n";
}

}  // namespace flow::runtime
