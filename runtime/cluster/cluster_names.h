// The names cluster mode uses in NATS (serve.md §2, docs/cluster.md): the
// three streams, their subjects, the lease bucket and its keys. One place,
// so that a node, `flowrt journal pull` and any NATS tool agree.
//
//   stream FLOW_IN       flow.in.<partition>        inputs, by partition
//   stream FLOW_JOURNAL  flow.journal.<partition>   each partition's journal
//   stream FLOW_EVENTS   flow.events.<EventType>    every dispatched event
//   subject flow.submit                             ingress requests (core NATS)
//   bucket FLOW_LEASES   partition.<p>, node.<name>, config
//
// Partitions are decimal numbers 0..N-1. Event type names become subject
// tokens as they are; a qualified name's dots make it several tokens, which
// `flow.events.>` still catches.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace flow::cluster {

inline constexpr std::string_view kInputStream = "FLOW_IN";
inline constexpr std::string_view kJournalStream = "FLOW_JOURNAL";
inline constexpr std::string_view kEventStream = "FLOW_EVENTS";

inline constexpr std::string_view kInputSubjects = "flow.in.*";
inline constexpr std::string_view kJournalSubjects = "flow.journal.*";
inline constexpr std::string_view kEventSubjects = "flow.events.>";
inline constexpr std::string_view kSubmitSubject = "flow.submit";

/// The key-value bucket of partition leases and node heartbeats (its
/// stream is KV_FLOW_LEASES).
inline constexpr std::string_view kLeaseBucket = "FLOW_LEASES";
/// The bucket key that records the cluster's partition count.
inline constexpr std::string_view kConfigKey = "config";

std::string input_subject(std::uint32_t partition);
std::string journal_subject(std::uint32_t partition);
/// "flow.events.<type>"; throws std::invalid_argument for a type that is
/// not a valid subject suffix (empty tokens, spaces, wildcards).
std::string event_subject(std::string_view event_type);

std::string partition_lease_key(std::uint32_t partition);
std::string node_key(std::string_view node);

/// A node name is 1 to 64 of [A-Za-z0-9_-]: it is a bucket key token and
/// appears in message ids.
bool valid_node_name(std::string_view node);

}  // namespace flow::cluster
