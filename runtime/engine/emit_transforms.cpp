#include "engine/emit_transforms.h"

#include <cstring>

#include "base/wall_clock.h"
#include "engine/event_key.h"
#include "eval/value_io.h"
#include "ingress/event_encoder.h"
#include "layout/event_builder.h"

namespace flow::runtime {

EmitTransforms::EmitTransforms(const Evaluator& evaluator, const EventCatalog& catalog, WorkQueue& queue, EventIds& ids,
                               JournalSink& sink, RunStats& stats, Failures& failures)
    : programs_(evaluator, catalog),
      evaluator_(evaluator),
      queue_(queue),
      ids_(ids),
      sink_(sink),
      stats_(stats),
      failures_(failures) {}

void EmitTransforms::run(const ServiceSpec& service, const std::string& flow, Work& work,
                         const std::string& delivery_id, std::string_view data_json) {
  const std::string& service_name = *service.name;
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
  Arena& arena = queue_.arena();
  for (size_t e = 0; e < service.emits && error.empty(); ++e) {
    const EmitProgram* program = programs_.find(service, static_cast<int>(e), *work.type);
    if (!program) {
      error = "no emit plan for " + work.type->name;
      break;
    }
    if (program->guard >= 0) {
      eval::EvalResult guard = evaluator_.run(program->guard, work.data, context);
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
    auto* instance = static_cast<uint8_t*>(arena.allocate(target_layout.size, target_layout.align));
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
      layout::EventBuilder builder(target_layout, arena, instance);
      for (size_t f = 0; f < program->actions.size() && error.empty(); ++f) {
        const FieldAction& action = program->actions[f];
        if (action.kind != FieldAction::Evaluate && action.kind != FieldAction::Default) continue;
        eval::EvalResult value =
            evaluator_.run(action.function, action.kind == FieldAction::Evaluate ? work.data : nullptr, context);
        if (!value.ok()) {
          error = "field '" + target->fields[f].name + "' of " + target->name + ": " + value.error().message;
          break;
        }
        eval::write_field(builder, static_cast<int>(f), value.value());
      }
    }
    if (!error.empty()) break;
    Work& next = queue_.push();
    next.type = target;
    next.data = instance;
    if (program->json_prefix_fields > 0 && data_json.size() >= 2) {
      // The trigger's text: all but its closing brace, then the new
      // fields, straight into the arena.
      std::string_view tail;
      if (program->json_constant_tail) {
        tail = *program->json_constant_tail;
      } else {
        json_.clear();
        append_fields_json(json_, *target, next.data, program->json_prefix_fields);
        json_.push_back('}');
        tail = json_.view();
      }
      const size_t prefix = data_json.size() - 1;
      auto* text = static_cast<char*>(arena.allocate(prefix + tail.size(), 1));
      std::memcpy(text, data_json.data(), prefix);
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
  const bool chain_cut = error.empty() && !queue_.admit(work.chain, queue_.size() - queued_before);
  if (chain_cut) error = queue_.chain_too_long();
  if (!error.empty()) {
    // A transform that cannot evaluate will not succeed on a retry either.
    queue_.drop_from(queued_before);
    attempt.outcome = AttemptOutcomeKind::Error;
    attempt.error = error;
    sink_.write(RecordKind::Attempt, attempt);
    ++stats_.counts().failed_attempts;
    failures_.dead_letter({delivery_id, work.id, work.instance, flow, service_name, 1, error, wall_clock_us(),
                           chain_cut ? DeadLetterReason::ChainTooLong : DeadLetterReason::TransformFailed},
                          work.type->qualified_name, work.chain);
    return;
  }
  emitted_ids_.clear();
  for (size_t q = queued_before; q < queue_.size(); ++q) {
    Work& next = queue_[q];
    next.chain = work.chain;  // admitted above
    ids_.assign_new(next.id);
    emitted_ids_.push_back(next.id);
    stats_.count_out(*next.type);
  }
  attempt.emitted = emitted_ids_;
  sink_.write(RecordKind::Attempt, attempt);
}

}  // namespace flow::runtime
