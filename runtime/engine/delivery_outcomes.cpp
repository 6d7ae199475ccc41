// DeliveryOutcomes: attempts of exec and http deliveries into the journal
// and the queue (see delivery_outcomes.h).
#include "engine/delivery_outcomes.h"

#include "engine/dead_letter_reasons.h"
#include "engine/event_key.h"

namespace flow::runtime {

namespace {

AttemptOutcomeKind outcome_kind(AttemptStatus status) {
  switch (status) {
    case AttemptStatus::Ok: return AttemptOutcomeKind::Ok;
    case AttemptStatus::ServiceError:
    case AttemptStatus::HttpStatus: return AttemptOutcomeKind::Error;
    case AttemptStatus::Timeout: return AttemptOutcomeKind::Timeout;
    case AttemptStatus::Malformed: return AttemptOutcomeKind::Malformed;
    case AttemptStatus::UndeclaredEvent:
    case AttemptStatus::InvalidEvent: return AttemptOutcomeKind::Invalid;
    case AttemptStatus::ProcessDied:
    case AttemptStatus::StartFailed:
    case AttemptStatus::Cancelled:
    case AttemptStatus::ConnectionFailed: return AttemptOutcomeKind::Died;
  }
  return AttemptOutcomeKind::Error;
}

}  // namespace

DeliveryOutcomes::DeliveryOutcomes(EventDecoders& decoders, WorkQueue& queue, EventIds& ids, InstanceTracker& instances,
                                   JournalSink& sink, RunStats& stats, Failures& failures, std::ostream& log)
    : decoders_(decoders),
      queue_(queue),
      ids_(ids),
      instances_(instances),
      sink_(sink),
      stats_(stats),
      failures_(failures),
      log_(log) {}

std::optional<EmitRejection> DeliveryOutcomes::check_emits(const ServiceSpec& service, EventDecoders& decoders,
                                                           const std::vector<RawEmit>& emits) {
  const EventCatalog& catalog = decoders.catalog();
  Arena scratch;
  for (const auto& emit : emits) {
    // A type that does not exist is one the service does not publish.
    const EventType* type = catalog.find(emit.type);
    if (!type) return EmitRejection{AttemptStatus::UndeclaredEvent, catalog.unknown_type_reason(emit.type)};
    bool declared = false;
    for (const EventType* published : service.publishes) declared |= published == type;
    if (!declared) {
      return EmitRejection{AttemptStatus::UndeclaredEvent,
                           "emitted '" + emit.type + "', which the service does not publish"};
    }
    DecodedEvent decoded;
    if (!decoders.data().decode_data(*type, emit.data_json, scratch, decoded)) {
      return EmitRejection{AttemptStatus::InvalidEvent, "invalid " + emit.type + ": " + decoders.data().error()};
    }
  }
  return std::nullopt;
}

void DeliveryOutcomes::track(const ServiceSpec& service, const std::string& flow, const Work& work,
                             const std::string& delivery_id) {
  Instance& instance = instances_.get_or_create(work.instance, work.key);
  pending_[delivery_id] = {work.id, work.instance, flow, &service, work.type->qualified_name, work.chain};
  queue_.hold(work.chain);
  ++instance.in_flight;
}

void DeliveryOutcomes::handle(std::vector<AttemptOutcome>& outcomes) {
  for (auto& outcome : outcomes) handle(outcome);
  outcomes.clear();
}

void DeliveryOutcomes::handle(AttemptOutcome& outcome) {
  auto it = pending_.find(outcome.delivery_id);
  if (it == pending_.end()) return;
  PendingDelivery& pending = it->second;
  AttemptRecord attempt{outcome.delivery_id,
                        pending.event,
                        pending.instance,
                        pending.flow,
                        *pending.service->name,
                        outcome.attempt,
                        outcome.started_us,
                        outcome.ended_us,
                        outcome_kind(outcome.status),
                        outcome.error,
                        {}};
  if (outcome.status != AttemptStatus::Ok) {
    ++stats_.counts().failed_attempts;
    log_ << "flowrt: attempt " << outcome.attempt << " of delivery " << outcome.delivery_id << " to "
         << pending.service->plain_name << " failed (" << to_string(outcome.status) << "): " << outcome.error << "\n";
  }
  if (outcome.state == DeliveryState::Retrying) ++stats_.counts().retries;
  // Emitted events wait at the back of the queue until the delivery is
  // final (a retried attempt's events are never dispatched).
  const size_t queued_before = queue_.size();
  const std::string& service_name = *pending.service->name;
  if (outcome.status == AttemptStatus::Ok) {
    for (const auto& emit : outcome.emits) {
      const EventType* type = decoders_.catalog().find(emit.type);
      DecodedEvent decoded;
      if (!type || !decoders_.data().decode_data(*type, emit.data_json, queue_.arena(), decoded))
        continue;  // validated before
      Work& next = queue_.push();
      next.type = decoded.type;
      next.data = decoded.instance;
      next.id = ids_.next();
      next.key = key_of(*decoded.type, decoded.instance);
      next.instance = pending.instance;
      next.causation = pending.event;
      next.delivery = outcome.delivery_id;
      next.service = &service_name;
      next.time_us = outcome.ended_us;
      attempt.emitted.push_back(next.id);
    }
  }
  if (!outcome.final()) queue_.drop_from(queued_before);
  bool chain_cut = false;
  if (outcome.final() && !queue_.admit(pending.chain, queue_.size() - queued_before)) {
    // What it published would make its input's chain too long: none of
    // it is dispatched, and the delivery is dead-lettered for it.
    queue_.drop_from(queued_before);
    chain_cut = true;
    attempt.outcome = AttemptOutcomeKind::Error;
    attempt.error = queue_.chain_too_long();
    attempt.emitted.clear();
    ++stats_.counts().failed_attempts;
  }
  for (size_t q = queued_before; q < queue_.size(); ++q) {
    queue_[q].chain = pending.chain;  // admitted above
    stats_.count_out(*queue_[q].type);
  }
  sink_.append(RecordKind::Attempt, encode(attempt));
  if (outcome.final()) {
    Instance* instance = instances_.find(pending.instance);
    if (instance) --instance->in_flight;
    if (chain_cut) {
      failures_.dead_letter({outcome.delivery_id, pending.event, pending.instance, pending.flow, *pending.service->name,
                             outcome.attempt, attempt.error, outcome.ended_us, DeadLetterReason::ChainTooLong},
                            pending.event_type, pending.chain);
    } else if (outcome.state == DeliveryState::DeadLettered || outcome.state == DeliveryState::Abandoned) {
      failures_.dead_letter({outcome.delivery_id, pending.event, pending.instance, pending.flow, *pending.service->name,
                             outcome.attempt, outcome.error, outcome.ended_us, dead_letter_reason(outcome.status)},
                            pending.event_type, pending.chain);
    }
    queue_.release(pending.chain);
    std::string instance_id = pending.instance;
    pending_.erase(it);
    queue_.run();
    instances_.release_if_done(instance_id);
  }
}

}  // namespace flow::runtime
