// EmitTransforms: built-in `emit` services (language.md §8), run in-process
// during their trigger's dispatch. Each emit fills its target from the
// program's image (constants), the trigger's slots run by run, and the
// compiled initialisers where needed (emit_programs.h); what it produces
// goes to the back of the dispatch queue, its `data` text derived from the
// trigger's when the target starts with the trigger's fields. The attempt
// is journaled with the ids of what it emitted.
//
// Why a part of its own: transforms are most deliveries on a busy run, and
// their cost is the copying tricks above, which no other part needs.
//
// Limits: a transform runs in no time (its attempt and events carry the
// trigger's dispatch time); one that fails — a guard or initialiser error,
// a causal chain too long — takes back all it emitted and is dead-lettered
// at once: a retry would fail the same way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/emit_programs.h"
#include "engine/evaluator.h"
#include "engine/event_ids.h"
#include "engine/failures.h"
#include "engine/journal_sink.h"
#include "engine/route_table.h"
#include "engine/run_stats.h"
#include "engine/work_queue.h"
#include "ingress/event_encoder.h"

namespace flow::runtime {

class EmitTransforms {
 public:
  EmitTransforms(const Evaluator& evaluator, const EventCatalog& catalog, WorkQueue& queue, EventIds& ids,
                 JournalSink& sink, RunStats& stats, Failures& failures);

  /// Runs `service`'s emits on `work` (being dispatched; `data_json` is its
  /// `data` text) for `flow`, as delivery `delivery_id`.
  void run(const ServiceSpec& service, const std::string& flow, Work& work, const std::string& delivery_id,
           std::string_view data_json);

 private:
  EmitPrograms programs_;
  const Evaluator& evaluator_;
  WorkQueue& queue_;
  EventIds& ids_;
  JournalSink& sink_;
  RunStats& stats_;
  Failures& failures_;
  JsonBuffer json_;                       // scratch for an emitted event's derived `data`
  std::vector<std::string> emitted_ids_;  // of the attempt being journaled
};

}  // namespace flow::runtime
