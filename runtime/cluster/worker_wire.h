// The messages of `flowrt worker` (queue_worker.h): a request is one
// delivery in the exec protocol's JSON (runtime.md §3),
//   {"id":"d-17","event":{"specversion":"1.0","type":"ReviewRequested",...}}
// and the reply is the answer line of that protocol,
//   {"id":"d-17","emit":[{"type":"OrderApproved","data":{...}}]}
//   {"id":"d-17","error":"credit bureau unavailable"}
// built from what the exec runner made of the program's own answer: the
// emitted types and `data` texts verbatim, an `error` answer's message as
// the program gave it. A failure the worker saw instead of an answer
// (timeout, malformed output, the process dying) is an `error` reply that
// says so, which the requester counts as a failed attempt like any other.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/attempt_outcome.h"

namespace flow::cluster {

struct WorkerRequest {
  std::string id;
  std::string event_json;  ///< the event object's JSON text, verbatim
};

/// Parses a request; nullopt with `problem` set when it is not one valid
/// JSON object with a string "id" and an object "event".
/// `id_seen` gets the id when one could be read, for the error reply.
std::optional<WorkerRequest> parse_worker_request(std::string_view payload, std::string& problem,
                                                  std::optional<std::string>& id_seen);

/// The reply for the final outcome of a delivery.
std::string encode_worker_answer(std::string_view id, const runtime::AttemptOutcome& outcome);
/// An error reply, with the id when known.
std::string encode_worker_error(const std::optional<std::string>& id, std::string_view message);

}  // namespace flow::cluster
