// LeaseView and the assignment policy (see lease_view.h).
#include "cluster/lease_view.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "base/hash_mix.h"
#include "cluster/lease_value.h"
#include "cluster/partition_hash.h"

namespace flow::cluster {

namespace {

constexpr std::string_view kPartitionPrefix = "partition.";
constexpr std::string_view kNodePrefix = "node.";

std::optional<std::uint32_t> partition_number(std::string_view key) {
  if (!key.starts_with(kPartitionPrefix)) return std::nullopt;
  key.remove_prefix(kPartitionPrefix.size());
  std::uint32_t number = 0;
  auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), number);
  if (error != std::errc() || end != key.data() + key.size() || key.empty()) return std::nullopt;
  return number;
}

void record(ObservedLease& lease, std::uint64_t revision, std::string holder, std::int64_t now_us) {
  if (revision <= lease.revision) return;
  lease.revision = revision;
  lease.holder = std::move(holder);
  lease.changed_at_us = now_us;
}

}  // namespace

void LeaseView::put(std::string_view key, std::uint64_t revision, std::string_view value, std::int64_t now_us) {
  if (auto p = partition_number(key)) {
    auto decoded = decode_lease_value(value);
    record(partitions_[*p], revision, decoded ? decoded->holder : std::string(), now_us);
  } else if (key.starts_with(kNodePrefix)) {
    std::string node(key.substr(kNodePrefix.size()));
    record(nodes_[node], revision, node, now_us);
  }
}

void LeaseView::erase(std::string_view key) {
  if (auto p = partition_number(key)) {
    partitions_.erase(*p);
  } else if (key.starts_with(kNodePrefix)) {
    if (auto it = nodes_.find(key.substr(kNodePrefix.size())); it != nodes_.end()) nodes_.erase(it);
  }
}

std::vector<std::string> LeaseView::live_nodes(std::int64_t now_us, std::int64_t lease_us,
                                               std::string_view self) const {
  std::vector<std::string> live{std::string(self)};
  for (const auto& [name, seen] : nodes_) {
    if (name != self && now_us - seen.changed_at_us < lease_us) live.push_back(name);
  }
  std::sort(live.begin(), live.end());
  return live;
}

const ObservedLease* LeaseView::partition(std::uint32_t partition) const {
  auto it = partitions_.find(partition);
  return it == partitions_.end() ? nullptr : &it->second;
}

bool LeaseView::takeable(std::uint32_t partition, std::int64_t now_us, std::int64_t lease_us) const {
  const ObservedLease* lease = this->partition(partition);
  return lease == nullptr || lease->holder.empty() || now_us - lease->changed_at_us >= lease_us;
}

const std::string& preferred_owner(const std::vector<std::string>& live, std::uint32_t partition) {
  if (live.empty()) throw std::invalid_argument("no live node to own a partition");
  const std::uint64_t salt = mix64(std::uint64_t{partition} + 0x9e3779b97f4a7c15ull);
  const std::string* best = nullptr;
  std::uint64_t best_weight = 0;
  for (const auto& node : live) {
    const std::uint64_t weight = mix64(partition_hash(node) ^ salt);
    if (best == nullptr || weight > best_weight || (weight == best_weight && node < *best)) {
      best = &node;
      best_weight = weight;
    }
  }
  return *best;
}

}  // namespace flow::cluster
