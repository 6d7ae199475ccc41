#include "engine/router.h"

#include "records/delivery_id.h"

namespace flow::runtime {

Router::Router(const RouteTable& routes, const Evaluator& evaluator, size_t event_types, Deliveries& deliveries,
               InstanceTracker& instances, JournalSink& sink, RunStats& stats, const std::string& definition,
               std::ostream& log)
    : routes_(routes),
      decider_(evaluator, routes, event_types, sink, log),
      deliveries_(deliveries),
      instances_(instances),
      sink_(sink),
      stats_(stats),
      definition_(definition) {}

std::string_view Router::journal_event(const Work& work) {
  std::string_view data_json = work.data_json;  // derived when it was emitted, in the arena
  if (data_json.empty()) {
    data_buffer_.clear();
    append_data_json(data_buffer_, *work.type, work.data, work.verbatim);
    data_json = data_buffer_.view();
  }
  sink_.write(RecordKind::Event,
              EventRecordView{work.id, work.type->qualified_name, work.instance, work.key, work.causation,
                              work.delivery, work.service ? std::string_view(*work.service) : "", work.source,
                              work.subject, work.time_us, work.dispatched_us, work.input_line, definition_, data_json});
  return data_json;
}

void Router::dispatch(Work& work, int64_t now) {
  work.dispatched_us = now;
  // The event's `data` stays until the next dispatch (the log sink prints
  // it, transforms derive theirs from it).
  const std::string_view data_json = journal_event(work);
  ++stats_.counts().events_dispatched;

  Instance* instance = instances_.find(work.instance);
  if (!instance) instance = &instances_.get_or_create(work.instance, work.key);
  const EventRoutes& event = routes_.of(*work.type);
  if (!event.listed) return;
  // An event emitted inside an instance that starts another flow enters it.
  if (!work.causation.empty()) {
    for (const std::string* flow : event.starts) instances_.enter_flow(*instance, *flow, work.id, now);
  }
  for (const std::string* flow : event.ends) {
    instances_.set_status(*instance, *flow, InstanceStatus::Completed, work.id, now);
  }

  // Every condition first, then one `decisions` record for them all, then
  // the deliveries: the record precedes what it caused, as the journal's
  // causal order requires, and the subscriptions share its rule values.
  const std::vector<int8_t>& fired = decider_.decide(event, work, now);
  for (size_t r = 0; r < event.routes.size(); ++r) {
    if (fired[r] != 1) continue;
    const Route& route = event.routes[r];
    for (size_t s = 0; s < route.services.size(); ++s) {
      write_delivery_id(delivery_id_, work.id, r, s);
      deliveries_.deliver(*route.services[s], *route.flow, work, delivery_id_, data_json);
    }
  }
  instances_.release_if_done(work.instance);
}

}  // namespace flow::runtime
