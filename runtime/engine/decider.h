// Decider: evaluates the conditions of an event's routes and journals its
// `decisions` record (runtime.md §5): every condition's result, and the
// value of each rule and decision a condition called, in one record that
// precedes what the event caused.
//
// How it stays cheap: each event type has a DecisionMemo (decision_memo.h).
// The conditions first run with their trace walking the memo's trie; where
// an earlier event took the same path, that event's encoded record is
// written again under the new event id. Only a new path builds the record
// in DecisionTables (decision_tables.h), the full way. With native code,
// all of an event's conditions share one context, and the trace hook takes
// a rule's boolean straight from its result slot.
//
// Limits: conditions are deterministic (the same event, the same clock
// reading), which is what lets the full way repeat the walk's results. A
// condition that fails counts as false, with its error in the record and
// on the log.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/decision_memo.h"
#include "engine/decision_tables.h"
#include "engine/evaluator.h"
#include "engine/journal_sink.h"
#include "engine/route_table.h"
#include "engine/work_queue.h"
#include "rt_abi/arena.h"
#include "rt_abi/flow_rt.h"

namespace flow::runtime {

class Decider {
 public:
  Decider(const Evaluator& evaluator, const RouteTable& routes, size_t event_types, JournalSink& sink,
          std::ostream& log);

  /// Which of `routes` fire for `work` at `now`: per route 1 fired (or
  /// unconditional), 0 not, -1 failed. Writes the `decisions` record when
  /// some route is conditional.
  const std::vector<int8_t>& decide(const EventRoutes& routes, const Work& work, int64_t now) {
    fired_.assign(routes.routes.size(), 1);
    if (routes.conditional) evaluate(routes, work, now);
    return fired_;
  }
  /// The names records use for boolean values (journal_sink.h list_names).
  const std::string& true_text() const { return tables_.true_text(); }
  const std::string& false_text() const { return tables_.false_text(); }

 private:
  void evaluate(const EventRoutes& routes, const Work& work, int64_t now);
  /// The conditions' walk through `memo` (results into fired_).
  void walk(const EventRoutes& routes, const Work& work, int64_t now, DecisionMemo& memo);
  /// The full way: the conditions' results and traces into tables_.
  void evaluate_all(const EventRoutes& routes, const Work& work, int64_t now);
  /// One condition at `now`: 1 fired, 0 not, -1 an evaluation error
  /// (`error` says which).
  int64_t evaluate_condition(int function, const uint8_t* data, int64_t now, std::string_view& error);
  /// The native trace hook: each rule or decision a condition calls.
  static void trace_call(FlowRtContext* context, uint32_t function_id, int32_t status, const void* result) noexcept;

  const Evaluator& evaluator_;
  const std::vector<std::string>& function_names_;  // by ir::Function::id
  const std::vector<uint8_t>& returns_bool_;        // by ir::Function::id
  JournalSink& sink_;
  std::ostream& log_;
  std::vector<int8_t> fired_;            // per route of the event being decided
  std::vector<DecisionMemo> memos_;      // by EventType::index
  DecisionMemo* memo_walk_ = nullptr;    // the memo a condition's trace walks, if any
  DecisionTables tables_;                // the record the full way
  std::vector<eval::TraceEntry> trace_;  // the interpreter's
  Arena arena_;                          // strings and lists made by native conditions
  bool trace_failed_ = false;            // the native trace hook ran out of memory
};

}  // namespace flow::runtime
