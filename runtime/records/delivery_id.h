// Delivery ids: the name of one event's delivery to one service of one
// route, `d-<event id>.<route>.<service>` (route and service are indices in
// the event type's dispatch routes). The id is stable across retries and
// across runs (recovery re-drives an unfinished delivery under the same id),
// so exec services can use it to drop duplicates; the journal's attempt,
// dead-letter and emitted-event records carry it, and the queries rebuild
// it to pair decisions with their deliveries.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace flow::runtime {

/// Sets `out` to the delivery id. Built on the stack and assigned once, and
/// inline: the engine makes one for every delivery, reusing `out`'s buffer.
inline void write_delivery_id(std::string& out, std::string_view event_id, size_t route, size_t service) {
  char tail[48];
  tail[0] = '.';
  char* end = std::to_chars(tail + 1, tail + 22, route).ptr;
  *end = '.';
  end = std::to_chars(end + 1, end + 22, service).ptr;
  const auto tail_size = static_cast<size_t>(end - tail);
  char text[80];
  if (event_id.size() + 2 + tail_size > sizeof text) {
    out.assign("d-").append(event_id).append(tail, tail_size);
    return;
  }
  text[0] = 'd';
  text[1] = '-';
  std::memcpy(text + 2, event_id.data(), event_id.size());
  std::memcpy(text + 2 + event_id.size(), tail, tail_size);
  out.assign(text, 2 + event_id.size() + tail_size);
}

/// The delivery id as a new string.
inline std::string delivery_id(std::string_view event_id, size_t route, size_t service) {
  std::string out;
  write_delivery_id(out, event_id, route, service);
  return out;
}

}  // namespace flow::runtime
