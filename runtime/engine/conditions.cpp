// Evaluating a subscription's condition for the `decisions` record
// (engine.h): the result, and the value of every rule and decision the
// condition called, written into the record's tables as it goes.
#include <cstring>

#include "engine/engine.h"
#include "eval/value_io.h"
#include "support/flow_rt.h"

namespace flow::runtime {

// The native trace hook of evaluate_condition: each rule or decision the
// condition calls goes as (name, value text) straight into the decisions
// record's table; no eval::Value for the true/false of a rule.
void Engine::trace_condition_call(FlowRtContext* context, uint32_t function_id, int32_t status,
                                  const void* result) noexcept {
  auto* engine = static_cast<Engine*>(context->trace_data);
  try {
    const ir::Function& function = engine->app_.module->function(static_cast<int>(function_id));
    std::string_view value = "error";
    if (status == FLOW_RT_OK && function.result->kind == TypeKind::Bool) {
      value = *static_cast<const uint8_t*>(result) ? engine->true_text_ : engine->false_text_;
    } else if (status == FLOW_RT_OK) {
      // As CompiledProgram::run reads a result slot (codegen/jit.cpp).
      const uint8_t* instance = nullptr;
      if (function.result->kind == TypeKind::Event) std::memcpy(&instance, result, sizeof instance);
      const eval::Value v = function.result->kind == TypeKind::Event
                                ? eval::Value::event(instance)
                                : eval::read_element(function.result, static_cast<const uint8_t*>(result));
      value = engine->value_texts_.emplace_back(v.to_string());
    }
    engine->set_rules_.push_back(engine->value_index(engine->function_names_[function_id], value));
  } catch (...) {
    engine->condition_trace_failed_ = true;
  }
}

int64_t Engine::evaluate_condition(int function, const uint8_t* data, int64_t now, std::string_view& error) {
  if (options_.jit) {
    // The native fast path: the same results and trace as run() (tests/
    // codegen), without building an eval::Value per traced call.
    condition_trace_failed_ = false;
    FlowRtContext context = options_.jit->context(now, condition_arena_.get());
    context.trace = &Engine::trace_condition_call;
    context.trace_data = this;
    bool fired = false;
    const int32_t status = options_.jit->test(function, data, context, fired);
    condition_arena_.reset();
    if (condition_trace_failed_) {
      error = value_texts_.emplace_back("out of memory");
      return -1;
    }
    if (status != FLOW_RT_OK) {
      error = value_texts_.emplace_back(options_.jit->error(status, context).message);
      return -1;
    }
    return fired ? 1 : 0;
  }
  trace_.clear();
  eval::EvalContext context{now, &trace_};
  eval::EvalResult result = interpreter_.run(function, data, context);
  for (const auto& t : trace_) {
    std::string_view value = "error";
    if (t.ok && t.value.kind() == eval::ValueKind::Bool) {
      value = t.value.as_bool() ? true_text_ : false_text_;
    } else if (t.ok) {
      value = value_texts_.emplace_back(t.value.to_string());
    }
    set_rules_.push_back(value_index(function_names_[t.function->id], value));
  }
  if (!result.ok()) {
    error = value_texts_.emplace_back(result.error().message);
    return -1;
  }
  return result.value().as_bool() ? 1 : 0;
}

uint32_t Engine::flow_index(const std::string& flow) {
  for (size_t i = 0; i < set_flows_.size(); ++i) {
    if (set_flows_[i].data() == flow.data()) return static_cast<uint32_t>(i);
  }
  set_flows_.push_back(flow);
  return static_cast<uint32_t>(set_flows_.size() - 1);
}

uint32_t Engine::value_index(const std::string& name, std::string_view value) {
  // Names are the stable strings of function_names_: equal names are the
  // same string. An event's conditions trace a handful of rules.
  for (size_t i = 0; i < set_values_.size(); ++i) {
    // "true" and "false" are the same strings every time: their address
    // decides before their text is compared.
    const RuleValueView& known = set_values_[i];
    if (known.name.data() == name.data() &&
        ((known.value.data() == value.data() && known.value.size() == value.size()) || known.value == value)) {
      return static_cast<uint32_t>(i);
    }
  }
  set_values_.push_back({name, value});
  return static_cast<uint32_t>(set_values_.size() - 1);
}

}  // namespace flow::runtime
