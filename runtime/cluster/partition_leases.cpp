// PartitionLeases (see partition_leases.h).
#include "cluster/partition_leases.h"

#include <algorithm>
#include <stdexcept>

#include "base/wall_clock.h"
#include "cluster/cluster_names.h"
#include "cluster/lease_value.h"
#include "cluster/nats_error.h"

namespace flow::cluster {

namespace {

std::int64_t steady_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PartitionLeases::PartitionLeases(const NatsConnection& nats, PartitionLeaseOptions options)
    : options_(std::move(options)) {
  if (!valid_node_name(options_.node)) {
    throw std::invalid_argument("node name '" + options_.node + "' must be 1 to 64 of A-Z a-z 0-9 _ -");
  }
  if (options_.partitions == 0) throw std::invalid_argument("partition count must be at least 1");
  if (options_.lease.count() < 4) throw std::invalid_argument("lease period too short");
  if (!options_.monotonic_now_us) options_.monotonic_now_us = steady_now_us;
  lease_us_ = std::chrono::duration_cast<std::chrono::microseconds>(options_.lease).count();

  // KV requests wait at most a renewal period: a renewal that cannot get
  // through must not hold the tick past the next one.
  jsOptions js_options;
  check_nats(jsOptions_Init(&js_options), "JetStream options");
  js_options.Wait =
      std::max<std::int64_t>(1, std::min<std::int64_t>(nats.options().api_timeout.count(), options_.lease.count() / 4));
  jsCtx* raw_js = nullptr;
  check_nats(natsConnection_JetStream(&raw_js, nats.get(), &js_options), "opening a JetStream context for leases");
  js_.reset(raw_js);

  const std::string bucket(kLeaseBucket);
  kvStore* raw_kv = nullptr;
  check_nats(js_KeyValue(&raw_kv, js_.get(), bucket.c_str()), "opening the key-value bucket " + bucket);
  kv_.reset(raw_kv);
  kvWatcher* raw_watcher = nullptr;
  check_nats(kvStore_WatchAll(&raw_watcher, kv_.get(), nullptr), "watching the key-value bucket " + bucket);
  watcher_.reset(raw_watcher);

  // The bucket's current values first, so that the first tick neither
  // takes partitions that are held nor counts itself the only node.
  const std::int64_t start = now_us();
  for (;;) {
    const std::int64_t waited_ms = (now_us() - start) / 1000;
    if (waited_ms >= options_.lease.count()) break;
    kvEntry* raw = nullptr;
    if (kvWatcher_Next(&raw, watcher_.get(), options_.lease.count() - waited_ms) != NATS_OK) break;
    if (raw == nullptr) break;  // the marker: the initial values are all in
    KvEntryHandle entry(raw);
    apply(entry.get(), now_us());
  }
}

PartitionLeases::~PartitionLeases() {
  watcher_.reset();
  kv_.reset();
  js_.reset();
}

void PartitionLeases::drain_watcher(std::int64_t now) {
  for (;;) {
    kvEntry* raw = nullptr;
    // NATS_TIMEOUT: nothing more for now. Other failures (a reconnect) end
    // this round too; the watcher's ordered consumer recovers by itself.
    if (kvWatcher_Next(&raw, watcher_.get(), 1) != NATS_OK) return;
    if (raw == nullptr) continue;  // the marker after the initial values
    KvEntryHandle entry(raw);
    apply(entry.get(), now);
  }
}

void PartitionLeases::apply(kvEntry* entry, std::int64_t now) {
  const std::string_view key = kvEntry_Key(entry);
  const kvOperation op = kvEntry_Operation(entry);
  if (op == kvOp_Delete || op == kvOp_Purge) {
    view_.erase(key);
  } else {
    const auto* data = static_cast<const char*>(kvEntry_Value(entry));
    view_.put(key, kvEntry_Revision(entry), std::string_view(data, static_cast<std::size_t>(kvEntry_ValueLen(entry))),
              now);
  }
}

void PartitionLeases::heartbeat(std::int64_t now) {
  const std::string key = node_key(options_.node);
  const std::string value = encode_node_heartbeat(options_.node, wall_clock_us());
  uint64_t revision = 0;
  if (kvStore_Put(&revision, kv_.get(), key.c_str(), value.data(), static_cast<int>(value.size())) == NATS_OK) {
    next_heartbeat_us_ = now + lease_us_ / 4;
  }
}

std::uint64_t PartitionLeases::write_lease(std::uint32_t p, const std::string& holder, std::uint64_t last,
                                           std::int64_t now, bool& refused) {
  const std::string key = partition_lease_key(p);
  const std::string value = encode_lease_value({holder, wall_clock_us()});
  const int size = static_cast<int>(value.size());
  uint64_t revision = 0;
  const natsStatus status = last == 0 ? kvStore_Create(&revision, kv_.get(), key.c_str(), value.data(), size)
                                      : kvStore_Update(&revision, kv_.get(), key.c_str(), value.data(), size, last);
  if (status == NATS_OK) {
    view_.put(key, revision, value, now);
    refused = false;
    return revision;
  }
  // NATS_ERR is the server's answer (wrong last sequence: someone else
  // wrote first); anything else (timeout, disconnect) leaves it unknown.
  refused = status == NATS_ERR;
  return 0;
}

LeaseChanges PartitionLeases::tick() {
  LeaseChanges changes;
  const std::int64_t now = now_us();
  drain_watcher(now);
  if (now >= next_heartbeat_us_) heartbeat(now);
  const auto live = view_.live_nodes(now, lease_us_, options_.node);
  const std::int64_t renew_every = lease_us_ / 4;
  const std::int64_t valid_for = lease_us_ * 3 / 4;

  for (auto it = held_.begin(); it != held_.end();) {
    const std::uint32_t p = it->first;
    Held& held = it->second;
    const ObservedLease* seen = view_.partition(p);
    if (seen != nullptr && seen->revision > held.revision) {
      // A write this node did not see answered (its answer timed out) is
      // still its own; any other writer took the lease.
      if (seen->holder == options_.node) {
        held.revision = seen->revision;
      } else {
        changes.lost.push_back(p);
        it = held_.erase(it);
        continue;
      }
    }
    if (now - held.renewed_at_us >= valid_for) {
      changes.lost.push_back(p);
      it = held_.erase(it);
      continue;
    }
    bool refused = false;
    if (preferred_owner(live, p) != options_.node) {
      write_lease(p, "", held.revision, now, refused);
      changes.released.push_back(p);
      it = held_.erase(it);
      continue;
    }
    if (now - held.renewed_at_us >= renew_every) {
      if (auto revision = write_lease(p, options_.node, held.revision, now, refused)) {
        held.revision = revision;
        held.renewed_at_us = now;
      } else if (refused) {
        changes.lost.push_back(p);
        it = held_.erase(it);
        continue;
      }
    }
    ++it;
  }

  for (std::uint32_t p = 0; p < options_.partitions; ++p) {
    if (held_.contains(p) || preferred_owner(live, p) != options_.node) continue;
    if (!view_.takeable(p, now, lease_us_)) continue;
    const ObservedLease* seen = view_.partition(p);
    bool refused = false;
    if (auto revision = write_lease(p, options_.node, seen ? seen->revision : 0, now, refused)) {
      held_[p] = Held{revision, revision, now};
      changes.acquired.push_back(p);
    }
  }
  return changes;
}

bool PartitionLeases::holds(std::uint32_t partition) const {
  auto it = held_.find(partition);
  return it != held_.end() && now_us() - it->second.renewed_at_us < lease_us_ * 3 / 4;
}

std::vector<std::uint32_t> PartitionLeases::held() const {
  std::vector<std::uint32_t> out;
  for (const auto& [p, held] : held_) out.push_back(p);
  return out;
}

std::uint64_t PartitionLeases::epoch(std::uint32_t partition) const {
  auto it = held_.find(partition);
  return it == held_.end() ? 0 : it->second.epoch;
}

std::vector<std::string> PartitionLeases::live_nodes() const {
  return view_.live_nodes(now_us(), lease_us_, options_.node);
}

void PartitionLeases::leave() {
  const std::int64_t now = now_us();
  for (const auto& [p, held] : held_) {
    bool refused = false;
    write_lease(p, "", held.revision, now, refused);
  }
  held_.clear();
  kvStore_Delete(kv_.get(), node_key(options_.node).c_str());
}

}  // namespace flow::cluster
