// PartitionLeases: which partitions this node owns (serve.md §2). Each
// partition has a lease in the FLOW_LEASES bucket (lease_value.h) carrying
// its holder, the holder's time and — as the KV revision — its revision.
// Every lease is taken, renewed and released with a revision-checked update
// (JetStream's expected-last-subject-sequence under the KV API), so of two
// nodes that try at once exactly one succeeds.
//
// Assignment: every node heartbeats its own key node.<name>; the live nodes
// are those whose heartbeat a node has seen change within a lease period
// (lease_view.h). Each partition has one preferred owner among them
// (rendezvous hashing), so all nodes with the same view agree without
// talking. A node takes the partitions it is preferred for once they are
// free — never leased, released, or not renewed for a lease period — and
// releases (holder "") those it holds but is no longer preferred for, so a
// node that joins gets its share at once, and the partitions of a node that
// leaves (leave()) or stops renewing go to the others.
//
// Timing, with L the lease period: heartbeats and renewals every L/4; a
// holder stops counting on a lease it has not renewed for 3L/4 (holds()
// turns false and tick() reports it lost); another node takes it after
// seeing it unchanged for L. The gap covers scheduling and clock-rate
// differences. A holder that was paused (SIGSTOP) may still believe in its
// lease for an instant after it wakes: the journal fence
// (fenced_appender.h) is what keeps such a stale owner from writing.
//
// Limits: driven by tick(), which the caller runs at least every L/4 (it
// does a few KV requests when renewals are due, and waits up to 1 ms for the
// watcher). Every node must use the same L. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cluster/lease_view.h"
#include "cluster/nats_connection.h"

namespace flow::cluster {

struct PartitionLeaseOptions {
  std::string node;  ///< this node's name (valid_node_name)
  std::uint32_t partitions = 16;
  std::chrono::milliseconds lease{5000};
  /// Monotonic microseconds; default std::chrono::steady_clock.
  std::function<std::int64_t()> monotonic_now_us;
};

struct LeaseChanges {
  std::vector<std::uint32_t> acquired;  ///< taken by this tick
  std::vector<std::uint32_t> released;  ///< given up for a node preferred for them
  std::vector<std::uint32_t> lost;      ///< taken by another node, or not renewed in time
  bool empty() const { return acquired.empty() && released.empty() && lost.empty(); }
};

class PartitionLeases {
 public:
  /// Opens the bucket (which ensure_cluster_streams created), starts
  /// watching it and reads its current values (waiting up to a lease
  /// period for them). Throws NatsError, or std::invalid_argument for a
  /// bad name.
  PartitionLeases(const NatsConnection& nats, PartitionLeaseOptions options);
  ~PartitionLeases();
  PartitionLeases(const PartitionLeases&) = delete;
  PartitionLeases& operator=(const PartitionLeases&) = delete;

  /// One round: reads the bucket's changes, heartbeats, renews, releases
  /// and takes. Failed KV requests are retried on later rounds.
  LeaseChanges tick();

  /// Whether this node holds `partition` now (taken, and renewed recently
  /// enough to count on).
  bool holds(std::uint32_t partition) const;
  /// The partitions held, ascending.
  std::vector<std::uint32_t> held() const;
  /// The lease revision at which this node took `partition` (0 if not
  /// held): different for every take, so it names this ownership — e.g.
  /// in journal message ids.
  std::uint64_t epoch(std::uint32_t partition) const;
  /// The live nodes as this node sees them (itself included), sorted.
  std::vector<std::string> live_nodes() const;
  const LeaseView& view() const { return view_; }

  /// Leaving the cluster on purpose: releases every held partition and
  /// deletes this node's heartbeat, so others take over without waiting.
  /// Best effort (errors are ignored: the leases then expire).
  void leave();

 private:
  struct Held {
    std::uint64_t revision = 0;  ///< the lease's last revision, written by this node
    std::uint64_t epoch = 0;
    std::int64_t renewed_at_us = 0;  ///< when the last successful renewal was sent
  };

  std::int64_t now_us() const { return options_.monotonic_now_us(); }
  void drain_watcher(std::int64_t now);
  void apply(kvEntry* entry, std::int64_t now);
  void heartbeat(std::int64_t now);
  /// A revision-checked write of partition `p`'s lease (`last` 0: create);
  /// the new revision, or 0 when refused or failed (`refused` says which).
  std::uint64_t write_lease(std::uint32_t p, const std::string& holder, std::uint64_t last, std::int64_t now,
                            bool& refused);

  PartitionLeaseOptions options_;
  std::int64_t lease_us_ = 0;
  JsContextHandle js_;  // its own, to wait at most L/4 for a KV answer
  KvStoreHandle kv_;
  KvWatcherHandle watcher_;
  LeaseView view_;
  std::map<std::uint32_t, Held> held_;
  std::int64_t next_heartbeat_us_ = 0;
};

}  // namespace flow::cluster
