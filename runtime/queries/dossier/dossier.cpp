// `flowrt dossier`: one instance through the query index, or all instances
// in one pass over the journal. See dossier.h.
#include "queries/dossier/dossier.h"

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>

#include "base/time_format.h"
#include "journal/journal_problem.h"
#include "queries/common/query_json.h"
#include "queries/common/record_access.h"
#include "queries/dossier/instance_history.h"
#include "queries/dossier/instance_listing.h"
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

// ---- All instances ----------------------------------------------------------

int run_all(const JournalIndex& index, const DossierOptions& o, uint64_t cut, std::ostream& out) {
  InstanceListing listing([&](const std::string& hash) { return index.definition(hash); });
  scan_records(index.dir(), cut,
               [&](uint64_t, uint64_t seq, uint8_t type, std::string_view payload, const NameList* names) {
                 listing.apply(seq, type, payload, names);
                 return true;
               });
  std::vector<const InstanceHistory*> shown = listing.select(o.flow, o.status);
  if (o.json) {
    ojson j;
    j["format"] = "flowrt.dossier.list/1";
    j["at"] = o.at_us ? ojson(format_timestamp(*o.at_us)) : ojson(nullptr);
    j["instances_total"] = listing.instances().size();
    ojson list = ojson::array();
    for (const InstanceHistory* h : shown) list.push_back(instance_summary_json(*h));
    j["instances"] = list;
    out << dump(j);
    return 0;
  }
  if (o.at_us) out << "as of " << format_timestamp(*o.at_us) << "\n";
  out << shown.size() << " of " << plural(listing.instances().size(), "instance") << "\n";
  print_instance_table(shown, out);
  return 0;
}

}  // namespace

int dossier_on_index(const JournalIndex& index, const DossierOptions& options, std::ostream& out, std::ostream& err) {
  uint64_t cut = options.at_us ? index.cut(*options.at_us) : index.record_count();
  if (options.select == DossierOptions::Select::All) return run_all(index, options, cut, out);

  RecordFetcher fetcher(index.dir());
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
        << " in " << index.dir().string() << "\n";
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
}

int run_dossier(const std::filesystem::path& dir, const DossierOptions& options, std::ostream& out, std::ostream& err) {
  try {
    // Output is buffered: should the index turn out damaged mid-query, the
    // query runs again on a rebuilt one and nothing is printed twice.
    std::ostringstream buffer;
    int status = with_index(dir, err, [&](const JournalIndex& index) -> int {
      buffer.str("");
      return dossier_on_index(index, options, buffer, err);
    });
    out << buffer.str();
    return status;
  } catch (const std::exception& e) {
    err << "flowrt: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace flow::runtime::queries
