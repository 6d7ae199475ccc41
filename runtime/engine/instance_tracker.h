// InstanceTracker: which process instance each event belongs to, and the
// status of each instance in each flow (runtime.md §4). A start event from
// outside joins the unfinished instance of its key or begins a new one; an
// event that joins by key needs a running instance; what services emit
// stays in its trigger's instance. Entering a flow and every change of
// status is journaled as an `instance` record.
//
// Why a part of its own: correlation is a question with its own state —
// the instances in memory (instances.h) and the keys that ever named one
// (used_keys.h) — asked once per input, and it keeps the rule that a
// finished case is never reopened in one place.
//
// Limits: instances that finished are dropped from memory (the journal has
// them); a key's later instances are named `<key>~<number>`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/event_ids.h"
#include "engine/instances.h"
#include "engine/journal_sink.h"
#include "engine/used_keys.h"

namespace flow::runtime {

class InstanceTracker {
 public:
  /// `sink` receives the instance records; `ids` numbers a key's later
  /// instances.
  InstanceTracker(JournalSink& sink, EventIds& ids) : sink_(sink), ids_(ids) {}

  /// The instance a start event from outside with `key` begins or joins;
  /// its id into `instance_id`. Without a key the event's own id
  /// (`event_id`) names it.
  Instance& start(const std::string& key, const std::string& event_id, std::string& instance_id);
  /// The running instance an event with `key` joins from outside, or null.
  Instance* joinable(const std::string& key) {
    Instance* instance = key.empty() ? nullptr : table_.newest_with_key(key);
    return instance && !instance->finished() ? instance : nullptr;
  }
  Instance* find(const std::string& id) { return table_.find(id); }
  Instance& get_or_create(const std::string& id, const std::string& key) { return table_.get_or_create(id, key); }
  /// Drops the instance from memory when it no longer runs.
  void release_if_done(const std::string& id) { table_.release_if_done(id); }

  /// Enters `flow` (a stable name) unless the instance is in it already.
  void enter_flow(Instance& instance, const std::string& flow, std::string_view event_id, int64_t now);
  /// Active becomes completed or failed; completed can still become failed
  /// (a dead letter after the end event): a failure is never hidden.
  void set_status(Instance& instance, const std::string& flow, InstanceStatus status, std::string_view event_id,
                  int64_t now);

  /// Recovery: an instance record of an earlier run.
  void apply(const InstanceRecord& record) {
    table_.apply(record);
    if (!record.key.empty()) used_keys_.add(record.key);
  }
  size_t running_count() const { return table_.running_count(); }

 private:
  InstanceTable table_;
  UsedKeys used_keys_;  // keys that named an instance, for start()
  JournalSink& sink_;
  EventIds& ids_;
};

}  // namespace flow::runtime
