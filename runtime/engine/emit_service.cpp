// Built-in `emit` transforms (language.md §8): the trigger's fields copied
// slot for slot where they can be, literals evaluated once per plan, the
// rest by the compiled initialisers; what they produce goes to the back of
// the dispatch queue, with its `data` text derived from the trigger's when
// the target starts with the trigger's fields.
#include <algorithm>
#include <cstring>

#include "engine/engine.h"
#include "eval/value_io.h"
#include "ingress/event_encoder.h"
#include "layout/event_builder.h"
#include "base/wall_clock.h"

namespace flow::runtime {

void Engine::run_emit_service(const ast::ServiceDecl* service, const std::string& service_name, const std::string& flow,
                              Work& work, const std::string& delivery_id) {
  // A transform runs in no time: its attempt and events carry the
  // trigger's dispatch time.
  int64_t started = work.dispatched_us;
  eval::EvalContext context{work.dispatched_us, nullptr};
  AttemptRecordView attempt{
      delivery_id, work.id, work.instance, flow, service_name, 1, started, started, AttemptOutcomeKind::Ok, "", {}};
  std::string error;
  // What it produces goes straight to the back of the queue, and is taken
  // back if a later emit of the same service fails.
  const size_t queued_before = queue_.size();
  for (size_t e = 0; e < service->emits.size() && error.empty(); ++e) {
    const EmitProgram* program = emit_program(service, static_cast<int>(e), *work.type);
    if (!program) {
      error = "no emit plan for " + work.type->name;
      break;
    }
    if (program->plan->guard >= 0) {
      eval::EvalResult guard = evaluate(program->plan->guard, work.data, context);
      if (!guard.ok()) {
        error = "emit guard failed: " + guard.error().message;
        break;
      }
      if (!guard.value().as_bool()) continue;
    }
    const EventType* target = program->target;
    const layout::EventLayout& target_layout = *target->layout;
    // Constants and zeroes from the program's image, then the trigger's
    // slots run by run, then whatever needs evaluating.
    auto* instance = static_cast<uint8_t*>(arena_.allocate(target_layout.size, target_layout.align));
    std::memcpy(instance, program->initial.data(), target_layout.size);
    for (const SlotRun& run : program->copy_runs) {
      std::memcpy(instance + run.target_offset, work.data + run.source_offset, run.size);
    }
    const layout::EventLayout& source_layout = *work.type->layout;
    // Bitmap bytes whose fields are the trigger's, in place: copied whole.
    for (uint32_t b = 0; b < program->presence_bytes; ++b) {
      instance[target_layout.bitmap_offset + b] |= work.data[source_layout.bitmap_offset + b];
    }
    for (const auto& [from, to] : program->copied_presence) {
      if (source_layout.present(work.data, from)) {
        instance[target_layout.bitmap_offset + static_cast<uint32_t>(to) / 8] |=
            static_cast<uint8_t>(1u << (static_cast<uint32_t>(to) % 8));
      }
    }
    if (program->evaluates) {
      layout::EventBuilder builder(target_layout, arena_, instance);
      for (size_t f = 0; f < program->actions.size() && error.empty(); ++f) {
        const FieldAction& action = program->actions[f];
        if (action.kind != FieldAction::Evaluate && action.kind != FieldAction::Default) continue;
        eval::EvalResult value =
            evaluate(action.function, action.kind == FieldAction::Evaluate ? work.data : nullptr, context);
        if (!value.ok()) {
          error = "field '" + target->fields[f].name + "' of " + target->name + ": " + value.error().message;
          break;
        }
        eval::write_field(builder, static_cast<int>(f), value.value());
      }
    }
    if (!error.empty()) break;
    Work& next = push_work();
    next.type = target;
    next.data = instance;
    if (program->json_prefix_fields > 0 && data_json_.size() >= 2) {
      // data_json_ holds the trigger's text during its dispatch: all but
      // its closing brace, then the new fields, straight into the arena.
      std::string_view tail;
      if (program->json_constant_tail) {
        tail = *program->json_constant_tail;
      } else {
        emit_json_.clear();
        append_fields_json(emit_json_, *target, next.data, program->json_prefix_fields);
        emit_json_.push_back('}');
        tail = emit_json_.view();
      }
      const size_t prefix = data_json_.size() - 1;
      auto* text = static_cast<char*>(arena_.allocate(prefix + tail.size(), 1));
      std::memcpy(text, data_json_.data(), prefix);
      std::memcpy(text + prefix, tail.data(), tail.size());
      next.data_json = std::string_view(text, prefix + tail.size());
    }
    assign_key(*target, next.data, next.key);
    next.instance = work.instance;
    next.causation = work.id;
    next.delivery = delivery_id;
    next.service = &service_name;
    next.time_us = started;
  }
  const bool chain_cut = error.empty() && !admit_to_chain(work.chain, queue_.size() - queued_before);
  if (chain_cut) error = chain_too_long();
  if (!error.empty()) {
    // A transform that cannot evaluate will not succeed on a retry either.
    drop_queued_from(queued_before);
    attempt.outcome = AttemptOutcomeKind::Error;
    attempt.error = error;
    write_record(RecordKind::Attempt, attempt);
    ++summary_.failed_attempts;
    dead_letter({delivery_id, work.id, work.instance, flow, service_name, 1, error, wall_clock_us(),
                 chain_cut ? DeadLetterReason::ChainTooLong : DeadLetterReason::TransformFailed},
                work.type->qualified_name, work.chain);
    return;
  }
  emitted_ids_.clear();
  for (size_t q = queued_before; q < queue_.size(); ++q) {
    Work& next = *queue_[q];
    next.chain = work.chain;  // admitted above
    assign_new_event_id(next.id);
    emitted_ids_.push_back(next.id);
    count_event(events_out_, *next.type);
  }
  attempt.emitted = emitted_ids_;
  write_record(RecordKind::Attempt, attempt);
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
    if (action.kind == FieldAction::Evaluate || action.kind == FieldAction::Default) {
      // A literal (`band: "large"`) is the same for every event: evaluated
      // here once instead of per emitted event.
      const ir::Node& body = *app_.module->function(action.function).body;
      const bool literal = body.op == ir::Op::ConstBool || body.op == ir::Op::ConstInt ||
                           body.op == ir::Op::ConstFloat || body.op == ir::Op::ConstString ||
                           body.op == ir::Op::ConstTimestamp || body.op == ir::Op::ConstDuration ||
                           body.op == ir::Op::ConstEnum || body.op == ir::Op::ConstNone;
      if (literal) {
        eval::EvalResult value = evaluate(action.function, nullptr, eval::EvalContext{wall_clock_us(), nullptr});
        if (value.ok()) {
          action.kind = FieldAction::Constant;
          action.constant = value.value();
        }
      }
    }
    program.actions.push_back(std::move(action));
  }
  plan_emit_image(program);
  // The trigger's JSON text can start the target's when its fields come
  // first, in order, under the same names, copied slot for slot.
  size_t prefix = trigger.fields.size();
  bool same_start = prefix > 0 && prefix <= program.actions.size();
  for (size_t f = 0; same_start && f < prefix; ++f) {
    const FieldAction& action = program.actions[f];
    same_start = action.kind == FieldAction::Copy && action.source_field == static_cast<int>(f) &&
                 program.target->fields[f].json_key == trigger.fields[f].json_key;
  }
  program.json_prefix_fields = same_start ? prefix : 0;
  bool constant_tail = same_start;
  for (size_t f = prefix; constant_tail && f < program.actions.size(); ++f) {
    constant_tail = program.actions[f].kind == FieldAction::Constant || program.actions[f].kind == FieldAction::Absent;
  }
  if (constant_tail) {
    // The image holds those fields as every emitted event will (the copies
    // and the trigger's presence bytes do not reach them).
    JsonBuffer tail;
    append_fields_json(tail, *program.target, program.initial.data(), prefix);
    tail.push_back('}');
    program.json_constant_tail = std::string(tail.view());
  }
  return &emit_programs_.emplace(key, std::move(program)).first->second;
}

void Engine::plan_emit_image(EmitProgram& program) {
  const layout::EventLayout& target_layout = *program.target->layout;
  program.initial.assign(target_layout.size, 0);
  layout::EventBuilder image(target_layout, constants_arena_, program.initial.data());
  std::vector<SlotRun> copies;
  for (size_t f = 0; f < program.actions.size(); ++f) {
    const FieldAction& action = program.actions[f];
    const int field = static_cast<int>(f);
    switch (action.kind) {
      case FieldAction::Absent: image.set_none(field); break;
      case FieldAction::Constant: eval::write_field(image, field, action.constant); break;
      case FieldAction::Copy:
        copies.push_back({action.source_offset, target_layout.fields[f].offset, action.size});
        program.copied_presence.emplace_back(action.source_field, field);
        break;
      case FieldAction::Evaluate:
      case FieldAction::Default: program.evaluates = true; break;
    }
  }
  // Where target field i is trigger field i for every field of the first
  // bitmap bytes (the usual `...x` first), those bytes are copied whole.
  size_t identical = 0;
  while (identical < program.copied_presence.size() &&
         program.copied_presence[identical] ==
             std::pair<int, int>(static_cast<int>(identical), static_cast<int>(identical))) {
    ++identical;
  }
  program.presence_bytes = static_cast<uint32_t>(identical / 8);
  program.copied_presence.erase(
      program.copied_presence.begin(),
      program.copied_presence.begin() + static_cast<std::ptrdiff_t>(program.presence_bytes * 8));
  // Fields laid out side by side in both events (the usual `...x`) become
  // one copy.
  std::sort(copies.begin(), copies.end(),
            [](const SlotRun& a, const SlotRun& b) { return a.target_offset < b.target_offset; });
  for (const SlotRun& copy : copies) {
    SlotRun* last = program.copy_runs.empty() ? nullptr : &program.copy_runs.back();
    if (last && last->source_offset + last->size == copy.source_offset &&
        last->target_offset + last->size == copy.target_offset) {
      last->size += copy.size;
    } else {
      program.copy_runs.push_back(copy);
    }
  }
}

}  // namespace flow::runtime
