// DecisionTables: the `decisions` record of one event (journal.md) built in
// reused buffers while its conditions are evaluated: the flows with a
// conditional subscription, the distinct (rule, value) pairs the
// conditions traced, and per subscription its result, its error and which
// pairs it called. view() hands them to the record encoder without copying.
//
// Why a part of its own: the record's shape — pairs shared between
// subscriptions, flows and values compared by address first — is a matter
// of encoding, apart from evaluating conditions (decider.h).
//
// Limits: one event at a time; the texts it keeps (non-boolean values,
// error messages) live until clear().
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "records/journal_records.h"

namespace flow::runtime {

class DecisionTables {
 public:
  /// A boolean rule value's text: always these strings, so that the record
  /// can refer to them by number (journal_sink.h list_names).
  const std::string& true_text() const { return true_text_; }
  const std::string& false_text() const { return false_text_; }

  void clear();
  /// Starts the entry of a conditional subscription of `flow` (a stable
  /// name); the rules its condition calls follow with add_rule().
  void begin(const std::string& flow, int64_t subscription);
  /// Rule `name` (a stable name) returned `value`.
  void add_rule(const std::string& name, std::string_view value) { rules_.push_back(value_index(name, value)); }
  /// Ends the entry begun last: 1 fired, 0 not, -1 failed with `error`.
  void end(int64_t result, std::string_view error);
  /// Keeps `text` (a value or an error) until clear().
  std::string_view keep(std::string text) { return texts_.emplace_back(std::move(text)); }
  /// The record, for `event_id`.
  DecisionSetView view(std::string_view event_id);

 private:
  struct Entry {
    uint32_t flow = 0;
    int64_t subscription = 0, result = 0;
    std::string_view error;
    size_t first_rule = 0, rule_count = 0;
  };
  uint32_t flow_index(const std::string& flow);
  uint32_t value_index(const std::string& name, std::string_view value);

  const std::string true_text_ = "true";
  const std::string false_text_ = "false";
  std::vector<std::string_view> flows_;
  std::vector<RuleValueView> values_;
  std::vector<uint32_t> rules_;
  std::vector<Entry> entries_;
  std::vector<SubscriptionDecisionView> decisions_;
  std::deque<std::string> texts_;
};

}  // namespace flow::runtime
