// Instances through the query index; see instance_lookup.h.
#include "queries/dossier/instance_lookup.h"

#include <set>
#include <stdexcept>

namespace flow::runtime::queries {

std::vector<std::string> instances_with_key(const JournalIndex& index, RecordFetcher& fetcher, const std::string& key,
                                            uint64_t cut) {
  // Key -> instances through their status records, which carry the key.
  std::vector<std::pair<uint64_t, std::string>> found;  // (first ordinal, id)
  std::set<std::string> seen;
  for (uint64_t instance_hash : index.instances_with_key(hash_text(key))) {
    for (uint64_t ordinal : index.instance_records(instance_hash)) {
      if (ordinal >= cut) break;
      if (index.kind(ordinal) != static_cast<uint8_t>(RecordKind::Instance)) continue;
      AnyRecord record;
      if (!fetcher.fetch(index.position(ordinal), record)) throw std::runtime_error(fetcher.error());
      const auto& r = std::get<InstanceRecord>(record);
      if (r.key == key && seen.insert(r.instance).second) found.push_back({ordinal, r.instance});
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> ids;
  for (auto& [ordinal, id] : found) ids.push_back(std::move(id));
  return ids;
}

bool load_history(const JournalIndex& index, RecordFetcher& fetcher, uint64_t cut, InstanceHistory& history) {
  bool any = false;
  for (uint64_t ordinal : index.instance_records(hash_text(history.id()))) {
    if (ordinal >= cut) break;
    AnyRecord record;
    if (!fetcher.fetch(index.position(ordinal), record)) throw std::runtime_error(fetcher.error());
    uint64_t seq = index.sequence(ordinal);
    // Decisions carry no instance: keep those of the instance's own events
    // (the index lists them under the instance, but hashes can collide).
    if (auto* set = std::get_if<DecisionSet>(&record)) {
      for (const auto& d : set->decisions) {
        if (history.has_event(d.event)) history.apply(seq, d);
      }
      continue;
    }
    const std::string* instance = instance_of(record);
    if (!instance || *instance != history.id()) continue;
    any = true;
    if (auto* e = std::get_if<EventRecord>(&record))
      history.apply(seq, *e);
    else if (auto* a = std::get_if<AttemptRecord>(&record))
      history.apply(seq, *a);
    else if (auto* l = std::get_if<DeadLetterRecord>(&record))
      history.apply(seq, *l);
    else if (auto* i = std::get_if<InstanceRecord>(&record))
      history.apply(seq, *i);
  }
  return any;
}

}  // namespace flow::runtime::queries
