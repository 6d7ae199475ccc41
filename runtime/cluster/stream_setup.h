// Creating — or checking — what a cluster needs in JetStream before a node
// does anything (serve.md §2): the streams FLOW_IN, FLOW_JOURNAL and
// FLOW_EVENTS with the subjects of cluster_names.h, the lease bucket, and
// the partition count recorded in it.
//
//   FLOW_IN       work-queue retention: an input the partition's owner has
//                 acknowledged (after journaling it) is removed.
//   FLOW_JOURNAL  limits retention without limits: the journal is history.
//   FLOW_EVENTS   limits retention without limits: a topic log for any
//                 NATS subscriber (operators may set limits on it).
//   FLOW_LEASES   key-value bucket, one value per key (history 1), no TTL:
//                 leases expire by Flow's own rule (partition_leases.h).
// All file storage, all with `replicas` copies, and JetStream's default
// de-duplication window (two minutes).
//
// Every node runs this at start; it is idempotent, and a node that finds a
// stream made differently (other subjects, replicas or retention) or a
// cluster with another partition count refuses to start rather than change
// or misread it.
//
// Limits: it never updates an existing stream (changing replicas is an
// operator's decision: `nats stream edit`), and it does not check limits an
// operator may have added.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/nats_connection.h"

namespace flow::cluster {

struct ClusterLayout {
  std::uint32_t partitions = 16;
  int replicas = 1;
};

struct StreamSetupReport {
  /// The streams (and the bucket's stream) this call created; the others
  /// were there already and matched.
  std::vector<std::string> created;
  /// Whether this call recorded the partition count (the first node did).
  bool recorded_partitions = false;
};

/// Throws std::runtime_error on a mismatch and NatsError when JetStream
/// refuses (e.g. more replicas than servers).
StreamSetupReport ensure_cluster_streams(const NatsConnection& nats, const ClusterLayout& layout);

}  // namespace flow::cluster
