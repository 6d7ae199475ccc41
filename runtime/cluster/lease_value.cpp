// Lease bucket values (see lease_value.h).
#include "cluster/lease_value.h"

#include <nlohmann/json.hpp>

namespace flow::cluster {

std::string encode_lease_value(const LeaseValue& value) {
  return nlohmann::json{{"holder", value.holder}, {"time_us", value.time_us}}.dump();
}

std::optional<LeaseValue> decode_lease_value(std::string_view text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  auto holder = json.find("holder");
  auto time = json.find("time_us");
  if (holder == json.end() || !holder->is_string() || time == json.end() || !time->is_number_integer()) {
    return std::nullopt;
  }
  return LeaseValue{holder->get<std::string>(), time->get<std::int64_t>()};
}

std::string encode_node_heartbeat(std::string_view node, std::int64_t time_us) {
  return nlohmann::json{{"node", node}, {"time_us", time_us}}.dump();
}

}  // namespace flow::cluster
