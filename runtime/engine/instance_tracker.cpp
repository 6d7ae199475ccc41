#include "engine/instance_tracker.h"

#include <charconv>

namespace flow::runtime {

Instance& InstanceTracker::start(const std::string& key, const std::string& event_id, std::string& instance_id) {
  // Without a key, the start names its own instance by its event id.
  if (key.empty()) {
    instance_id = event_id;
    return table_.get_or_create(instance_id, key);
  }
  // A start whose key names an unfinished instance joins it; else it begins
  // a new instance, named by the key the first time and by the key and a
  // number unique in this journal after that (runtime.md §4: a finished
  // case is never reopened).
  Instance* current = table_.newest_with_key(key);
  if (current && !current->finished()) {
    instance_id = current->id;
    return *current;
  }
  if (used_keys_.insert(key) || current) {
    char number[24];
    char* end = std::to_chars(number, number + sizeof number, ids_.take_number()).ptr;
    instance_id.assign(key).append(1, '~').append(number, static_cast<size_t>(end - number));
  } else {
    instance_id = key;
  }
  return table_.create(instance_id, key);
}

void InstanceTracker::enter_flow(Instance& instance, const std::string& flow, std::string_view event_id, int64_t now) {
  if (instance.flow(flow)) return;
  instance.flows.push_back({&flow, InstanceStatus::Active});
  sink_.write(RecordKind::Instance,
              InstanceRecordView{instance.id, instance.key, flow, InstanceStatus::Active, event_id, now});
}

void InstanceTracker::set_status(Instance& instance, const std::string& flow, InstanceStatus status,
                                 std::string_view event_id, int64_t now) {
  FlowState* state = instance.flow(flow);
  if (!state || state->status == status || state->status == InstanceStatus::Failed) return;
  if (state->status == InstanceStatus::Completed && status != InstanceStatus::Failed) return;
  state->status = status;
  sink_.write(RecordKind::Instance, InstanceRecordView{instance.id, instance.key, flow, status, event_id, now});
}

}  // namespace flow::runtime
