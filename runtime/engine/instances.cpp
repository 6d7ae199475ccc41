#include "engine/instances.h"

#include <tuple>

namespace flow::runtime {

FlowState* Instance::flow(const std::string& name) {
  for (auto& f : flows) {
    if (f.flow == &name || *f.flow == name) return &f;
  }
  return nullptr;
}

bool Instance::running() const {
  if (in_flight > 0) return true;
  for (const auto& f : flows) {
    if (f.status == InstanceStatus::Active) return true;
  }
  return false;
}

bool Instance::finished() const {
  if (flows.empty()) return false;
  for (const auto& f : flows) {
    if (f.status == InstanceStatus::Active) return false;
  }
  return true;
}

Instance* InstanceTable::newest_with_key(const std::string& key) {
  if (!renamed_.empty()) {
    if (auto it = renamed_.find(key); it != renamed_.end()) return find(it->second);
  }
  Instance* instance = find(key);
  return instance && instance->key == key ? instance : nullptr;
}

Instance* InstanceTable::find(const std::string& id) {
  if (Instance* instance = cached(id)) return instance;
  auto it = instances_.find(id);
  if (it == instances_.end()) return nullptr;
  last_ = &it->second;
  return last_;
}

Instance& InstanceTable::get_or_create(const std::string& id, const std::string& key) {
  if (Instance* instance = cached(id)) return *instance;
  auto it = instances_.find(id);
  return it != instances_.end() ? *(last_ = &it->second) : create(id, key);
}

Instance& InstanceTable::create(const std::string& id, const std::string& key) {
  std::unordered_map<std::string, Instance>::iterator it;
  bool inserted;
  if (spare_nodes_.empty()) {
    std::tie(it, inserted) = instances_.try_emplace(id);
  } else {
    auto node = std::move(spare_nodes_.back());
    spare_nodes_.pop_back();
    node.key() = id;
    node.mapped().flows.clear();
    node.mapped().in_flight = 0;
    auto result = instances_.insert(std::move(node));
    it = result.position;
    inserted = result.inserted;
    if (!inserted) spare_nodes_.push_back(std::move(result.node));
  }
  if (inserted) {
    it->second.id = id;
    it->second.key = key;
    if (id != key && !key.empty()) renamed_[key] = id;
  }
  last_ = &it->second;
  return it->second;
}

void InstanceTable::release_if_done(const std::string& id) {
  if (Instance* instance = cached(id); instance && instance->running()) return;  // the usual answer, no lookup
  auto it = instances_.find(id);
  if (it == instances_.end() || it->second.running()) return;
  if (&it->second == last_) last_ = nullptr;
  if (const Instance& done = it->second; done.id != done.key && !renamed_.empty()) {
    if (auto renamed = renamed_.find(done.key); renamed != renamed_.end() && renamed->second == done.id) {
      renamed_.erase(renamed);
    }
  }
  if (spare_nodes_.size() < kMaxSpareNodes) {
    spare_nodes_.push_back(instances_.extract(it));
  } else {
    instances_.erase(it);
  }
}

void InstanceTable::apply(const InstanceRecord& record) {
  Instance& instance = get_or_create(record.instance, record.key);
  FlowState* state = instance.flow(record.flow);
  if (!state) {
    instance.flows.push_back({&intern(record.flow), record.status});
  } else {
    state->status = record.status;
  }
  release_if_done(record.instance);
}

size_t InstanceTable::running_count() const {
  size_t n = 0;
  for (const auto& [id, instance] : instances_) n += instance.running() ? 1 : 0;
  return n;
}

}  // namespace flow::runtime
