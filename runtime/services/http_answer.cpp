// Reading an http service's answer (see http_answer.h).
#include "services/http_answer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "services/text_snippet.h"

namespace flow::runtime {

namespace {

/// The media type alone, lower case: "application/json" of
/// "Application/JSON; charset=utf-8".
std::string media_type(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && std::isspace(static_cast<unsigned char>(content_type.back()))) {
    content_type.remove_suffix(1);
  }
  while (!content_type.empty() && std::isspace(static_cast<unsigned char>(content_type.front()))) {
    content_type.remove_prefix(1);
  }
  std::string out(content_type);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

bool retryable(long status) {
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

std::string status_error(const HttpResponse& response) {
  std::string error = "HTTP " + std::to_string(response.status);
  if (!is_blank(response.body)) error += ": " + printable_snippet(response.body);
  if (retryable(response.status)) return error;
  if (response.status >= 300 && response.status <= 399) return error + " (redirects are not followed: not retried)";
  return error + " (final: only 408, 429 and 5xx answers are retried)";
}

}  // namespace

HttpVerdict read_http_answer(const HttpResponse& response, AnswerParser& parser) {
  HttpVerdict verdict;
  if (response.status < 200 || response.status > 299) {
    verdict.status = AttemptStatus::HttpStatus;
    verdict.permanent = !retryable(response.status);
    verdict.error = status_error(response);
    return verdict;
  }
  if (response.status == 204 || is_blank(response.body)) return verdict;
  const std::string type = media_type(response.content_type);
  AnswerBody shape;
  if (type == "application/cloudevents-batch+json") {
    shape = AnswerBody::CloudEventBatch;
  } else if (type == "application/cloudevents+json") {
    shape = AnswerBody::CloudEvent;
  } else if (type.empty() || type == "application/json" || type.ends_with("+json")) {
    shape = AnswerBody::ExecAnswer;
  } else {
    verdict.status = AttemptStatus::Malformed;
    verdict.error = "HTTP " + std::to_string(response.status) + " with a body of type " +
                    printable_snippet(response.content_type) + ", not JSON: " + printable_snippet(response.body);
    return verdict;
  }
  ParsedAnswer answer = parser.parse_body(response.body, shape);
  switch (answer.kind) {
    case ParsedAnswer::Kind::Emit: verdict.emits = std::move(answer.emits); break;
    case ParsedAnswer::Kind::Error:
      verdict.status = AttemptStatus::ServiceError;
      verdict.error = std::move(answer.message);
      break;
    case ParsedAnswer::Kind::Malformed:
      verdict.status = AttemptStatus::Malformed;
      verdict.error = "malformed answer (" + answer.message + "): " + printable_snippet(response.body);
      break;
  }
  return verdict;
}

std::optional<int64_t> retry_after_us(std::string_view value, int64_t now_us,
                                      time_t (*parse_date)(const char*, const time_t*)) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1'000'000;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    int64_t seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc::result_out_of_range || seconds > kMaxSeconds) return kMaxSeconds * 1'000'000;
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return seconds * 1'000'000;
  }
  if (!parse_date) return std::nullopt;
  const time_t at = parse_date(std::string(value).c_str(), nullptr);
  if (at == static_cast<time_t>(-1)) return std::nullopt;
  const int64_t at_us =
      static_cast<int64_t>(at) > kMaxSeconds ? kMaxSeconds * 1'000'000 : static_cast<int64_t>(at) * 1'000'000;
  return std::max<int64_t>(0, at_us - now_us);
}

}  // namespace flow::runtime
