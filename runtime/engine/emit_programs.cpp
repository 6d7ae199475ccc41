#include "engine/emit_programs.h"

#include <algorithm>

#include "base/wall_clock.h"
#include "eval/value_io.h"
#include "ingress/event_encoder.h"
#include "layout/event_builder.h"

namespace flow::runtime {

const EmitProgram* EmitPrograms::find(const ServiceSpec& service, int emit_index, const EventType& trigger) {
  auto key = std::make_tuple(service.service, emit_index, trigger.decl);
  if (auto it = programs_.find(key); it != programs_.end()) return &it->second;
  const ir::Module& module = evaluator_.module();
  const ir::EmitPlan* plan = module.emit(service.service->qualified_name, emit_index, trigger.decl);
  if (!plan) return nullptr;
  EmitProgram program;
  program.guard = plan->guard;
  program.target = catalog_.find(plan->target);
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
        const ir::Node& body = *module.function(source.function).body;
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
      const ir::Node& body = *module.function(action.function).body;
      const bool literal = body.op == ir::Op::ConstBool || body.op == ir::Op::ConstInt ||
                           body.op == ir::Op::ConstFloat || body.op == ir::Op::ConstString ||
                           body.op == ir::Op::ConstTimestamp || body.op == ir::Op::ConstDuration ||
                           body.op == ir::Op::ConstEnum || body.op == ir::Op::ConstNone;
      if (literal) {
        eval::EvalResult value = evaluator_.run(action.function, nullptr, eval::EvalContext{wall_clock_us(), nullptr});
        if (value.ok()) {
          action.kind = FieldAction::Constant;
          action.constant = value.value();
        }
      }
    }
    program.actions.push_back(std::move(action));
  }
  plan_image(program);
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
  return &programs_.emplace(key, std::move(program)).first->second;
}

void EmitPrograms::plan_image(EmitProgram& program) {
  const layout::EventLayout& target_layout = *program.target->layout;
  program.initial.assign(target_layout.size, 0);
  layout::EventBuilder image(target_layout, constants_, program.initial.data());
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
