#include "engine/failures.h"

#include "base/wall_clock.h"
#include "engine/dead_letter_reasons.h"
#include "engine/event_key.h"
#include "layout/event_builder.h"

namespace flow::runtime {

Failures::Failures(const EventCatalog& catalog, const RouteTable& routes, JournalSink& sink, InstanceTracker& instances,
                   WorkQueue& queue, EventIds& ids, RunStats& stats, std::ostream& log)
    : routes_(routes),
      sink_(sink),
      instances_(instances),
      queue_(queue),
      ids_(ids),
      stats_(stats),
      log_(log),
      dead_lettered_type_(catalog.find("std.runtime.DeliveryDeadLettered")),
      input_rejected_type_(catalog.find("std.runtime.InputRejected")) {
  if (dead_lettered_type_) reason_members_ = std::make_unique<ReasonMembers>(*dead_lettered_type_->layout);
}

Failures::~Failures() = default;

void Failures::reject(int64_t line_number, std::string_view raw, const std::string& reason) {
  ++stats_.counts().rejected;
  RejectedRecord r{line_number, reason, std::string(raw), wall_clock_us()};
  sink_.append(RecordKind::Rejected, encode(r));
  log_ << "flowrt: rejected input line " << line_number << ": " << reason << "\n";
  if (input_rejected_type_) {
    // std.runtime.InputRejected: a flow may alert on bad input.
    layout::EventBuilder builder(*input_rejected_type_->layout, queue_.arena());
    const auto& l = *input_rejected_type_->layout;
    builder.set_string(l.field_index("input_id"),
                       "rejected-" + std::to_string(line_number) + "-" + std::to_string(ids_.peek_number()));
    builder.set_int(l.field_index("line"), line_number);
    builder.set_string(l.field_index("reason"), reason);
    builder.set_string(l.field_index("raw"), raw);
    builder.set_timestamp(l.field_index("at"), r.time_us);
    publish(*input_rejected_type_, builder.instance(), "", "", CausalChains::kNone);
  }
}

void Failures::dead_letter(const DeadLetterRecord& dead, const std::string& event_type, CausalChains::Id chain) {
  ++stats_.counts().dead_lettered;
  sink_.append(RecordKind::DeadLetter, encode(dead));
  if (Instance* instance = instances_.find(dead.instance)) {
    instances_.set_status(*instance, dead.flow, InstanceStatus::Failed, dead.event, dead.time_us);
  }
  log_ << "flowrt: dead-lettered delivery " << dead.delivery << " to " << dead.service << " after " << dead.attempts
       << " attempt(s) (" << to_string(dead.reason) << "): " << dead.error << "\n";
  if (dead_lettered_type_) {
    // std.runtime.DeliveryDeadLettered: a flow may compensate or alert.
    layout::EventBuilder builder(*dead_lettered_type_->layout, queue_.arena());
    const auto& l = *dead_lettered_type_->layout;
    builder.set_string(l.field_index("instance"), dead.instance);
    builder.set_string(l.field_index("service_name"), dead.service);
    builder.set_string(l.field_index("event_type"), event_type);
    builder.set_string(l.field_index("event_id"), dead.event);
    builder.set_int(l.field_index("attempts"), dead.attempts);
    builder.set_string(l.field_index("error"), dead.error);
    if (reason_members_->field() >= 0) builder.set_enum(reason_members_->field(), reason_members_->member(dead.reason));
    builder.set_timestamp(l.field_index("at"), dead.time_us);
    publish(*dead_lettered_type_, builder.instance(), dead.instance, dead.event, chain);
  }
}

void Failures::publish(const EventType& type, const uint8_t* data, const std::string& instance_id,
                       const std::string& causation, CausalChains::Id chain) {
  const EventRoutes& routes = routes_.of(type);
  if (!routes.listed || (routes.starts.empty() && routes.routes.empty())) return;  // nobody listens
  if (chain == CausalChains::kNone) {
    chain = queue_.begin_chain();
  } else if (!queue_.admit(chain, 1)) {
    // A notification about a chain already at its limit (a failing handler
    // of dead letters would otherwise feed itself): journaled above, not
    // dispatched.
    log_ << "flowrt: " << type.name << " about " << causation << " not published: " << queue_.chain_too_long() << "\n";
    return;
  }
  Work& work = queue_.push();
  work.chain = chain;
  work.type = &type;
  work.data = data;
  work.id = ids_.next();
  work.key = key_of(type, data);
  work.causation = causation;
  work.source = "flowrt";
  work.time_us = wall_clock_us();
  // It belongs to the instance it is about, or (input) starts its own.
  work.instance = instance_id.empty() ? work.key : instance_id;
  Instance& instance = instances_.get_or_create(work.instance, work.key);
  for (const std::string* flow : routes.starts) instances_.enter_flow(instance, *flow, work.id, work.time_us);
  stats_.count_out(type);
  queue_.run();  // a no-op when called from inside a dispatch: the outer loop takes it
}

}  // namespace flow::runtime
