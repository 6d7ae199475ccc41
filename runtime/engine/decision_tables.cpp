#include "engine/decision_tables.h"

namespace flow::runtime {

void DecisionTables::clear() {
  flows_.clear();
  values_.clear();
  rules_.clear();
  entries_.clear();
  texts_.clear();
}

void DecisionTables::begin(const std::string& flow, int64_t subscription) {
  Entry& entry = entries_.emplace_back();
  entry.flow = flow_index(flow);
  entry.subscription = subscription;
  entry.first_rule = rules_.size();
}

void DecisionTables::end(int64_t result, std::string_view error) {
  Entry& entry = entries_.back();
  entry.result = result;
  entry.rule_count = rules_.size() - entry.first_rule;
  if (result < 0) entry.error = error;
}

uint32_t DecisionTables::flow_index(const std::string& flow) {
  for (size_t i = 0; i < flows_.size(); ++i) {
    if (flows_[i].data() == flow.data()) return static_cast<uint32_t>(i);
  }
  flows_.push_back(flow);
  return static_cast<uint32_t>(flows_.size() - 1);
}

uint32_t DecisionTables::value_index(const std::string& name, std::string_view value) {
  // Names are stable strings (route_table.h function_names): equal names
  // are the same string. An event's conditions trace a handful of rules.
  for (size_t i = 0; i < values_.size(); ++i) {
    // "true" and "false" are the same strings every time: their address
    // decides before their text is compared.
    const RuleValueView& known = values_[i];
    if (known.name.data() == name.data() &&
        ((known.value.data() == value.data() && known.value.size() == value.size()) || known.value == value)) {
      return static_cast<uint32_t>(i);
    }
  }
  values_.push_back({name, value});
  return static_cast<uint32_t>(values_.size() - 1);
}

DecisionSetView DecisionTables::view(std::string_view event_id) {
  decisions_.clear();
  for (const Entry& e : entries_) {
    decisions_.push_back({e.flow, e.subscription, e.result, e.error,
                          std::span<const uint32_t>(rules_.data() + e.first_rule, e.rule_count)});
  }
  return DecisionSetView{event_id, flows_, values_, decisions_};
}

}  // namespace flow::runtime
