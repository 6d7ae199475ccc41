// The listing of all instances; see instance_listing.h.
#include "queries/dossier/instance_listing.h"

#include <algorithm>
#include <iomanip>

#include "base/time_format.h"

namespace flow::runtime::queries {

namespace {

constexpr size_t kRecentEvents = 65536;

bool matches_flow(const FlowEntry& f, const std::string& flow) {
  return f.flow == flow || short_name(f.flow) == flow;
}

bool selected(const InstanceHistory& h, const std::string& flow_name, const std::string& status) {
  const FlowEntry* flow = nullptr;
  if (!flow_name.empty()) {
    for (const auto& f : h.flows()) {
      if (matches_flow(f, flow_name)) flow = &f;
    }
    if (!flow) return false;
  }
  if (status.empty()) return true;
  if (flow) return status == to_string(flow->status) || status == h.activity(*flow);
  return status == h.status() || status == h.activity();
}

}  // namespace

ojson instance_summary_json(const InstanceHistory& h) {
  ojson flows = ojson::array();
  for (const auto& f : h.flows()) {
    flows.push_back({{"flow", f.flow}, {"status", to_string(f.status)}, {"activity", h.activity(f)}});
  }
  return {{"instance", h.id()},
          {"key", text_or_null(h.key())},
          {"status", h.status()},
          {"activity", h.activity()},
          {"flows", flows},
          {"events", h.event_count()},
          {"in_progress", h.in_progress()},
          {"first", format_timestamp(h.first_us())},
          {"last", format_timestamp(h.last_us())}};
}

void print_instance_table(const std::vector<const InstanceHistory*>& instances, std::ostream& out) {
  size_t width = 8;
  for (const InstanceHistory* h : instances) width = std::max(width, h->id().size());
  if (!instances.empty()) {
    out << std::left << std::setw(static_cast<int>(width)) << "INSTANCE"
        << "  " << std::setw(9) << "STATUS"
        << "  " << std::setw(8) << "ACTIVITY"
        << "  " << std::setw(6) << "EVENTS"
        << "  " << std::setw(27) << "LAST"
        << "  FLOWS\n";
  }
  for (const InstanceHistory* h : instances) {
    out << std::left << std::setw(static_cast<int>(width)) << h->id() << "  " << std::setw(9) << h->status() << "  "
        << std::setw(8) << h->activity() << "  " << std::setw(6) << h->event_count() << "  " << std::setw(27)
        << format_timestamp(h->last_us()) << " ";
    for (const auto& f : h->flows()) out << " " << short_name(f.flow) << "=" << to_string(f.status);
    out << "\n";
  }
}

bool is_status_name(std::string_view status) {
  for (std::string_view known : {"active", "completed", "failed", "waiting", "working", "done"}) {
    if (status == known) return true;
  }
  return false;
}

InstanceListing::InstanceListing(DefinitionLookup definitions) : definitions_(std::move(definitions)) {}

InstanceHistory& InstanceListing::get(const std::string& id) {
  auto it = by_id_.find(id);
  if (it != by_id_.end()) return *it->second;
  order_.push_back(std::make_unique<InstanceHistory>(id, definitions_, false));
  by_id_[id] = order_.back().get();
  return *order_.back();
}

const InstanceHistory* InstanceListing::find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

void InstanceListing::apply(uint64_t seq, uint8_t type, std::string_view payload, const NameList* names) {
  switch (static_cast<RecordKind>(type)) {
    case RecordKind::Event:
      if (!decode(payload, event_, names)) break;
      get(event_.instance).apply(seq, event_);
      last_event_ = event_.id;
      last_instance_ = event_.instance;
      recent_[event_.id] = event_.instance;
      recent_order_.push_back(event_.id);
      if (recent_order_.size() > kRecentEvents) {
        recent_.erase(recent_order_.front());
        recent_order_.pop_front();
      }
      break;
    case RecordKind::Decision:
    case RecordKind::Decisions: {
      if (!decode_decisions(type, payload, decisions_, names) || decisions_.empty()) break;
      const std::string& event_id = decisions_[0].event;
      const std::string* instance = event_id == last_event_ ? &last_instance_ : nullptr;
      if (!instance) {
        auto it = recent_.find(event_id);
        if (it != recent_.end()) instance = &it->second;
      }
      if (instance) {
        for (const auto& decision : decisions_) get(*instance).apply(seq, decision);
      }
      break;
    }
    case RecordKind::Attempt:
      if (decode(payload, attempt_, names)) get(attempt_.instance).apply(seq, attempt_);
      break;
    case RecordKind::DeadLetter:
      if (decode(payload, dead_)) get(dead_.instance).apply(seq, dead_);
      break;
    case RecordKind::Instance:
      if (decode(payload, status_, names)) get(status_.instance).apply(seq, status_);
      break;
    default: break;
  }
}

std::vector<const InstanceHistory*> InstanceListing::select(const std::string& flow, const std::string& status) const {
  std::vector<const InstanceHistory*> shown;
  for (const auto& h : order_) {
    if (selected(*h, flow, status)) shown.push_back(h.get());
  }
  return shown;
}

}  // namespace flow::runtime::queries
