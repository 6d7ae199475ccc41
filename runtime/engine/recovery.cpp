#include "engine/recovery.h"

#include "base/wall_clock.h"
#include "engine/dead_letter_reasons.h"
#include "journal/journal_reader.h"

namespace flow::runtime {

Recovery::Recovery(const LoadedApp& app, const RouteTable& routes, EventDecoders& decoders, InstanceTracker& instances,
                   JournalSink& sink, WorkQueue& queue, Deliveries& deliveries, Failures& failures, std::ostream& log)
    : app_(app),
      routes_(routes),
      decoders_(decoders),
      instances_(instances),
      sink_(sink),
      queue_(queue),
      deliveries_(deliveries),
      failures_(failures),
      log_(log),
      scan_(app, log) {}

void Recovery::run(const std::string& journal_dir) {
  // Earlier runs: their definition versions and their running instances.
  // A version is recorded when it becomes active: the first time, and again
  // when a run switches back to it after another (the journal's timeline of
  // versions then says which was in force when).
  std::string last_active;
  journal::JournalReader reader(journal_dir);
  journal::Record record;
  SegmentNames segment_names;
  uint64_t events = 0, unreadable = 0;
  while (reader.next(record)) {
    std::string_view payload(reinterpret_cast<const char*>(record.payload.data()), record.payload.size());
    const NameList* names = segment_names.observe(record.position.segment, record.type, payload);
    if (record.type == static_cast<uint8_t>(RecordKind::Instance)) {
      InstanceRecord r;
      if (decode(payload, r, names)) {
        instances_.apply(r);
      } else {
        ++unreadable;
      }
    } else if (record.type == static_cast<uint8_t>(RecordKind::Definition)) {
      DefinitionRecord r;
      if (decode(payload, r)) {
        last_active = r.hash;
        scan_.note_definition(r);
      } else {
        ++unreadable;
      }
    } else if (record.type == static_cast<uint8_t>(RecordKind::Event)) {
      ++events;
    }
    if (!routes_.exec_services().empty() || !routes_.http_services().empty() || scan_.other_versions()) {
      scan_.observe(static_cast<RecordKind>(record.type), payload, names);
    }
  }
  for (const auto& p : reader.problems()) log_ << "flowrt: journal: " << journal::describe(p) << "\n";
  if (unreadable > 0) {
    // Instances and definition versions they held are not known to this run.
    log_ << "flowrt: journal: " << unreadable
         << " instance or definition record(s) do not decode and were left out (flowrt journal verify lists them)\n";
  }
  if (events > 0) {
    log_ << "flowrt: continuing journal " << journal_dir << ": " << events << " earlier events, "
         << instances_.running_count() << " running instances\n";
  }
  if (last_active != app_.content_hash) {
    DefinitionRecord def{app_.content_hash, wall_clock_us(), app_.source_path, app_.artifact_bytes};
    sink_.append(RecordKind::Definition, encode(def));
    sink_.commit();
    scan_.note_definition(def);
  }
  redrive(scan_.finish());
}

void Recovery::redrive(int version_now) {
  std::map<std::string, InFlightScan::InFlight>& left = scan_.left();
  if (left.empty()) return;
  size_t http = 0;
  for (const auto& [id, in_flight] : left) {
    const ServiceSpec* service = routes_.find_remote(in_flight.service);
    http += service && service->kind == ServiceSpec::Kind::Http;
  }
  std::string what;
  if (left.size() > http) what = std::to_string(left.size() - http) + " exec deliveries";
  if (http > 0) what += (what.empty() ? "" : " and ") + std::to_string(http) + " http deliveries";
  log_ << "flowrt: re-driving " << what << " left in flight by the previous run\n";
  for (auto& [id, in_flight] : left) {
    const EventRecord& event = in_flight.event;
    instances_.get_or_create(event.instance, event.key);
    const ServiceSpec* service = routes_.find_remote(in_flight.service);
    const EventType* type = decoders_.catalog().find(event.type);
    DecodedEvent decoded;
    std::string failure;
    DeadLetterReason reason = DeadLetterReason::ServiceRemoved;
    if (!service) {
      failure = "service " + in_flight.service + " removed in version " + std::to_string(version_now) +
                " (its delivery was in flight when version " + std::to_string(in_flight.version) + " stopped)";
    } else if (!type) {
      failure = "event type " + event.type + " removed in version " + std::to_string(version_now);
      reason = DeadLetterReason::InvalidEvent;
    } else if (!decoders_.data().decode_data(*type, event.data_json, queue_.arena(), decoded)) {
      reason = DeadLetterReason::InvalidEvent;
      failure = "its event " + event.id + " no longer decodes under version " + std::to_string(version_now) + ": " +
                decoders_.data().error();
    }
    const CausalChains::Id chain = queue_.begin_chain();  // counted again from here (causal_chains.h)
    if (!failure.empty()) {
      log_ << "flowrt: cannot re-drive delivery " << id << ": " << failure << "\n";
      failures_.dead_letter({id, event.id, event.instance, in_flight.flow, in_flight.service, in_flight.attempts,
                             failure, wall_clock_us(), reason},
                            event.type, chain);
      queue_.release(chain);
      continue;
    }
    Work work;
    work.type = type;
    work.data = decoded.instance;
    work.id = event.id;
    work.instance = event.instance;
    work.key = event.key;
    work.source = event.source;
    work.time_us = event.time_us;
    work.dispatched_us = event.dispatched_us;
    work.chain = chain;
    deliveries_.deliver(*service, in_flight.flow, work, id, {});
    queue_.release(chain);
  }
  left.clear();
  queue_.run();  // what the dead letters published
  queue_.arena().reset();
}

}  // namespace flow::runtime
