// Every instance of a journal with its status, from the records applied in
// journal order: `dossier --all` builds one in a pass over the journal, and
// a server (flowrt serve, GET /instances) keeps one and applies the records
// appended since it last asked. It keeps only what the listing shows
// (InstanceHistory's summary mode): its memory grows with the number of
// instances, not with the journal.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "queries/common/query_json.h"
#include "queries/dossier/instance_history.h"
#include "records/name_list.h"

namespace flow::runtime::queries {

/// An entry of the listing: instance, key, status, activity, flows (each
/// with status and activity), events, in_progress, first, last.
ojson instance_summary_json(const InstanceHistory& h);

/// One line per instance under a header: id, status, activity, events, last, flows.
void print_instance_table(const std::vector<const InstanceHistory*>& instances, std::ostream& out);

/// Whether a status or activity name is one `--status` takes.
bool is_status_name(std::string_view status);

class InstanceListing {
 public:
  explicit InstanceListing(DefinitionLookup definitions);
  InstanceListing(const InstanceListing&) = delete;
  InstanceListing& operator=(const InstanceListing&) = delete;

  /// The next record of the journal (of any kind; those that concern no
  /// instance are skipped). `names`: its segment's list.
  void apply(uint64_t seq, uint8_t type, std::string_view payload, const NameList* names);

  /// Every instance, in order of first appearance.
  const std::vector<std::unique_ptr<InstanceHistory>>& instances() const { return order_; }
  const InstanceHistory* find(const std::string& id) const;

  /// Those that entered `flow` (qualified or plain name; "" for any) and
  /// have `status` (a status or activity, of that flow when one is given;
  /// "" for any), in order of first appearance.
  std::vector<const InstanceHistory*> select(const std::string& flow, const std::string& status) const;

 private:
  InstanceHistory& get(const std::string& id);

  DefinitionLookup definitions_;  // the histories hold a reference to it
  std::vector<std::unique_ptr<InstanceHistory>> order_;
  std::unordered_map<std::string, InstanceHistory*> by_id_;
  // Decisions name their event only; its instance is the last event's (the
  // engine journals decisions right after their event) or, failing that,
  // one of the recent events'.
  std::string last_event_, last_instance_;
  std::unordered_map<std::string, std::string> recent_;
  std::deque<std::string> recent_order_;
  // Records are decoded into reused objects (their strings keep capacity).
  EventRecord event_;
  std::vector<DecisionRecord> decisions_;
  AttemptRecord attempt_;
  DeadLetterRecord dead_;
  InstanceRecord status_;
};

}  // namespace flow::runtime::queries
