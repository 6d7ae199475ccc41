// `flowrt dossier`: one instance through the query index, or all instances
// in one pass over the journal. See dossier.h.
#include "queries/dossier/dossier.h"

#include <algorithm>
#include <deque>
#include <iomanip>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include "base/time_format.h"
#include "journal/journal_problem.h"
#include "queries/common/query_json.h"
#include "queries/common/record_access.h"
#include "queries/dossier/instance_history.h"
#include "queries/dossier/instance_lookup.h"
#include "queries/index/journal_index.h"

namespace flow::runtime::queries {

namespace {

// ---- One instance -----------------------------------------------------------

ojson flows_json(const InstanceHistory& h) {
  ojson flows = ojson::array();
  for (const auto& f : h.flows()) {
    flows.push_back({{"flow", f.flow},
                     {"status", to_string(f.status)},
                     {"activity", h.activity(f)},
                     {"entered", format_timestamp(f.entered_us)},
                     {"entered_by", f.entered_by},
                     {"changed", format_timestamp(f.changed_us)},
                     {"changed_by", f.changed_by}});
  }
  return flows;
}

ojson attempt_json(const AttemptEntry& a) {
  return {{"seq", a.seq},
          {"attempt", a.record.attempt},
          {"started", format_timestamp(a.record.started_us)},
          {"ended", format_timestamp(a.record.ended_us)},
          {"outcome", to_string(a.record.outcome)},
          {"error", text_or_null(a.record.error)},
          {"emitted", a.record.emitted}};
}

ojson dossier_json(const InstanceHistory& h) {
  ojson j;
  j["instance"] = h.id();
  j["key"] = text_or_null(h.key());
  j["status"] = h.status();
  j["activity"] = h.activity();
  j["flows"] = flows_json(h);
  j["first"] = format_timestamp(h.first_us());
  j["last"] = format_timestamp(h.last_us());
  ojson events = ojson::array();
  for (const auto& e : h.events()) {
    ojson ej = event_json(e.record, e.seq, e.version, true);
    ojson routes = ojson::array();
    for (const auto& r : e.routes) {
      const char* result = !r.conditional ? "fired" : r.decided ? result_text(r.result) : "undecided";
      routes.push_back({{"flow", r.flow},
                        {"subscription", r.subscription},
                        {"text", text_or_null(r.text)},
                        {"conditional", r.conditional},
                        {"result", result},
                        {"deliveries", r.deliveries}});
    }
    ej["routes"] = routes;
    events.push_back(std::move(ej));
  }
  j["events"] = events;
  ojson deliveries = ojson::array(), in_progress = ojson::array();
  for (const DeliveryEntry* d : h.deliveries()) {
    ojson attempts = ojson::array();
    for (const auto& a : d->attempts) attempts.push_back(attempt_json(a));
    deliveries.push_back({{"id", d->id},
                          {"event", d->event},
                          {"flow", d->flow},
                          {"service", d->service},
                          {"status", d->status()},
                          {"error", text_or_null(d->error)},
                          {"attempts", attempts}});
    if (d->in_progress()) in_progress.push_back(d->id);
  }
  j["deliveries"] = deliveries;
  j["in_progress"] = in_progress;
  ojson dead = ojson::array();
  for (const auto& d : h.dead_letters()) {
    dead.push_back({{"seq", d.seq},
                    {"delivery", d.record.delivery},
                    {"event", d.record.event},
                    {"flow", d.record.flow},
                    {"service", d.record.service},
                    {"attempts", d.record.attempts},
                    {"error", d.record.error},
                    {"time", format_timestamp(d.record.time_us)},
                    {"reason", to_string(d.record.reason)}});
  }
  j["dead_letters"] = dead;
  return j;
}

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

void print_dossier(const InstanceHistory& h, std::ostream& out) {
  out << "instance " << h.id();
  if (!h.key().empty() && h.key() != h.id()) out << "  key " << h.key();
  out << ": " << h.status() << ", " << h.activity() << "\n";
  for (const auto& f : h.flows()) {
    out << "  " << short_name(f.flow) << ": " << to_string(f.status) << " (" << h.activity(f) << "), entered "
        << format_timestamp(f.entered_us) << " by " << f.entered_by;
    if (f.status != InstanceStatus::Active)
      out << ", " << to_string(f.status) << " " << format_timestamp(f.changed_us) << " by " << f.changed_by;
    out << "\n";
  }
  out << "\ntimeline\n";
  const std::string indent(8, ' ');
  for (const auto& item : h.timeline()) {
    switch (item.kind) {
      case TimelineItem::Kind::Event: {
        const EventEntry& e = h.events()[item.index];
        const EventRecord& r = e.record;
        out << "  " << format_timestamp(r.dispatched_us) << "  #" << e.seq << "  event " << r.id << " "
            << short_name(r.type);
        std::string origin = origin_of(r);
        if (origin == "input") {
          out << " from input line " << r.input_line << " (source " << r.source << ")";
        } else if (origin == "emitted") {
          out << " by " << short_name(r.service) << " for " << r.causation << " (" << r.delivery << ")";
        } else {
          out << " raised by the runtime" << (r.causation.empty() ? "" : " about " + r.causation);
        }
        out << "  [definition " << (e.version > 0 ? "v" + std::to_string(e.version) : "unknown") << "]\n";
        for (const auto& route : e.routes) {
          out << indent << short_name(route.flow) << " #" << route.subscription;
          if (!route.text.empty()) out << " " << route.text;
          out << ": ";
          if (!route.conditional)
            out << "fired (unconditional)";
          else if (!route.decided)
            out << "not decided yet";
          else
            out << result_text(route.result);
          if (!route.error.empty()) out << " (" << route.error << ")";
          for (const auto& d : route.deliveries) out << " -> " << d;
          out << "\n";
        }
        break;
      }
      case TimelineItem::Kind::Attempt: {
        const AttemptRecord& a = h.attempts()[item.index].record;
        out << "  " << format_timestamp(a.ended_us) << "  #" << h.attempts()[item.index].seq << "  delivery "
            << a.delivery << " to " << short_name(a.service) << ", attempt " << a.attempt << ": "
            << to_string(a.outcome);
        if (!a.error.empty()) out << " (" << a.error << ")";
        if (!a.emitted.empty()) {
          out << ", emitted";
          for (const auto& id : a.emitted) out << " " << id;
        }
        out << "\n";
        break;
      }
      case TimelineItem::Kind::DeadLetter: {
        const DeadLetterEntry& d = h.dead_letters()[item.index];
        out << "  " << format_timestamp(d.record.time_us) << "  #" << d.seq << "  dead letter: delivery "
            << d.record.delivery << " to " << short_name(d.record.service) << " after "
            << plural(static_cast<size_t>(d.record.attempts), "attempt") << " (" << to_string(d.record.reason)
            << "): " << d.record.error << "\n";
        break;
      }
      case TimelineItem::Kind::Status: {
        const StatusEntry& s = h.statuses()[item.index];
        out << "  " << format_timestamp(s.record.time_us) << "  #" << s.seq << "  " << short_name(s.record.flow) << " "
            << (s.record.status == InstanceStatus::Active ? "entered" : to_string(s.record.status)) << " (by "
            << s.record.event << ")\n";
        break;
      }
    }
  }
  auto deliveries = h.deliveries();
  out << "\ndeliveries";
  if (deliveries.empty()) out << ": none";
  out << "\n";
  for (const DeliveryEntry* d : deliveries) {
    out << "  " << d->id << " to " << short_name(d->service) << " for " << d->event << ": " << d->status();
    if (!d->attempts.empty()) out << " after " << plural(d->attempts.size(), "attempt");
    if (!d->ok && !d->error.empty()) out << " (" << d->error << ")";
    out << "\n";
  }
  size_t progress = h.in_progress();
  out << "in progress: "
      << (progress == 0 ? std::string("none")
                        : std::to_string(progress) + (progress == 1 ? " delivery" : " deliveries"))
      << "\n";
  out << "dead letters: " << (h.dead_letters().empty() ? "none" : std::to_string(h.dead_letters().size())) << "\n";
}

// ---- Instance lists (--all, and the instances of one key) --------------------

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

/// One line per instance under a header: id, status, activity, events, last.
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

// ---- All instances ----------------------------------------------------------

struct Listing {
  std::vector<std::unique_ptr<InstanceHistory>> order;
  std::unordered_map<std::string, InstanceHistory*> by_id;
};

bool matches_flow(const FlowEntry& f, const std::string& flow) {
  return f.flow == flow || short_name(f.flow) == flow;
}

bool selected(const InstanceHistory& h, const DossierOptions& o) {
  const FlowEntry* flow = nullptr;
  if (!o.flow.empty()) {
    for (const auto& f : h.flows()) {
      if (matches_flow(f, o.flow)) flow = &f;
    }
    if (!flow) return false;
  }
  if (o.status.empty()) return true;
  if (flow) return o.status == to_string(flow->status) || o.status == h.activity(*flow);
  return o.status == h.status() || o.status == h.activity();
}

int run_all(const JournalIndex& index, const DossierOptions& o, uint64_t cut, std::ostream& out) {
  DefinitionLookup lookup = [&](const std::string& hash) { return index.definition(hash); };
  Listing listing;
  auto get = [&](const std::string& id) -> InstanceHistory& {
    auto it = listing.by_id.find(id);
    if (it != listing.by_id.end()) return *it->second;
    listing.order.push_back(std::make_unique<InstanceHistory>(id, lookup, false));
    listing.by_id[id] = listing.order.back().get();
    return *listing.order.back();
  };
  // Decisions name their event only; its instance is the last event's
  // (the engine journals decisions right after their event) or, failing
  // that, one of the recent events'.
  std::string last_event, last_instance;
  std::unordered_map<std::string, std::string> recent;
  std::deque<std::string> recent_order;
  // Records are decoded into reused objects (their strings keep capacity).
  EventRecord event;
  std::vector<DecisionRecord> decisions;
  AttemptRecord attempt;
  DeadLetterRecord dead;
  InstanceRecord status;
  scan_records(index.dir(), cut,
               [&](uint64_t, uint64_t seq, uint8_t type, std::string_view payload, const NameList* names) {
                 switch (static_cast<RecordKind>(type)) {
                   case RecordKind::Event:
                     if (!decode(payload, event, names)) break;
                     get(event.instance).apply(seq, event);
                     last_event = event.id;
                     last_instance = event.instance;
                     recent[event.id] = event.instance;
                     recent_order.push_back(event.id);
                     if (recent_order.size() > 65536) {
                       recent.erase(recent_order.front());
                       recent_order.pop_front();
                     }
                     break;
                   case RecordKind::Decision:
                   case RecordKind::Decisions: {
                     if (!decode_decisions(type, payload, decisions, names) || decisions.empty()) break;
                     const std::string& event_id = decisions[0].event;
                     const std::string* instance = event_id == last_event ? &last_instance : nullptr;
                     if (!instance) {
                       auto it = recent.find(event_id);
                       if (it != recent.end()) instance = &it->second;
                     }
                     if (instance) {
                       for (const auto& decision : decisions) get(*instance).apply(seq, decision);
                     }
                     break;
                   }
                   case RecordKind::Attempt:
                     if (decode(payload, attempt, names)) get(attempt.instance).apply(seq, attempt);
                     break;
                   case RecordKind::DeadLetter:
                     if (decode(payload, dead)) get(dead.instance).apply(seq, dead);
                     break;
                   case RecordKind::Instance:
                     if (decode(payload, status, names)) get(status.instance).apply(seq, status);
                     break;
                   default: break;
                 }
                 return true;
               });

  std::vector<const InstanceHistory*> shown;
  for (const auto& h : listing.order) {
    if (selected(*h, o)) shown.push_back(h.get());
  }
  if (o.json) {
    ojson j;
    j["format"] = "flowrt.dossier.list/1";
    j["at"] = o.at_us ? ojson(format_timestamp(*o.at_us)) : ojson(nullptr);
    j["instances_total"] = listing.order.size();
    ojson list = ojson::array();
    for (const InstanceHistory* h : shown) list.push_back(instance_summary_json(*h));
    j["instances"] = list;
    out << dump(j);
    return 0;
  }
  if (o.at_us) out << "as of " << format_timestamp(*o.at_us) << "\n";
  out << shown.size() << " of " << plural(listing.order.size(), "instance") << "\n";
  print_instance_table(shown, out);
  return 0;
}

}  // namespace

int run_dossier(const std::filesystem::path& dir, const DossierOptions& options, std::ostream& out, std::ostream& err) {
  try {
    // Output is buffered: should the index turn out damaged mid-query, the
    // query runs again on a rebuilt one and nothing is printed twice.
    std::ostringstream buffer;
    int status = with_index(dir, err, [&](const JournalIndex& index) -> int {
      buffer.str("");
      std::ostream& out = buffer;
      uint64_t cut = options.at_us ? index.cut(*options.at_us) : index.record_count();
      if (options.select == DossierOptions::Select::All) return run_all(index, options, cut, out);

      RecordFetcher fetcher(dir);
      std::vector<std::string> ids;
      if (options.select == DossierOptions::Select::Instance) {
        ids.push_back(options.value);
      } else {
        ids = instances_with_key(index, fetcher, options.value, cut);
      }
      DefinitionLookup lookup = [&](const std::string& hash) { return index.definition(hash); };
      std::vector<std::unique_ptr<InstanceHistory>> found;
      for (const auto& id : ids) {
        auto history = std::make_unique<InstanceHistory>(id, lookup, true);
        if (load_history(index, fetcher, cut, *history)) found.push_back(std::move(history));
      }
      if (found.empty()) {
        err << "flowrt: no instance " << (options.select == DossierOptions::Select::Key ? "with key '" : "'")
            << options.value << "'" << (options.at_us ? " as of " + format_timestamp(*options.at_us) : std::string())
            << " in " << dir.string() << "\n";
        return 1;
      }
      // A key names one instance per business case (runtime.md §4): every
      // one is listed, newest first, and the newest is shown.
      std::reverse(found.begin(), found.end());
      if (options.json) {
        ojson j;
        j["format"] = "flowrt.dossier/1";
        j["at"] = options.at_us ? ojson(format_timestamp(*options.at_us)) : ojson(nullptr);
        j["instances"] = ojson::array({dossier_json(*found.front())});
        if (options.select == DossierOptions::Select::Key) {
          ojson of_key = ojson::array();
          for (const auto& h : found) of_key.push_back(instance_summary_json(*h));
          j["instances_of_key"] = of_key;
        }
        out << dump(j);
        return 0;
      }
      if (options.at_us) out << "as of " << format_timestamp(*options.at_us) << "\n";
      if (found.size() > 1) {
        out << plural(found.size(), "instance") << " of key " << options.value
            << ", newest first (--instance ID shows another):\n";
        std::vector<const InstanceHistory*> listed;
        for (const auto& h : found) listed.push_back(h.get());
        print_instance_table(listed, out);
        out << "\n";
      }
      print_dossier(*found.front(), out);
      return 0;
    });
    out << buffer.str();
    return status;
  } catch (const std::exception& e) {
    err << "flowrt: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace flow::runtime::queries
