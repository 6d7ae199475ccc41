// What the exec and http runners report for each delivery attempt, so the
// runtime can journal it: who, which attempt, when, how it went, what was
// emitted, and — on the attempt that settles the delivery — the final result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flow::runtime {

/// One event a service answered with, as it appeared in the answer line:
/// `type` unescaped, `data_json` the verbatim JSON text of the `data` object
/// (numbers keep their exact spelling; the caller's validator parses it).
struct RawEmit {
  std::string type;
  std::string data_json;

  friend bool operator==(const RawEmit&, const RawEmit&) = default;
};

enum class AttemptStatus : std::uint8_t {
  Ok,                ///< answered with `emit`, accepted by the validator
  ServiceError,      ///< answered with `error`
  Timeout,           ///< no answer within the service's timeout
  Malformed,         ///< unusable output attributed to this attempt
  UndeclaredEvent,   ///< the validator refused an emitted event the service does not publish
  InvalidEvent,      ///< the validator refused an emitted event that fails validation
  ProcessDied,       ///< the process exited or was killed while this was in flight
  StartFailed,       ///< the process could not be started
  Cancelled,         ///< shutdown() ended the runner before the delivery settled
  HttpStatus,        ///< an http service answered with a failure status (408, 429, 5xx: retried; others: final)
  ConnectionFailed,  ///< an http service could not be reached, or the connection broke before an answer
};

enum class DeliveryState : std::uint8_t {
  Retrying,      ///< this attempt failed; another one is scheduled
  Delivered,     ///< final: this attempt succeeded
  DeadLettered,  ///< final: this attempt failed and no retry is left
  Abandoned,     ///< final: cut off by shutdown(); neither delivered nor dead-lettered
};

struct AttemptOutcome {
  std::string delivery_id;
  std::size_t service_index = 0;
  std::string service;          ///< the service's name
  std::uint32_t attempt = 0;    ///< 1-based
  std::int64_t started_us = 0;  ///< wall clock; for Cancelled-before-start: the cancel time
  std::int64_t ended_us = 0;    ///< wall clock
  AttemptStatus status = AttemptStatus::Ok;
  std::string error;           ///< why it failed; empty when Ok
  std::vector<RawEmit> emits;  ///< on Ok, and on UndeclaredEvent and InvalidEvent (what was refused)
  DeliveryState state = DeliveryState::Delivered;
  std::int64_t next_attempt_us = 0;  ///< wall clock, when Retrying; else 0

  bool final() const { return state != DeliveryState::Retrying; }
};

std::string_view to_string(AttemptStatus status);
std::string_view to_string(DeliveryState state);

}  // namespace flow::runtime
