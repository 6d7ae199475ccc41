// Names of attempt statuses and delivery states, as journaled and logged.
#include "services/attempt_outcome.h"

namespace flow::runtime {

std::string_view to_string(AttemptStatus status) {
  switch (status) {
    case AttemptStatus::Ok: return "ok";
    case AttemptStatus::ServiceError: return "service_error";
    case AttemptStatus::Timeout: return "timeout";
    case AttemptStatus::Malformed: return "malformed";
    case AttemptStatus::UndeclaredEvent: return "undeclared_event";
    case AttemptStatus::InvalidEvent: return "invalid_event";
    case AttemptStatus::ProcessDied: return "process_died";
    case AttemptStatus::StartFailed: return "start_failed";
    case AttemptStatus::Cancelled: return "cancelled";
    case AttemptStatus::HttpStatus: return "http_status";
    case AttemptStatus::ConnectionFailed: return "connection_failed";
  }
  return "unknown";
}

std::string_view to_string(DeliveryState state) {
  switch (state) {
    case DeliveryState::Retrying: return "retrying";
    case DeliveryState::Delivered: return "delivered";
    case DeliveryState::DeadLettered: return "dead_lettered";
    case DeliveryState::Abandoned: return "abandoned";
  }
  return "unknown";
}

}  // namespace flow::runtime
