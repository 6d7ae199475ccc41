// Router: dispatches one event (runtime.md §4–5). It journals the event,
// moves its instance through the flows it starts and ends, has the Decider
// evaluate the conditions of its routes (and journal the `decisions`
// record), then hands the event to each service of each route that fired,
// under a delivery id stable across retries and runs (records/delivery_id.h).
//
// Why a part of its own: this is the order the journal's causal order
// requires — the event, then the record of its decisions, then what they
// caused — kept in one short function.
//
// Limits: the event's `data` text lives in a buffer reused by the next
// dispatch; deliveries that need it later (exec) make their own copy.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/decider.h"
#include "engine/deliveries.h"
#include "engine/instance_tracker.h"
#include "engine/journal_sink.h"
#include "engine/route_table.h"
#include "engine/run_stats.h"
#include "engine/work_queue.h"
#include "ingress/event_encoder.h"

namespace flow::runtime {

class Router final : public Dispatcher {
 public:
  /// `definition` is the running version's content hash (events name it).
  Router(const RouteTable& routes, const Evaluator& evaluator, size_t event_types, Deliveries& deliveries,
         InstanceTracker& instances, JournalSink& sink, RunStats& stats, const std::string& definition,
         std::ostream& log);

  void dispatch(Work& work, int64_t now_us) override;
  const Decider& decider() const { return decider_; }

 private:
  /// Journals `work`'s event; returns its `data` text.
  std::string_view journal_event(const Work& work);

  const RouteTable& routes_;
  Decider decider_;
  Deliveries& deliveries_;
  InstanceTracker& instances_;
  JournalSink& sink_;
  RunStats& stats_;
  const std::string& definition_;
  std::string delivery_id_;  // the delivery being made
  JsonBuffer data_buffer_;   // the dispatched event's `data` when encoded here
};

}  // namespace flow::runtime
