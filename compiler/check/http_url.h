// The check of an `http` service's URL (language.md §8, E0408): an
// absolute http:// or https:// URL with a host, in the syntax of RFC 3986,
// that a delivery can be POSTed to as it stands.
//
// Why a check of its own: the definition is journaled and deployed as
// written, so what would only fail at the first delivery — a typo in the
// scheme, a missing host, a space — is refused when the program is
// compiled. Credentials are refused too (they would be stored in every
// journal and artifact), and so is a fragment (never sent to a server).
//
// Limits: syntax only. Host names are not resolved, and non-ASCII text
// must be percent-encoded (or punycode in a host): the runtime sends the
// URL as written.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flow::check {

struct UrlProblem {
  std::string message;  // what is wrong: "has no host", to follow "the URL of service 'X' "
  std::string help;     // how to fix it; may be empty
};

/// Nothing when `url` is a URL an http service can use, else the problem.
std::optional<UrlProblem> check_http_url(std::string_view url);

}  // namespace flow::check
