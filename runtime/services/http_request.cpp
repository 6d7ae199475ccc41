// CloudEvents binary-mode requests for http services (see http_request.h).
#include "services/http_request.h"

#include <utility>

#include "base/time_format.h"

namespace flow::runtime {

std::string percent_encode_header(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '%') {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

/// "Name: value"; "Name;" for an empty value, which is how libcurl is told
/// to send a header with nothing after its colon (not to drop it).
std::string header(std::string_view name, std::string_view value) {
  if (value.empty()) return std::string(name) + ";";
  return std::string(name) + ": " + percent_encode_header(value);
}

}  // namespace

HttpRequest binary_cloudevent_request(const CloudEventHead& event, std::string_view delivery_id,
                                      std::string data_json) {
  HttpRequest request;
  std::vector<std::string>& h = request.headers;
  h.push_back("Content-Type: application/json");
  h.push_back("ce-specversion: 1.0");
  h.push_back(header("ce-type", event.type));
  h.push_back(header("ce-id", event.id));
  h.push_back(header("ce-source", event.source));
  if (event.time_us) h.push_back(header("ce-time", format_timestamp(*event.time_us)));
  if (event.subject) h.push_back(header("ce-subject", *event.subject));
  h.push_back(header("ce-flowdelivery", delivery_id));
  h.push_back(header("Idempotency-Key", delivery_id));
  request.body = std::move(data_json);
  return request;
}

}  // namespace flow::runtime
