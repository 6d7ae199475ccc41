// An instance's state derived from its journal records, applied in journal
// order (runtime.md §4): its status per flow, its events with the routes
// each took, its deliveries (from the subscriptions that fired, so a
// delivery not yet attempted shows as pending) with their attempts, and
// dead letters. `dossier` keeps everything (detailed); `dossier --all` keeps
// only what the listing shows, so a pass over a large journal stays small.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "queries/common/definition_summary.h"
#include "records/journal_records.h"

namespace flow::runtime::queries {

/// Finds the summary of a definition version by hash (null when unknown).
using DefinitionLookup = std::function<const DefinitionSummary*(const std::string& hash)>;

/// One subscription of an event's type, as it went for that event.
struct RouteOutcome {
  std::string flow;
  int subscription = -1;
  int route = -1;    // -1 when the definition is unknown
  std::string text;  // "on X when C -> S" ("" when unknown)
  bool conditional = true;
  bool decided = false;  // a decision record was seen (always false when unconditional)
  int64_t result = 0;    // as in the decision record; 1 for an unconditional route
  std::string error;
  std::vector<RuleValue> rules;
  std::vector<std::string> deliveries;  // the deliveries it made when it fired
};

struct EventEntry {
  uint64_t seq = 0;
  EventRecord record;
  int version = 0;  // of the definition it was dispatched under; 0 when unknown
  std::vector<RouteOutcome> routes;
};

struct AttemptEntry {
  uint64_t seq = 0;
  AttemptRecord record;
};

struct DeliveryEntry {
  std::string id, event, flow, service;
  std::vector<AttemptEntry> attempts;
  bool ok = false;
  bool dead = false;
  std::string error;  // of the last failed attempt or the dead letter
  /// "ok", "dead-lettered", "retrying" (failed attempts so far) or "pending" (not attempted yet).
  const char* status() const;
  bool in_progress() const { return !ok && !dead; }
};

struct DeadLetterEntry {
  uint64_t seq = 0;
  DeadLetterRecord record;
};

struct StatusEntry {
  uint64_t seq = 0;
  InstanceRecord record;
};

struct FlowEntry {
  std::string flow;
  InstanceStatus status = InstanceStatus::Active;
  int64_t entered_us = 0;
  std::string entered_by;
  int64_t changed_us = 0;
  std::string changed_by;
};

/// One line of the timeline: what happened, by index into the vectors.
struct TimelineItem {
  enum class Kind { Event, Attempt, DeadLetter, Status } kind;
  size_t index;  // into events, attempts, dead_letters or statuses
};

class InstanceHistory {
 public:
  /// `definitions` must outlive the history.
  InstanceHistory(std::string id, const DefinitionLookup& definitions, bool detailed);

  void apply(uint64_t seq, const EventRecord& r);
  /// A decision of one of this instance's events.
  void apply(uint64_t seq, const DecisionRecord& r);
  void apply(uint64_t seq, const AttemptRecord& r);
  void apply(uint64_t seq, const DeadLetterRecord& r);
  void apply(uint64_t seq, const InstanceRecord& r);

  const std::string& id() const { return id_; }
  const std::string& key() const { return key_; }
  const std::vector<FlowEntry>& flows() const { return flows_; }
  /// "failed" when a flow failed, "completed" when all completed, else "active".
  const char* status() const;
  /// "working" (deliveries in progress), "waiting" (an active flow, nothing
  /// in progress) or "done".
  const char* activity() const;
  /// The same for one flow.
  const char* activity(const FlowEntry& flow) const;
  uint64_t event_count() const { return event_count_; }
  int64_t first_us() const { return first_us_; }
  int64_t last_us() const { return last_us_; }
  size_t in_progress() const;

  // Detailed mode only.
  const std::vector<EventEntry>& events() const { return events_; }
  const std::vector<AttemptEntry>& attempts() const { return attempts_; }
  const std::vector<DeadLetterEntry>& dead_letters() const { return dead_letters_; }
  const std::vector<StatusEntry>& statuses() const { return statuses_; }
  const std::vector<TimelineItem>& timeline() const { return timeline_; }
  /// Deliveries in the order they were made.
  std::vector<const DeliveryEntry*> deliveries() const;
  /// Whether `event_id` is one of this instance's events (seen so far).
  bool has_event(const std::string& event_id) const;

 private:
  struct EventContext {
    const EventTypeInfo* type = nullptr;  // its type in the version it was dispatched under (null: unknown)
    size_t index = 0;                     // into events_ (detailed)
  };
  DeliveryEntry& delivery(const std::string& id);
  void open_delivery(const std::string& id, const std::string& event, const std::string& flow,
                     const std::string& service);
  const EventContext* context_of(const std::string& event_id) const;
  void touch(int64_t time_us);

  std::string id_, key_;
  const DefinitionLookup& definitions_;
  bool detailed_;
  std::vector<FlowEntry> flows_;
  uint64_t event_count_ = 0;
  int64_t first_us_ = 0, last_us_ = 0;
  bool any_time_ = false;

  // Deliveries: all of them when detailed, else only those in progress.
  std::unordered_map<std::string, DeliveryEntry> deliveries_;
  std::vector<std::string> delivery_order_;

  // Event contexts: every event when detailed, else the last one only
  // (an event's decisions are journaled right after it).
  std::unordered_map<std::string, EventContext> contexts_;
  std::string last_event_;
  EventContext last_context_;

  std::vector<EventEntry> events_;
  std::vector<AttemptEntry> attempts_;
  std::vector<DeadLetterEntry> dead_letters_;
  std::vector<StatusEntry> statuses_;
  std::vector<TimelineItem> timeline_;
};

}  // namespace flow::runtime::queries
