// Subject and key spelling (see cluster_names.h).
#include "cluster/cluster_names.h"

#include <stdexcept>

namespace flow::cluster {

std::string input_subject(std::uint32_t partition) {
  return "flow.in." + std::to_string(partition);
}

std::string journal_subject(std::uint32_t partition) {
  return "flow.journal." + std::to_string(partition);
}

std::string event_subject(std::string_view event_type) {
  bool token_empty = true;
  for (char c : event_type) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '.') {
      if (token_empty) break;
      token_empty = true;
      continue;
    }
    if (u <= ' ' || u == 0x7f || c == '*' || c == '>') {
      throw std::invalid_argument("event type '" + std::string(event_type) + "' cannot be a NATS subject");
    }
    token_empty = false;
  }
  if (token_empty) throw std::invalid_argument("event type '" + std::string(event_type) + "' cannot be a NATS subject");
  return "flow.events." + std::string(event_type);
}

std::string partition_lease_key(std::uint32_t partition) {
  return "partition." + std::to_string(partition);
}

std::string node_key(std::string_view node) {
  return "node." + std::string(node);
}

bool valid_node_name(std::string_view node) {
  if (node.empty() || node.size() > 64) return false;
  for (char c : node) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace flow::cluster
