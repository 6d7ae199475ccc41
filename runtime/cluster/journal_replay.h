// Reading a partition's journal back from JetStream: every message of a
// subject (flow.journal.<p>, or a wildcard such as flow.journal.* for all
// partitions) from a given stream sequence on, in order. A node taking a
// partition over rebuilds its state this way (from the last checkpoint's
// sequence), and `flowrt journal pull` mirrors the cluster's journal with it
// incrementally (from the sequence after the last one it has).
//
// The read is a snapshot: it stops at the last matching message that
// existed when it began (an ephemeral pull consumer, created for the call
// and deleted after it, reports how many those are), so a subject that keeps
// growing cannot keep it going for ever.
//
// Limits: messages arrive in batches of `batch`; each is passed to the
// callback and freed, so memory stays bounded by one batch. Throws
// NatsError when the stream is missing or the servers stop answering
// (`timeout` per batch).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "cluster/nats_connection.h"

namespace flow::cluster {

struct StoredMessage {
  std::uint64_t sequence = 0;  ///< stream sequence
  std::string_view subject;
  std::string_view data;
  std::string_view msg_id;   ///< its Nats-Msg-Id header, "" if none
  std::int64_t time_ns = 0;  ///< when the stream stored it (ns since 1970)
};

struct ReplayOptions {
  std::string stream{"FLOW_JOURNAL"};
  int batch = 256;
  std::chrono::milliseconds timeout{5000};
};

struct ReplayResult {
  std::uint64_t messages = 0;
  std::uint64_t last_sequence = 0;  ///< of the last message passed on; 0 if none
};

/// Passes each message of `subject` with sequence >= `from_sequence` (0 or
/// 1: from the start) to `each`, in stream order.
ReplayResult replay_subject(const NatsConnection& nats, std::string_view subject, std::uint64_t from_sequence,
                            const std::function<void(const StoredMessage&)>& each, const ReplayOptions& options = {});

/// The stream sequence of the last message on `subject` (no wildcard), 0
/// when there is none.
std::uint64_t last_sequence_on(const NatsConnection& nats, std::string_view subject,
                               std::string_view stream = "FLOW_JOURNAL");

}  // namespace flow::cluster
