// Evaluating an event's conditions for its `decisions` record (engine.h):
// each result, and the value of every rule and decision a condition called,
// either walked through the event type's DecisionMemo (decision_memo.h) or
// written into the record's tables as it goes.
#include <cstring>

#include "engine/engine.h"
#include "eval/value_io.h"
#include "records/record_encoder.h"
#include "rt_abi/flow_rt.h"

namespace flow::runtime {

// The native trace hook of evaluate_condition: each rule or decision the
// condition calls goes as (name, value text) straight into the decisions
// record's table; no eval::Value for the true/false of a rule.
void Engine::trace_condition_call(FlowRtContext* context, uint32_t function_id, int32_t status,
                                  const void* result) noexcept {
  auto* engine = static_cast<Engine*>(context->trace_data);
  if (DecisionMemo* memo = engine->memo_walk_) {
    if (status == FLOW_RT_OK && function_id < engine->returns_bool_.size() && engine->returns_bool_[function_id]) {
      memo->step(DecisionMemo::rule_token(function_id, *static_cast<const uint8_t*>(result) != 0));
    } else {
      memo->abandon();
    }
    return;
  }
  try {
    // Rules are boolean: their value is known without looking the
    // function up.
    if (status == FLOW_RT_OK && function_id < engine->returns_bool_.size() && engine->returns_bool_[function_id]) {
      const std::string& value = *static_cast<const uint8_t*>(result) ? engine->true_text_ : engine->false_text_;
      engine->set_rules_.push_back(engine->value_index(engine->function_names_[function_id], value));
      return;
    }
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
    if (condition_arena_.used() > 0) condition_arena_.reset();  // most conditions make no strings
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
    if (memo_walk_) {
      if (t.ok && t.value.kind() == eval::ValueKind::Bool) {
        memo_walk_->step(DecisionMemo::rule_token(static_cast<uint32_t>(t.function->id), t.value.as_bool()));
      } else {
        memo_walk_->abandon();
      }
      continue;
    }
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

DecisionSetView Engine::decision_set(std::string_view event_id) {
  set_decisions_.clear();
  for (const SetEntry& e : set_entries_) {
    set_decisions_.push_back({e.flow, e.subscription, e.result, e.error,
                              std::span<const uint32_t>(set_rules_.data() + e.first_rule, e.rule_count)});
  }
  return DecisionSetView{event_id, set_flows_, set_values_, set_decisions_};
}

void Engine::decide(const EventPlan& plan, const Work& work, int64_t now) {
  // The walk: every condition, its trace as tokens only.
  DecisionMemo& memo = decision_memos_[static_cast<size_t>(work.type->index)];
  walk_conditions(plan, work, now, memo);
  if (const std::string* record = memo.record()) {
    if (write_remembered(*record, work.id)) return;
  }
  // The full way. Conditions are deterministic (the same event, the same
  // clock reading): they give the results the walk saw.
  evaluate_conditions(plan, work, now);
  if (memo.walking() && !memo.record()) {
    const DecisionSetView view = decision_set("");
    std::string encoded(encoded_bound(view), '\0');
    encoded.resize(static_cast<size_t>(encode_to(encoded.data(), view, name_refs_.get()) - encoded.data()));
    memo.remember(std::move(encoded));
    if (write_remembered(*memo.record(), work.id)) return;
  }
  write_record(RecordKind::Decisions, decision_set(work.id));
}

void Engine::walk_conditions(const EventPlan& plan, const Work& work, int64_t now, DecisionMemo& memo) {
  const auto& routes = plan.routes->routes;
  memo.begin();
  memo_walk_ = &memo;  // the trace goes to the memo while the walk lasts
  if (options_.jit) {
    // Native: one context for all of the event's conditions (it carries
    // nothing from one to the next but the arena, reset after them).
    FlowRtContext context = options_.jit->context(now, condition_arena_.get());
    context.trace = &Engine::trace_condition_call;
    context.trace_data = this;
    for (size_t r = 0; r < routes.size() && memo.walking(); ++r) {
      if (routes[r].condition < 0) continue;
      bool fired = false;
      if (options_.jit->test(routes[r].condition, work.data, context, fired) != FLOW_RT_OK) {
        memo.abandon();  // the full way words the error
        break;
      }
      route_fired_[r] = fired ? 1 : 0;
      memo.step(DecisionMemo::result_token(fired));
    }
    if (condition_arena_.used() > 0) condition_arena_.reset();
  } else {
    for (size_t r = 0; r < routes.size() && memo.walking(); ++r) {
      if (routes[r].condition < 0) continue;
      std::string_view error;
      const int64_t fired = evaluate_condition(routes[r].condition, work.data, now, error);
      if (fired < 0) {
        memo.abandon();
      } else {
        route_fired_[r] = static_cast<int8_t>(fired);
        memo.step(DecisionMemo::result_token(fired == 1));
      }
    }
  }
  memo_walk_ = nullptr;
}

void Engine::evaluate_conditions(const EventPlan& plan, const Work& work, int64_t now) {
  const auto& routes = plan.routes->routes;
  set_flows_.clear();
  set_values_.clear();
  set_rules_.clear();
  set_entries_.clear();
  value_texts_.clear();
  for (size_t r = 0; r < routes.size(); ++r) {
    const dispatch::Route& route = routes[r];
    if (route.condition < 0) continue;
    SetEntry& entry = set_entries_.emplace_back();
    entry.flow = flow_index(*plan.routes_named[r].flow);
    entry.subscription = route.subscription;
    entry.first_rule = set_rules_.size();
    std::string_view error;
    const int64_t fired = evaluate_condition(route.condition, work.data, now, error);
    route_fired_[r] = static_cast<int8_t>(fired);
    entry.result = fired;
    entry.rule_count = set_rules_.size() - entry.first_rule;
    if (fired < 0) {
      entry.error = error;
      log_ << "flowrt: condition of " << *plan.routes_named[r].flow << " on " << work.type->name << " (event "
           << work.id << ") failed: " << error << "; treated as false\n";
    }
  }
}

bool Engine::write_remembered(const std::string& encoded, std::string_view event_id) {
  // The encoding is the version byte, the empty id's length (0) and the
  // tail: written as the same version and the id, then the tail.
  const size_t bound = encoded.size() + 10 + event_id.size();
  if (bound > writer_.max_reservable()) return false;
  auto* room = reinterpret_cast<char*>(writer_.reserve(bound));
  RecordRawWriter head(room, name_refs_.get());  // as the remembered encoding was written
  head.str(event_id);
  char* p = head.end();
  std::memcpy(p, encoded.data() + 2, encoded.size() - 2);
  p += encoded.size() - 2;
  writer_.append_reserved(static_cast<journal::RecordType>(RecordKind::Decisions), static_cast<size_t>(p - room));
  return true;
}

}  // namespace flow::runtime
