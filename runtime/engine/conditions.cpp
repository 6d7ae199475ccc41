// Evaluating a subscription's condition for the `decisions` record
// (engine.h): the result, and the value of every rule and decision the
// condition called, written into the record's tables as it goes.
#include <cstring>

#include "engine/engine.h"
#include "eval/value_io.h"
#include "records/record_encoder.h"
#include "support/flow_rt.h"

namespace flow::runtime {

// The native trace hook of evaluate_condition: each rule or decision the
// condition calls goes as (name, value text) straight into the decisions
// record's table; no eval::Value for the true/false of a rule.
void Engine::trace_condition_call(FlowRtContext* context, uint32_t function_id, int32_t status,
                                  const void* result) noexcept {
  auto* engine = static_cast<Engine*>(context->trace_data);
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

DecisionSetView Engine::decision_set(std::string_view event_id) {
  set_decisions_.clear();
  for (const SetEntry& e : set_entries_) {
    set_decisions_.push_back({e.flow, e.subscription, e.result, e.error,
                              std::span<const uint32_t>(set_rules_.data() + e.first_rule, e.rule_count)});
  }
  return DecisionSetView{event_id, set_flows_, set_values_, set_decisions_};
}

void Engine::write_decisions(std::string_view event_id) {
  if (!write_decisions_from_cache(event_id)) write_record(RecordKind::Decisions, decision_set(event_id));
}

bool Engine::write_decisions_from_cache(std::string_view event_id) {
  // The key: the flows, the (rule, value) pairs and the entries, as the
  // addresses of the engine's own strings and small integers, a word each.
  decision_key_.clear();
  uint64_t hash = set_flows_.size();
  auto put = [&](uint64_t v) {
    decision_key_.push_back(v);
    hash = (hash ^ v) * 0x9E3779B97F4A7C15ull;
  };
  for (std::string_view flow : set_flows_) put(reinterpret_cast<uintptr_t>(flow.data()));
  for (const RuleValueView& value : set_values_) {
    const bool is_true = value.value.data() == true_text_.data();
    if (!is_true && value.value.data() != false_text_.data()) return false;  // a value of its own: not cached
    // Names are function_names_ strings, at even addresses: bit 0 is free.
    const auto name = reinterpret_cast<uintptr_t>(value.name.data());
    if (name & 1) return false;
    put(name | static_cast<uint64_t>(is_true));
  }
  put(~uint64_t{0});  // where the values end
  for (const SetEntry& e : set_entries_) {
    if (!e.error.empty() || e.subscription < 0 || e.subscription >= (1 << 24) || e.rule_count >= (1 << 16)) {
      return false;
    }
    put(static_cast<uint64_t>(e.flow) << 42 | static_cast<uint64_t>(e.subscription) << 18 |
        static_cast<uint64_t>(e.result + 1) << 16 | e.rule_count);
    for (size_t r = 0; r < e.rule_count; ++r) put(set_rules_[e.first_rule + r]);
  }
  auto it = decision_cache_.find(hash);
  if (it != decision_cache_.end() && it->second.key != decision_key_) return false;  // a collision: not cached
  if (it == decision_cache_.end()) {
    // Encoded once, with an empty event id: what follows it is the tail.
    const DecisionSetView view = decision_set("");
    std::string encoded(encoded_bound(view), '\0');
    encoded.resize(static_cast<size_t>(encode_to(encoded.data(), view, name_refs_.get()) - encoded.data()));
    if (decision_cache_.size() >= 4096) decision_cache_.clear();  // a bound on memory; rebuilt as needed
    it = decision_cache_.emplace(hash, CachedDecisions{decision_key_, std::move(encoded)}).first;
  }
  // The cached encoding is the version byte, the empty id's length (0) and
  // the tail: the same version and the id, then the tail.
  const std::string& cached = it->second.encoded;
  const size_t bound = cached.size() + 10 + event_id.size();
  if (bound > writer_.max_reservable()) return false;
  auto* room = reinterpret_cast<char*>(writer_.reserve(bound));
  RecordRawWriter head(room, name_refs_.get());  // as the cached encoding was written
  head.str(event_id);
  char* p = head.end();
  std::memcpy(p, cached.data() + 2, cached.size() - 2);
  p += cached.size() - 2;
  writer_.append_reserved(static_cast<journal::RecordType>(RecordKind::Decisions), static_cast<size_t>(p - room));
  return true;
}

}  // namespace flow::runtime
