// The values of the lease bucket (FLOW_LEASES, cluster_names.h), as JSON so
// that `nats kv get` shows them plainly:
//   partition.<p>  {"holder":"node-a","time_us":1733650000000000}
//                  holder "" = released: free to take at once
//   node.<name>    {"node":"node-a","time_us":1733650000000000}
// `time_us` is the writer's wall clock (µs since 1970) when it wrote, for
// people reading the bucket; no decision depends on it (clocks of different
// machines disagree). The third part of a lease, its revision, is the KV
// entry's own revision.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flow::cluster {

struct LeaseValue {
  std::string holder;  ///< "" when released
  std::int64_t time_us = 0;
};

std::string encode_lease_value(const LeaseValue& value);
/// nullopt when `text` is not such a value.
std::optional<LeaseValue> decode_lease_value(std::string_view text);

std::string encode_node_heartbeat(std::string_view node, std::int64_t time_us);

}  // namespace flow::cluster
