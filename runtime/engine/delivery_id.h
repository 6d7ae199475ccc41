// The id of a delivery: `d-<event>.<route>.<service>`, from the event's id
// and the route's and service's places in the dispatch table of the version
// that dispatched it. Stable across retries and runs, so an exec service can
// deduplicate, and recovery finds a delivery left in flight by its id.
//
// Limits: inline because it runs for every delivery; queries that rebuild
// ids from the journal spell the same format on their own.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace flow::runtime {

inline void make_delivery_id(std::string& out, std::string_view event_id, size_t route, size_t service) {
  // One assign of text built on the stack: this runs for every delivery.
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

}  // namespace flow::runtime
