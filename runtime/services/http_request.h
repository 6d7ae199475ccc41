// The request of one delivery to an http service (serve.md §1): the event
// in CloudEvents' HTTP binary mode — its attributes as `ce-*` headers, its
// data as the JSON body — with the delivery id as `ce-flowdelivery` and as
// `Idempotency-Key`, so a service can recognise a retry of what it already
// did. The same request is sent on every attempt.
//
// Pure: strings in, header lines out; no I/O and no libcurl.
//
// Limits: header values are percent-encoded as the binding asks (bytes
// outside printable ASCII, space, '"' and '%'), so any id or source can be
// sent; the receiver decodes them once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flow::runtime {

/// The attributes of the event delivered.
struct CloudEventHead {
  std::string_view type;  // the type's name on the wire
  std::string_view id;
  std::string_view source;
  std::optional<int64_t> time_us;  // µs since the epoch
  std::optional<std::string_view> subject;
};

struct HttpRequest {
  std::vector<std::string> headers;  // "Name: value", without line ends
  std::string body;
};

/// The request that delivers an event whose data is `data_json` (a JSON
/// object) as delivery `delivery_id`.
HttpRequest binary_cloudevent_request(const CloudEventHead& event, std::string_view delivery_id, std::string data_json);

/// `value` with the bytes a CloudEvents header value may not hold as they
/// are written %XX (upper-case hex).
std::string percent_encode_header(std::string_view value);

}  // namespace flow::runtime
