// The parameters of a live query, from the URL as it came: a query string
// (`flow=OrderToCash&status=active`) or one path segment (`/instances/{key}`).
// Percent-escapes are decoded exactly once, here; `+` stays a plus (RFC 3986:
// only HTML forms make it a space, and an RFC 3339 offset such as
// `at=2026-11-20T10:30:00+01:00` needs it). A parameter named twice, one the
// query does not take, a bad escape or text that is not UTF-8 is refused
// with a sentence for the 400 answer.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace flow::runtime::serve {

/// The decoded text of a path segment or parameter value; nullopt when an
/// escape is malformed or the result is not UTF-8.
std::optional<std::string> percent_decode(std::string_view text);

class QueryParams {
 public:
  /// Parses `query` (without the `?`), accepting only the names in `allowed`.
  /// ok() tells whether it could; error() says why not.
  QueryParams(std::string_view query, std::initializer_list<std::string_view> allowed);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  /// The value of `name`, when it was given (possibly empty).
  const std::string* get(std::string_view name) const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
  std::string error_;
};

}  // namespace flow::runtime::serve
