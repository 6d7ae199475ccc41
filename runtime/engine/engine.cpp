#include "engine/engine.h"

#include <chrono>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include "eval/value_io.h"
#include "ingress/event_encoder.h"
#include "journal/journal_reader.h"
#include "layout/event_builder.h"
#include "support/time_format.h"

namespace flow::runtime {

namespace {

int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

AttemptOutcomeKind outcome_kind(AttemptStatus status) {
  switch (status) {
    case AttemptStatus::Ok: return AttemptOutcomeKind::Ok;
    case AttemptStatus::ServiceError: return AttemptOutcomeKind::Error;
    case AttemptStatus::Timeout: return AttemptOutcomeKind::Timeout;
    case AttemptStatus::Malformed: return AttemptOutcomeKind::Malformed;
    case AttemptStatus::Rejected: return AttemptOutcomeKind::Invalid;
    case AttemptStatus::ProcessDied:
    case AttemptStatus::StartFailed:
    case AttemptStatus::Cancelled: return AttemptOutcomeKind::Died;
  }
  return AttemptOutcomeKind::Error;
}

std::string folder_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

Engine::Engine(LoadedApp& app, RunOptions options, std::ostream& log)
    : app_(app), options_(std::move(options)), log_(log), interpreter_(*app.module) {
  started_us_ = wall_now_us();
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
    config.working_dir = folder_of(service->module->file->path());
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
  runner_options.validator = [this](std::size_t index, const std::vector<RawEmit>& emits) -> std::optional<std::string> {
    const ast::ServiceDecl* service = exec_services_[index];
    Arena scratch;
    for (const auto& emit : emits) {
      const EventType* type = catalog_->find(emit.type);
      if (!type) return catalog_->unknown_type_reason(emit.type);
      bool declared = false;
      for (const auto& p : service->publishes) declared |= p.resolved == type->decl;
      if (!declared) return "emitted '" + emit.type + "', which the service does not publish";
      DecodedEvent decoded;
      if (!emit_decoder_->decode_data(*type, emit.data_json, scratch, decoded)) {
        return "invalid " + emit.type + ": " + emit_decoder_->error();
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
  dead_lettered_type_ = catalog_->find("std.runtime.DeliveryDeadLettered");
  input_rejected_type_ = catalog_->find("std.runtime.InputRejected");
  recover();
}

Engine::~Engine() = default;

void Engine::recover() {
  // Earlier runs: their definition versions and their running instances.
  bool definition_known = false;
  journal::JournalReader reader(options_.journal_dir);
  journal::Record record;
  uint64_t events = 0;
  while (reader.next(record)) {
    std::string_view payload(reinterpret_cast<const char*>(record.payload.data()), record.payload.size());
    if (record.type == static_cast<uint8_t>(RecordKind::Instance)) {
      InstanceRecord r;
      if (decode(payload, r)) instances_.apply(r);
    } else if (record.type == static_cast<uint8_t>(RecordKind::Definition)) {
      DefinitionRecord r;
      if (decode(payload, r) && r.hash == app_.content_hash) definition_known = true;
    } else if (record.type == static_cast<uint8_t>(RecordKind::Event)) {
      ++events;
    }
  }
  for (const auto& p : reader.problems()) log_ << "flowrt: journal: " << journal::describe(p) << "\n";
  if (events > 0) {
    log_ << "flowrt: continuing journal " << options_.journal_dir << ": " << events << " earlier events, "
         << instances_.running_count() << " running instances\n";
  }
  if (!definition_known) {
    DefinitionRecord def{app_.content_hash, wall_now_us(), app_.source_path, app_.artifact_bytes};
    append(RecordKind::Definition, encode(def));
    writer_.commit();
  }
}

void Engine::append(RecordKind kind, const std::string& payload) {
  writer_.append(static_cast<journal::RecordType>(kind), payload);
}

// Ids are unique across runs of one journal: every id is spent on an event
// record, so a run's ids stay below the next run's starting sequence.
std::string Engine::new_event_id() { return "e" + std::to_string(id_base_ + id_counter_++); }

std::string Engine::key_of(const EventType& type, const uint8_t* data) const {
  int key = type.decl->key_index;
  if (key < 0) return "";
  eval::Value v = eval::read_field(*type.layout, data, key);
  if (v.kind() == eval::ValueKind::String) return v.as_string();
  if (v.kind() == eval::ValueKind::Int) return std::to_string(v.as_int());
  return "";
}

void Engine::reject(int64_t line_number, std::string_view raw, const std::string& reason) {
  ++summary_.rejected;
  RejectedRecord r{line_number, reason, std::string(raw), wall_now_us()};
  append(RecordKind::Rejected, encode(r));
  log_ << "flowrt: rejected input line " << line_number << ": " << reason << "\n";
  if (input_rejected_type_) {
    // std.runtime.InputRejected: a flow may alert on bad input.
    layout::EventBuilder builder(*input_rejected_type_->layout, arena_);
    const auto& l = *input_rejected_type_->layout;
    builder.set_string(l.field_index("input_id"), "rejected-" + std::to_string(line_number) + "-" +
                                                      std::to_string(id_base_ + id_counter_));
    builder.set_int(l.field_index("line"), line_number);
    builder.set_string(l.field_index("reason"), reason);
    builder.set_string(l.field_index("raw"), raw);
    builder.set_timestamp(l.field_index("at"), r.time_us);
    publish_runtime_event(*input_rejected_type_, builder.instance(), "", "");
  }
}

void Engine::dead_letter(const DeadLetterRecord& dead, const std::string& event_type) {
  ++summary_.dead_lettered;
  append(RecordKind::DeadLetter, encode(dead));
  if (Instance* instance = instances_.find(dead.instance)) {
    set_status(*instance, dead.flow, InstanceStatus::Failed, dead.event);
  }
  log_ << "flowrt: dead-lettered delivery " << dead.delivery << " to " << dead.service << " after " << dead.attempts
       << " attempt(s): " << dead.error << "\n";
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
    builder.set_timestamp(l.field_index("at"), dead.time_us);
    publish_runtime_event(*dead_lettered_type_, builder.instance(), dead.instance, dead.event);
  }
}

void Engine::publish_runtime_event(const EventType& type, const uint8_t* data, const std::string& instance_id,
                                   const std::string& causation) {
  const dispatch::EventRoutes* routes = app_.table.find(type.decl);
  if (!routes || (routes->starts.empty() && routes->routes.empty())) return;  // nobody listens
  Work work;
  work.type = &type;
  work.data = data;
  work.record.id = new_event_id();
  work.record.type = type.qualified_name;
  work.record.key = key_of(type, data);
  work.record.causation = causation;
  work.record.source = "flowrt";
  work.record.time_us = wall_now_us();
  // It belongs to the instance it is about, or (input) starts its own.
  work.record.instance = instance_id.empty() ? work.record.key : instance_id;
  Instance& instance = instances_.get_or_create(work.record.instance, work.record.key);
  for (const auto* flow : routes->starts) enter_flow(instance, name_of(flow), work.record.id);
  ++summary_.events_out[type.name];
  queue_.push_back(std::move(work));
  run_queue();  // a no-op when called from inside a dispatch: the outer loop takes it
}

void Engine::ingest(std::string_view line, int64_t line_number) {
  ++summary_.lines;
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // blank lines are not events
  DecodedEvent decoded;
  if (!decoder_->decode(line, arena_, decoded)) {
    reject(line_number, line, decoder_->error());
    return;
  }
  const EventType& type = *decoded.type;
  const dispatch::EventRoutes* routes = app_.table.find(type.decl);
  std::string key = key_of(type, decoded.instance);
  Work work;
  work.type = &type;
  work.data = decoded.instance;
  work.record.id = decoded.id ? std::string(*decoded.id) : new_event_id();
  work.record.type = type.qualified_name;
  work.record.key = key;
  work.record.source = decoded.source ? std::string(*decoded.source) : "flowrt";
  work.record.subject = decoded.subject ? std::string(*decoded.subject) : "";
  work.record.time_us = decoded.time ? *decoded.time : wall_now_us();
  work.record.input_line = line_number;

  if (routes && !routes->starts.empty()) {
    // A start begins an instance named by its key (or, without a key, by its
    // id); a start whose key names a running instance joins it.
    std::string id = key.empty() ? work.record.id : key;
    Instance& instance = instances_.get_or_create(id, key);
    work.record.instance = id;
    for (const auto* flow : routes->starts) enter_flow(instance, flow->qualified_name(), work.record.id);
  } else if (routes && !routes->accepts.empty()) {
    Instance* instance = key.empty() ? nullptr : instances_.find(key);
    if (!instance || !instance->running()) {
      reject(line_number, line,
             "no running instance with key '" + key + "' for " + type.name + " (it joins a running instance of " +
                 routes->accepts[0]->name + " by its key)");
      return;
    }
    work.record.instance = instance->id;
  } else {
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
  ++summary_.events_in[type.name];
  queue_.push_back(std::move(work));
  run_queue();
  if (runner_->pending() > 0) {
    runner_->poll(0, outcomes_);
    handle_outcomes();
  }
  if (options_.progress && summary_.lines % 4096 == 0) {
    int64_t now = wall_now_us();
    if (now - last_progress_us_ > 500000) {
      last_progress_us_ = now;
      double seconds = static_cast<double>(now - started_us_) / 1e6;
      log_ << "\r" << summary_.lines << " lines, " << summary_.events_dispatched << " events, "
           << static_cast<uint64_t>(static_cast<double>(summary_.lines) / std::max(seconds, 1e-9)) << " lines/s   "
           << std::flush;
    }
  }
}

void Engine::run_queue() {
  if (running_queue_) return;
  running_queue_ = true;
  while (!queue_.empty()) {
    Work work = std::move(queue_.front());
    queue_.pop_front();
    dispatch(work);
  }
  running_queue_ = false;
  // Nothing refers to event memory once the queue is empty: exec deliveries
  // carry their own JSON.
  arena_.reset();
}

void Engine::enter_flow(Instance& instance, const std::string& flow, const std::string& event_id) {
  if (instance.flow(flow)) return;
  instance.flows.push_back({flow, InstanceStatus::Active});
  InstanceRecord r{instance.id, instance.key, flow, InstanceStatus::Active, event_id, wall_now_us()};
  append(RecordKind::Instance, encode(r));
}

void Engine::set_status(Instance& instance, const std::string& flow, InstanceStatus status,
                        const std::string& event_id) {
  FlowState* state = instance.flow(flow);
  if (!state || state->status == status || state->status != InstanceStatus::Active) return;
  state->status = status;
  InstanceRecord r{instance.id, instance.key, flow, status, event_id, wall_now_us()};
  append(RecordKind::Instance, encode(r));
}

void Engine::dispatch(Work& work) {
  int64_t now = wall_now_us();
  work.record.dispatched_us = now;
  work.record.definition = app_.content_hash;
  work.record.data_json.clear();
  append_data_json(work.record.data_json, *work.type, work.data);
  scratch_.clear();
  encode_into(scratch_, work.record);
  append(RecordKind::Event, scratch_);
  ++summary_.events_dispatched;

  Instance* instance = instances_.find(work.record.instance);
  if (!instance) instance = &instances_.get_or_create(work.record.instance, work.record.key);
  const dispatch::EventRoutes* routes = app_.table.find(work.type->decl);
  if (!routes) return;
  // An event emitted inside an instance that starts another flow enters it.
  if (!work.record.causation.empty()) {
    for (const auto* flow : routes->starts) enter_flow(*instance, flow->qualified_name(), work.record.id);
  }
  for (const auto* flow : routes->ends) {
    set_status(*instance, flow->qualified_name(), InstanceStatus::Completed, work.record.id);
  }

  for (size_t r = 0; r < routes->routes.size(); ++r) {
    const dispatch::Route& route = routes->routes[r];
    const std::string& flow = name_of(route.flow);
    if (route.condition >= 0) {
      trace_.clear();
      eval::EvalContext context{now, &trace_};
      eval::EvalResult result = evaluate(route.condition, work.data, context);
      DecisionRecord decision;
      decision.event = work.record.id;
      decision.flow = flow;
      decision.subscription = route.subscription;
      decision.result = !result.ok() ? -1 : result.value().as_bool() ? 1 : 0;
      if (!result.ok()) decision.error = result.error().message;
      for (const auto& entry : trace_) {
        decision.rules.push_back({entry.function->decl ? name_of(entry.function->decl) : entry.function->name,
                                  entry.ok ? entry.value.to_string() : "error"});
      }
      append(RecordKind::Decision, encode(decision));
      if (decision.result != 1) {
        if (decision.result < 0) {
          log_ << "flowrt: condition of " << flow << " on " << work.type->name << " (event " << work.record.id
               << ") failed: " << decision.error << "; treated as false\n";
        }
        continue;
      }
    }
    for (size_t s = 0; s < route.services.size(); ++s) {
      std::string delivery = "d-" + work.record.id + "." + std::to_string(r) + "." + std::to_string(s);
      deliver(route.services[s], flow, work, delivery);
    }
  }
  instances_.release_if_done(work.record.instance);
}

void Engine::deliver(const ast::ServiceDecl* service, const std::string& flow, Work& work,
                     const std::string& delivery_id) {
  ++summary_.deliveries;
  Instance& instance = instances_.get_or_create(work.record.instance, work.record.key);
  switch (service->impl) {
    case ast::ServiceImpl::Emit:
      run_emit_service(service, flow, work, delivery_id);
      return;
    case ast::ServiceImpl::Builtin: {
      int64_t started = wall_now_us();
      AttemptRecord attempt{delivery_id, work.record.id, work.record.instance, flow, service->qualified_name(), 1,
                            started, started, AttemptOutcomeKind::Ok, "", {}};
      if (service->builtin_name == "log" || service->builtin_name == "std.log") {
        log_ << "[" << service->name << "] " << work.type->name << " " << work.record.id << " "
             << work.record.data_json << "\n";
      } else {
        attempt.outcome = AttemptOutcomeKind::Error;
        attempt.error = "unknown builtin service '" + service->builtin_name + "'";
      }
      append(RecordKind::Attempt, encode(attempt));
      if (attempt.outcome != AttemptOutcomeKind::Ok) {
        ++summary_.failed_attempts;
        dead_letter({delivery_id, work.record.id, work.record.instance, flow, service->qualified_name(), 1,
                     attempt.error, wall_now_us()},
                    work.type->qualified_name);
      }
      return;
    }
    case ast::ServiceImpl::Exec: {
      std::string json;
      CloudEventAttributes attributes{work.record.id, work.record.source, work.record.time_us, std::nullopt};
      append_cloudevent_json(json, *work.type, work.data, attributes);
      runner_->submit(exec_index_.at(service), delivery_id, json);
      pending_[delivery_id] = {work.record.id, work.record.instance, flow, service, work.type->qualified_name};
      ++instance.in_flight;
      return;
    }
    case ast::ServiceImpl::None:
      return;
  }
}

void Engine::run_emit_service(const ast::ServiceDecl* service, const std::string& flow, Work& work,
                              const std::string& delivery_id) {
  int64_t started = wall_now_us();
  eval::EvalContext context{work.record.dispatched_us, nullptr};
  AttemptRecord attempt{delivery_id, work.record.id, work.record.instance, flow, service->qualified_name(), 1,
                        started, started, AttemptOutcomeKind::Ok, "", {}};
  std::vector<Work> produced;
  for (size_t e = 0; e < service->emits.size() && attempt.outcome == AttemptOutcomeKind::Ok; ++e) {
    const ir::EmitPlan* plan = app_.module->emit(service, static_cast<int>(e), work.type->decl);
    if (!plan || !emit_program(service, static_cast<int>(e), *work.type)) {
      attempt.outcome = AttemptOutcomeKind::Error;
      attempt.error = "no emit plan for " + work.type->name;
      break;
    }
    if (plan->guard >= 0) {
      eval::EvalResult guard = evaluate(plan->guard, work.data, context);
      if (!guard.ok()) {
        attempt.outcome = AttemptOutcomeKind::Error;
        attempt.error = "emit guard failed: " + guard.error().message;
        break;
      }
      if (!guard.value().as_bool()) continue;
    }
    const EmitProgram* program = emit_program(service, static_cast<int>(e), *work.type);
    const EventType* target = program->target;
    layout::EventBuilder builder(*target->layout, arena_);
    const layout::EventLayout& source_layout = *work.type->layout;
    for (size_t f = 0; f < program->actions.size() && attempt.outcome == AttemptOutcomeKind::Ok; ++f) {
      const FieldAction& action = program->actions[f];
      int field = static_cast<int>(f);
      switch (action.kind) {
        case FieldAction::Absent:
          builder.set_none(field);
          continue;
        case FieldAction::Copy:
          // Strings and lists are views into the arena the trigger lives in,
          // which outlives the produced event: a shallow copy is enough.
          std::memcpy(builder.instance() + target->layout->fields[f].offset, work.data + action.source_offset,
                      action.size);
          target->layout->set_present(builder.instance(), field,
                                      source_layout.present(work.data, action.source_field));
          continue;
        case FieldAction::Evaluate:
        case FieldAction::Default: {
          eval::EvalResult value = evaluate(action.function,
                                                    action.kind == FieldAction::Evaluate ? work.data : nullptr,
                                                    context);
          if (!value.ok()) {
            attempt.outcome = AttemptOutcomeKind::Error;
            attempt.error =
                "field '" + target->fields[f].name + "' of " + target->name + ": " + value.error().message;
            break;
          }
          eval::write_field(builder, field, value.value());
          continue;
        }
      }
    }
    if (attempt.outcome != AttemptOutcomeKind::Ok) break;
    Work next;
    next.type = target;
    next.data = builder.instance();
    next.record.type = target->qualified_name;
    next.record.key = key_of(*target, next.data);
    next.record.instance = work.record.instance;
    next.record.causation = work.record.id;
    next.record.delivery = delivery_id;
    next.record.service = service->qualified_name();
    next.record.source = service->qualified_name();
    next.record.time_us = started;
    produced.push_back(std::move(next));
  }
  if (attempt.outcome != AttemptOutcomeKind::Ok) {
    // A transform that cannot evaluate will not succeed on a retry either.
    append(RecordKind::Attempt, encode(attempt));
    ++summary_.failed_attempts;
    dead_letter({delivery_id, work.record.id, work.record.instance, flow, service->qualified_name(), 1, attempt.error,
                 wall_now_us()},
                work.type->qualified_name);
    return;
  }
  for (auto& next : produced) {
    next.record.id = new_event_id();
    attempt.emitted.push_back(next.record.id);
    ++summary_.events_out[next.type->name];
  }
  append(RecordKind::Attempt, encode(attempt));
  for (auto& next : produced) queue_.push_back(std::move(next));
}

const Engine::EmitProgram* Engine::emit_program(const ast::ServiceDecl* service, int emit_index,
                                                const EventType& trigger) {
  auto key = std::make_tuple(service, emit_index, trigger.decl);
  if (auto it = emit_programs_.find(key); it != emit_programs_.end()) return &it->second;
  const ir::EmitPlan* plan = app_.module->emit(service, emit_index, trigger.decl);
  if (!plan) return nullptr;
  EmitProgram program;
  program.plan = plan;
  program.target = catalog_->find(plan->target);
  const layout::EventLayout& target_layout = *program.target->layout;
  for (size_t f = 0; f < plan->fields.size(); ++f) {
    const auto& source = plan->fields[f];
    FieldAction action;
    switch (source.kind) {
      case ir::EmitPlan::Source::Absent: action.kind = FieldAction::Absent; break;
      case ir::EmitPlan::Source::Default:
        action.kind = FieldAction::Default;
        action.function = source.function;
        break;
      case ir::EmitPlan::Source::Init: {
        action.kind = FieldAction::Evaluate;
        action.function = source.function;
        // A field read of the trigger with the same type is a slot copy.
        const ir::Node& body = *app_.module->function(source.function).body;
        if (body.op == ir::Op::LoadField && body.operands.size() == 1 && body.operands[0]->op == ir::Op::EventParam &&
            trigger.layout->fields[body.index].type == target_layout.fields[f].type) {
          action.kind = FieldAction::Copy;
          action.source_field = body.index;
          action.source_offset = trigger.layout->fields[body.index].offset;
          action.size = target_layout.fields[f].slot.size;
        }
        break;
      }
    }
    program.actions.push_back(action);
  }
  return &emit_programs_.emplace(key, std::move(program)).first->second;
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
    AttemptRecord attempt{outcome.delivery_id, pending.event, pending.instance, pending.flow,
                          pending.service->qualified_name(), outcome.attempt, outcome.started_us, outcome.ended_us,
                          outcome_kind(outcome.status), outcome.error, {}};
    if (outcome.status != AttemptStatus::Ok) {
      ++summary_.failed_attempts;
      log_ << "flowrt: attempt " << outcome.attempt << " of delivery " << outcome.delivery_id << " to "
           << pending.service->name << " failed (" << to_string(outcome.status) << "): " << outcome.error << "\n";
    }
    if (outcome.state == DeliveryState::Retrying) ++summary_.retries;
    std::vector<Work> produced;
    if (outcome.status == AttemptStatus::Ok) {
      for (const auto& emit : outcome.emits) {
        const EventType* type = catalog_->find(emit.type);
        DecodedEvent decoded;
        if (!type || !emit_decoder_->decode_data(*type, emit.data_json, arena_, decoded)) continue;  // validated before
        Work next;
        next.type = decoded.type;
        next.data = decoded.instance;
        next.record.id = new_event_id();
        next.record.type = decoded.type->qualified_name;
        next.record.key = key_of(*decoded.type, decoded.instance);
        next.record.instance = pending.instance;
        next.record.causation = pending.event;
        next.record.delivery = outcome.delivery_id;
        next.record.service = pending.service->qualified_name();
        next.record.source = pending.service->qualified_name();
        next.record.time_us = outcome.ended_us;
        attempt.emitted.push_back(next.record.id);
        ++summary_.events_out[decoded.type->name];
        produced.push_back(std::move(next));
      }
    }
    append(RecordKind::Attempt, encode(attempt));
    if (outcome.final()) {
      Instance* instance = instances_.find(pending.instance);
      if (instance) --instance->in_flight;
      if (outcome.state == DeliveryState::DeadLettered || outcome.state == DeliveryState::Abandoned) {
        dead_letter({outcome.delivery_id, pending.event, pending.instance, pending.flow,
                     pending.service->qualified_name(), outcome.attempt, outcome.error, outcome.ended_us},
                    pending.event_type);
      }
      std::string instance_id = pending.instance;
      pending_.erase(it);
      for (auto& next : produced) queue_.push_back(std::move(next));
      run_queue();
      instances_.release_if_done(instance_id);
    }
  }
  outcomes_.clear();
}

void Engine::drain() {
  run_queue();
  while (!runner_->idle()) {
    runner_->poll(100, outcomes_);
    handle_outcomes();
    writer_.commit_if_due();
  }
  runner_->shutdown(std::chrono::milliseconds(2000));
  writer_.commit();
  if (options_.progress) log_ << "\r\033[K";
  summary_.seconds = static_cast<double>(wall_now_us() - started_us_) / 1e6;
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

void run_input(Engine& engine, std::istream& in) {
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) engine.ingest(line, ++number);
  engine.drain();
}

}  // namespace flow::runtime
