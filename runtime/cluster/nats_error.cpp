// NatsError text (see nats_error.h).
#include "cluster/nats_error.h"

namespace flow::cluster {

std::string nats_failure_text(natsStatus status) {
  natsStatus last = NATS_OK;
  const char* text = nats_GetLastError(&last);
  // The thread's last error describes this failure only if it has the same
  // status; otherwise the status's own wording is all there is.
  if (text != nullptr && *text != '\0' && last == status) return text;
  return natsStatus_GetText(status);
}

void throw_nats_error(std::string_view doing, natsStatus status, int js_code) {
  std::string what(doing);
  what += ": ";
  what += nats_failure_text(status);
  if (js_code != 0) what += " (JetStream error " + std::to_string(js_code) + ")";
  throw NatsError(what, status, js_code);
}

}  // namespace flow::cluster
