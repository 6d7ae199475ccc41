// LeaseView: one node's picture of the lease bucket, built from what its
// watcher (and its own writes) report, with the time — on this node's own
// monotonic clock — at which each key last changed.
//
// Why local times: whether a holder is still alive is judged by watching
// its lease's revision. A lease, or a node heartbeat, whose revision has not
// moved for a whole lease period, as this node saw it, has expired. This
// needs no agreement between machines' wall clocks and no TTL in the server
// (JetStream 2.9 does not expire individual keys); the revision-checked
// update that follows is what makes a take-over safe.
//
// Limits: a key first seen counts as changed when seen, so a node that
// starts waits a full lease before taking a partition from a silent holder.
// Pure bookkeeping, no I/O; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flow::cluster {

struct ObservedLease {
  std::uint64_t revision = 0;
  std::string holder;  ///< "" when released (or unreadable)
  std::int64_t changed_at_us = 0;
};

class LeaseView {
 public:
  /// A value of `key` at `revision`, seen at `now_us`. Older revisions than
  /// the one known are ignored (a watcher may report a write after the
  /// writer has recorded it here). Keys other than partition.<p> and
  /// node.<name> are ignored.
  void put(std::string_view key, std::uint64_t revision, std::string_view value, std::int64_t now_us);
  /// `key` was deleted or purged.
  void erase(std::string_view key);

  /// `self` and the nodes whose heartbeat changed less than `lease_us` ago,
  /// sorted by name.
  std::vector<std::string> live_nodes(std::int64_t now_us, std::int64_t lease_us, std::string_view self) const;
  const ObservedLease* partition(std::uint32_t partition) const;
  /// No one holds `partition`: no lease, a released one, or one unchanged
  /// for `lease_us`.
  bool takeable(std::uint32_t partition, std::int64_t now_us, std::int64_t lease_us) const;

 private:
  std::map<std::uint32_t, ObservedLease> partitions_;
  std::map<std::string, ObservedLease, std::less<>> nodes_;
};

/// The node that should own `partition` among `live` (not empty): the one
/// with the highest rendezvous weight hash(node, partition). When a node
/// joins or leaves, only the partitions it gains or had change owner.
const std::string& preferred_owner(const std::vector<std::string>& live, std::uint32_t partition);

}  // namespace flow::cluster
