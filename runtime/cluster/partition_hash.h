// Which partition a process instance belongs to (serve.md §2): a stable
// hash of its key mod the partition count. The key is the instance's
// correlation key as text (for a keyless start event, the event's id).
//
// The hash is FNV-1a over the key's bytes followed by the splitmix64
// finaliser (base/hash_mix.h), then reduced mod N. It is part of the
// cluster's persistent state — the journal of partition p holds exactly the
// instances whose keys hash to p — so it must never change, and a cluster's
// partition count is fixed when its streams are created (the `config` key
// of the lease bucket records it).
#pragma once

#include <cstdint>
#include <string_view>

namespace flow::cluster {

/// A 64-bit hash of `key` that is the same on every machine and run.
std::uint64_t partition_hash(std::string_view key);

/// partition_hash(key) mod `partitions` (which must be >= 1).
std::uint32_t partition_of(std::string_view key, std::uint32_t partitions);

}  // namespace flow::cluster
