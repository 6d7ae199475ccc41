#include "engine/intake.h"

#include "base/wall_clock.h"
#include "engine/event_key.h"

namespace flow::runtime {

Intake::Intake(EventDecoders& decoders, const RouteTable& routes, WorkQueue& queue, EventIds& ids,
               InstanceTracker& instances, Failures& failures, ExecDeliveries& exec, RunStats& stats, bool progress,
               std::ostream& log)
    : decoders_(decoders),
      routes_(routes),
      queue_(queue),
      ids_(ids),
      instances_(instances),
      failures_(failures),
      exec_(exec),
      stats_(stats),
      log_(log),
      progress_(progress) {}

void Intake::take(std::string_view line, int64_t line_number, size_t readable_after) {
  RunSummary& counts = stats_.counts();
  ++counts.lines;
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // blank lines are not events
  DecodedEvent decoded;
  CloudEventDecoder& decoder = decoders_.input();
  if (!decoder.decode_in_place(line, readable_after, queue_.arena(), decoded)) {
    failures_.reject(line_number, line, decoder.error());
    return;
  }
  const EventType& type = *decoded.type;
  const EventRoutes& routes = routes_.of(type);
  // Built in place at the back of the queue (taken back on rejection), so
  // the queue never moves an event.
  Work& work = queue_.push();
  work.type = &type;
  work.data = decoded.instance;
  work.verbatim = decoded.verbatim;  // the input's text lives until the line is done
  assign_key(type, decoded.instance, work.key);
  if (decoded.id) {
    work.id = *decoded.id;
  } else {
    ids_.assign_new(work.id);
  }
  if (decoded.source) {
    work.source = *decoded.source;
  } else {
    work.source = "flowrt";
  }
  if (decoded.subject) work.subject = *decoded.subject;
  int64_t now = wall_clock_us();
  work.time_us = decoded.time ? *decoded.time : now;
  work.input_line = line_number;

  if (!routes.starts.empty()) {
    Instance& instance = instances_.start(work.key, work.id, work.instance);
    for (const std::string* flow : routes.starts) instances_.enter_flow(instance, *flow, work.id, now);
  } else if (!routes.joins.empty()) {
    Instance* instance = instances_.joinable(work.key);
    if (!instance) {
      std::string reason = "no running instance with key '" + work.key + "' for " + type.name +
                           " (it joins a running instance of " + routes.joins + " by its key)";
      queue_.drop_from(queue_.size() - 1);
      failures_.reject(line_number, line, reason);
      return;
    }
    work.instance = instance->id;
  } else {
    queue_.drop_from(queue_.size() - 1);
    failures_.reject(line_number, line,
                     "event type '" + type.name +
                         "' does not enter any flow from outside (entry events: " + routes_.entry_events() + ")");
    return;
  }
  ++counts.accepted;
  work.chain = queue_.begin_chain();
  stats_.count_in(type);
  queue_.run(now);
  if (exec_.pending()) exec_.poll(0);
  if (progress_) stats_.progress(log_);
}

}  // namespace flow::runtime
