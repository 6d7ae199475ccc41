// Process instances in memory (runtime.md §4): which instance a key names,
// the flows each has entered and its status in each, and how much work is
// in progress. Completed or failed instances with no work in progress are
// dropped from memory — the journal has them — so memory stays bounded by
// the number of *running* instances, not by the length of the history.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/short_copy.h"
#include "records/journal_records.h"

namespace flow::runtime {

struct FlowState {
  /// Qualified name: a stable string (route_table.h, or the
  /// table's own for names read back from the journal), so entering a flow
  /// copies no text.
  const std::string* flow = nullptr;
  InstanceStatus status = InstanceStatus::Active;
};

struct Instance {
  std::string id;
  std::string key;
  std::vector<FlowState> flows;
  int64_t in_flight = 0;  // deliveries not yet finished

  FlowState* flow(const std::string& name);
  /// Running: some flow is still active (or work is in progress).
  bool running() const;
  /// Finished: every flow it entered completed or failed (deliveries may
  /// still be in progress). A start event for its key begins a new
  /// instance, and events that join by key no longer join it.
  bool finished() const;
};

class InstanceTable {
 public:
  Instance* find(const std::string& id);
  /// The newest instance of `key` in memory, finished or not; null when
  /// none is (it finished and was dropped, or there never was one).
  Instance* newest_with_key(const std::string& key);
  Instance& get_or_create(const std::string& id, const std::string& key);
  /// The same when the caller just found no instance `id`: one hash
  /// lookup fewer.
  Instance& create(const std::string& id, const std::string& key);
  /// Drops the instance when it is no longer running.
  void release_if_done(const std::string& id);
  /// Applies a journaled status change (recovery on start).
  void apply(const InstanceRecord& record);
  /// A stable copy of a flow name read from the journal.
  const std::string& intern(const std::string& flow) { return *names_.insert(flow).first; }
  size_t size() const { return instances_.size(); }
  size_t running_count() const;

 private:
  /// The instance found or made last: an input's whole causal chain is
  /// dispatched in one instance, so most lookups ask for it again (map
  /// nodes do not move, so the pointer stays valid until it is erased).
  Instance* last_ = nullptr;
  Instance* cached(const std::string& id) const {
    return last_ && last_->id.size() == id.size() && short_equal(last_->id.data(), id.data(), id.size()) ? last_
                                                                                                         : nullptr;
  }
  std::unordered_map<std::string, Instance> instances_;
  /// Key -> id of its newest instance, for the instances whose id is not
  /// their key (a key's later instances, runtime.md §4); the others are
  /// found under their key.
  std::unordered_map<std::string, std::string> renamed_;
  /// Nodes of dropped instances, kept for the next ones: one instance per
  /// input comes and goes, and reusing its node (its id and key strings,
  /// its flows vector) saves their allocations.
  std::vector<std::unordered_map<std::string, Instance>::node_type> spare_nodes_;
  static constexpr size_t kMaxSpareNodes = 64;
  std::unordered_set<std::string> names_;
};

}  // namespace flow::runtime
