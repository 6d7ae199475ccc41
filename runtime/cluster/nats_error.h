// NatsError: how the cluster code reports a failed NATS call — a
// std::runtime_error whose text says what Flow was doing and what NATS said
// (the library's last error for this thread, which carries the server's
// description for JetStream API errors), keeping the natsStatus and the
// JetStream error code so callers can tell "wrong last sequence" (a fence)
// from a timeout without parsing text.
//
// Limits: the text comes from nats_GetLastError(), which is per thread: call
// throw_nats_error() on the thread that made the failed call, right after it.
#pragma once

#include <nats/nats.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace flow::cluster {

class NatsError : public std::runtime_error {
 public:
  NatsError(const std::string& what, natsStatus status, int js_code)
      : std::runtime_error(what), status_(status), js_code_(js_code) {}

  natsStatus status() const { return status_; }
  /// The JetStream error code (jsErrCode, e.g. 10071 for a wrong last
  /// sequence); 0 when the server sent none.
  int js_code() const { return js_code_; }

 private:
  natsStatus status_;
  int js_code_;
};

/// What NATS says about the failure `status` of this thread's last call.
std::string nats_failure_text(natsStatus status);

/// Throws NatsError "<doing>: <NATS's message>".
[[noreturn]] void throw_nats_error(std::string_view doing, natsStatus status, int js_code = 0);

/// Throws when `status` is not NATS_OK.
inline void check_nats(natsStatus status, std::string_view doing, int js_code = 0) {
  if (status != NATS_OK) throw_nats_error(doing, status, js_code);
}

}  // namespace flow::cluster
