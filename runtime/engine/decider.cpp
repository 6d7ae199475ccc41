#include "engine/decider.h"

#include "codegen/jit.h"

namespace flow::runtime {

Decider::Decider(const Evaluator& evaluator, const RouteTable& routes, size_t event_types, JournalSink& sink,
                 std::ostream& log)
    : evaluator_(evaluator),
      function_names_(routes.function_names()),
      returns_bool_(routes.returns_bool()),
      sink_(sink),
      log_(log),
      memos_(event_types) {}

// The native trace hook of evaluate_condition: each rule or decision the
// condition calls goes as (name, value text) straight into the decisions
// record's table; no eval::Value for the true/false of a rule.
void Decider::trace_call(FlowRtContext* context, uint32_t function_id, int32_t status, const void* result) noexcept {
  auto* decider = static_cast<Decider*>(context->trace_data);
  if (DecisionMemo* memo = decider->memo_walk_) {
    if (status == FLOW_RT_OK && function_id < decider->returns_bool_.size() && decider->returns_bool_[function_id]) {
      memo->step(DecisionMemo::rule_token(function_id, *static_cast<const uint8_t*>(result) != 0));
    } else {
      memo->abandon();
    }
    return;
  }
  try {
    // Rules are boolean: their value is known without looking the
    // function up.
    DecisionTables& tables = decider->tables_;
    if (status == FLOW_RT_OK && function_id < decider->returns_bool_.size() && decider->returns_bool_[function_id]) {
      const std::string& value = *static_cast<const uint8_t*>(result) ? tables.true_text() : tables.false_text();
      tables.add_rule(decider->function_names_[function_id], value);
      return;
    }
    const ir::Function& function = decider->evaluator_.module().function(static_cast<int>(function_id));
    std::string_view value = "error";
    if (status == FLOW_RT_OK && function.result->kind == TypeKind::Bool) {
      value = *static_cast<const uint8_t*>(result) ? tables.true_text() : tables.false_text();
    } else if (status == FLOW_RT_OK) {
      value = tables.keep(codegen::read_result(function.result, result).to_string());
    }
    tables.add_rule(decider->function_names_[function_id], value);
  } catch (...) {
    decider->trace_failed_ = true;
  }
}

int64_t Decider::evaluate_condition(int function, const uint8_t* data, int64_t now, std::string_view& error) {
  if (evaluator_.jit()) {
    // The native fast path: the same results and trace as run() (tests/
    // codegen), without building an eval::Value per traced call.
    trace_failed_ = false;
    FlowRtContext context = evaluator_.jit()->context(now, arena_.get());
    context.trace = &Decider::trace_call;
    context.trace_data = this;
    bool fired = false;
    const int32_t status = evaluator_.jit()->test(function, data, context, fired);
    if (arena_.used() > 0) arena_.reset();  // most conditions make no strings
    if (trace_failed_) {
      error = tables_.keep("out of memory");
      return -1;
    }
    if (status != FLOW_RT_OK) {
      error = tables_.keep(evaluator_.jit()->error(status, context).message);
      return -1;
    }
    return fired ? 1 : 0;
  }
  trace_.clear();
  eval::EvalContext context{now, &trace_};
  eval::EvalResult result = evaluator_.interpreter().run(function, data, context);
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
      value = t.value.as_bool() ? tables_.true_text() : tables_.false_text();
    } else if (t.ok) {
      value = tables_.keep(t.value.to_string());
    }
    tables_.add_rule(function_names_[t.function->id], value);
  }
  if (!result.ok()) {
    error = tables_.keep(result.error().message);
    return -1;
  }
  return result.value().as_bool() ? 1 : 0;
}

void Decider::evaluate(const EventRoutes& routes, const Work& work, int64_t now) {
  // The walk: every condition, its trace as tokens only.
  DecisionMemo& memo = memos_[static_cast<size_t>(work.type->index)];
  walk(routes, work, now, memo);
  if (const std::string* record = memo.record()) {
    if (sink_.write_with_id(RecordKind::Decisions, *record, work.id)) return;
  }
  // The full way. Conditions are deterministic (the same event, the same
  // clock reading): they give the results the walk saw.
  evaluate_all(routes, work, now);
  if (memo.walking() && !memo.record()) {
    memo.remember(sink_.encode_detached(tables_.view("")));
    if (sink_.write_with_id(RecordKind::Decisions, *memo.record(), work.id)) return;
  }
  sink_.write(RecordKind::Decisions, tables_.view(work.id));
}

void Decider::walk(const EventRoutes& event, const Work& work, int64_t now, DecisionMemo& memo) {
  const auto& routes = event.routes;
  memo.begin();
  memo_walk_ = &memo;  // the trace goes to the memo while the walk lasts
  if (evaluator_.jit()) {
    // Native: one context for all of the event's conditions (it carries
    // nothing from one to the next but the arena, reset after them).
    FlowRtContext context = evaluator_.jit()->context(now, arena_.get());
    context.trace = &Decider::trace_call;
    context.trace_data = this;
    for (size_t r = 0; r < routes.size() && memo.walking(); ++r) {
      if (routes[r].condition < 0) continue;
      bool fired = false;
      if (evaluator_.jit()->test(routes[r].condition, work.data, context, fired) != FLOW_RT_OK) {
        memo.abandon();  // the full way words the error
        break;
      }
      fired_[r] = fired ? 1 : 0;
      memo.step(DecisionMemo::result_token(fired));
    }
    if (arena_.used() > 0) arena_.reset();
  } else {
    for (size_t r = 0; r < routes.size() && memo.walking(); ++r) {
      if (routes[r].condition < 0) continue;
      std::string_view error;
      const int64_t fired = evaluate_condition(routes[r].condition, work.data, now, error);
      if (fired < 0) {
        memo.abandon();
      } else {
        fired_[r] = static_cast<int8_t>(fired);
        memo.step(DecisionMemo::result_token(fired == 1));
      }
    }
  }
  memo_walk_ = nullptr;
}

void Decider::evaluate_all(const EventRoutes& event, const Work& work, int64_t now) {
  const auto& routes = event.routes;
  tables_.clear();
  for (size_t r = 0; r < routes.size(); ++r) {
    const Route& route = routes[r];
    if (route.condition < 0) continue;
    tables_.begin(*route.flow, route.subscription);
    std::string_view error;
    const int64_t fired = evaluate_condition(route.condition, work.data, now, error);
    fired_[r] = static_cast<int8_t>(fired);
    tables_.end(fired, error);
    if (fired < 0) {
      log_ << "flowrt: condition of " << *route.flow << " on " << work.type->name << " (event " << work.id
           << ") failed: " << error << "; treated as false\n";
    }
  }
}

}  // namespace flow::runtime
