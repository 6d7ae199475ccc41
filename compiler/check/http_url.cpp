// The URL check of http services (see http_url.h): RFC 3986's generic
// syntax, reduced to what an http service may use.
#include "check/http_url.h"

#include <cctype>
#include <cstring>

namespace flow::check {

namespace {

bool is_unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~';
}

bool is_sub_delim(char c) {
  return c != '\0' && std::strchr("!$&'()*+,;=", c) != nullptr;
}

bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

std::string quoted(char c) {
  return std::string("'") + c + "'";
}

/// A character no part of a URL may hold unencoded.
std::optional<UrlProblem> raw_character(std::string_view url) {
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ') return UrlProblem{"contains a space", "percent-encode it as %20"};
    if (u < 0x20 || u == 0x7f) return UrlProblem{"contains a control character", "percent-encode it"};
    if (u >= 0x80) {
      return UrlProblem{"contains a non-ASCII character",
                        "percent-encode it (in a host name, write its punycode form)"};
    }
  }
  return std::nullopt;
}

/// Checks `text` (a host, path or query) character by character: `allowed`
/// says which may stand unencoded; `%` must start a %XX escape.
std::optional<UrlProblem> check_part(std::string_view text, const char* where, bool (*allowed)(char)) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) {
        return UrlProblem{"has an invalid percent-encoding in its " + std::string(where) +
                              ": '%' must be followed by two hexadecimal digits",
                          "write a '%' itself as %25"};
      }
      i += 2;
    } else if (!allowed(c)) {
      return UrlProblem{"has an invalid character " + quoted(c) + " in its " + std::string(where), "percent-encode it"};
    }
  }
  return std::nullopt;
}

bool host_char(char c) {
  return is_unreserved(c) || is_sub_delim(c);
}
bool path_char(char c) {
  return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@' || c == '/';
}
bool query_char(char c) {
  return path_char(c) || c == '?';
}

std::optional<UrlProblem> check_port(std::string_view port) {
  const UrlProblem bad{"has an invalid port '" + std::string(port) + "'", "a port is a number from 1 to 65535"};
  if (port.empty() || port.size() > 5) return bad;
  long value = 0;
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return bad;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return bad;
  return std::nullopt;
}

std::optional<UrlProblem> check_authority(std::string_view authority) {
  if (authority.find('@') != std::string_view::npos) {
    return UrlProblem{"carries credentials (the part before '@')",
                      "a definition is stored in every journal and artifact: leave credentials out of it"};
  }
  std::string_view host = authority, port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    // An IPv6 (or future) address literal.
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return UrlProblem{"never closes the '[' of its host", ""};
    host = authority.substr(0, close + 1);
    const std::string_view inner = authority.substr(1, close - 1);
    if (inner.empty()) return UrlProblem{"has no host", "write one: https://host/path"};
    for (char c : inner) {
      if (!is_hex(c) && c != ':' && c != '.') {
        return UrlProblem{"has an invalid character " + quoted(c) + " in its IPv6 address", ""};
      }
    }
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return UrlProblem{"has unexpected text after its host's ']'", ""};
      has_port = true;
      port = rest.substr(1);
    }
  } else {
    const size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      has_port = true;
    }
    if (host.empty()) return UrlProblem{"has no host", "write one: https://host/path"};
    if (auto problem = check_part(host, "host", host_char)) return problem;
  }
  if (has_port) return check_port(port);
  return std::nullopt;
}

}  // namespace

std::optional<UrlProblem> check_http_url(std::string_view url) {
  if (url.empty()) {
    return UrlProblem{"is empty", "write the URL deliveries are POSTed to: http \"https://host/path\""};
  }
  if (auto problem = raw_character(url)) return problem;

  // scheme ":" — a letter, then letters, digits, '+', '-', '.'.
  size_t colon = 0;
  while (colon < url.size() && url[colon] != ':' && url[colon] != '/' && url[colon] != '?' && url[colon] != '#') {
    ++colon;
  }
  const bool has_scheme =
      colon < url.size() && url[colon] == ':' && colon > 0 && std::isalpha(static_cast<unsigned char>(url[0]));
  if (!has_scheme) {
    return UrlProblem{"is not absolute: '" + std::string(url) + "'", "begin it with https:// or http://"};
  }
  std::string scheme;
  for (char c : url.substr(0, colon)) scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") {
    return UrlProblem{"has the scheme '" + std::string(url.substr(0, colon)) + "', not http or https",
                      "an http service is reached with http:// or https://"};
  }
  std::string_view rest = url.substr(colon + 1);
  if (rest.substr(0, 2) != "//") {
    return UrlProblem{"has no host", "write it as " + scheme + "://host/path"};
  }
  rest.remove_prefix(2);

  const size_t authority_end = rest.find_first_of("/?#");
  if (auto problem = check_authority(rest.substr(0, authority_end))) return problem;
  if (authority_end == std::string_view::npos) return std::nullopt;
  rest.remove_prefix(authority_end);

  const size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    return UrlProblem{"has a fragment ('#...'), which is never sent to the server", "leave it out"};
  }
  const size_t question = rest.find('?');
  if (auto problem = check_part(rest.substr(0, question), "path", path_char)) return problem;
  if (question != std::string_view::npos) {
    if (auto problem = check_part(rest.substr(question + 1), "query", query_char)) return problem;
  }
  return std::nullopt;
}

}  // namespace flow::check
