// Allocation-free decoding of the journal records that whole-journal scans
// (replay) read by the million: the same payload encoding as
// journal_records.h, decoded to string_views into the payload instead of
// owned strings. A view is valid as long as the payload bytes it was
// decoded from; decoding accepts and rejects exactly the payloads that
// journal_records.h's decode() does.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "records/journal_records.h"

namespace flow::runtime {

/// An event record's fields, borrowed (the view the engine encodes from).
using EventView = EventRecordView;

struct DecisionView {
  std::string_view event;
  std::string_view flow;
  int64_t subscription = 0;
  int64_t result = 0;
  std::string_view error;
  uint32_t rule_count = 0;
  /// The rules list as encoded (name, value pairs); checked while decoding,
  /// turned into RuleValues only when asked (decode_rules).
  std::string_view rules;
  bool compact = true;  // the payload's integer encoding (version 2)
  bool named = false;   // version 3: names may refer to `names`
  const NameList* names = nullptr;
  /// From a `decisions` record: `rules` lists indexes into the record's
  /// (name, value) table, `values` (value_count pairs).
  bool indexed = false;
  std::string_view values;
  uint32_t value_count = 0;
};

/// `names`: the segment's list, for version-3 records (journal_records.h).
bool decode_view(std::string_view payload, EventView& out, const NameList* names = nullptr);
bool decode_view(std::string_view payload, DecisionView& out);
/// A `decision` (kind 3) or `decisions` record (kind 8): appends one view
/// per subscription to `out`. False (and `out` as it was) for another kind
/// or a payload that decode_decisions() refuses.
bool decode_decision_views(uint8_t kind, std::string_view payload, std::vector<DecisionView>& out,
                           const NameList* names = nullptr);

/// Replaces `out` with the decision's rules, as decode(DecisionRecord) would.
void decode_rules(const DecisionView& decision, std::vector<RuleValue>& out);

}  // namespace flow::runtime
