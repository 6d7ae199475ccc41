// The URL check of http services (compiler/check/http_url.h, E0408).
#include <catch2/catch.hpp>

#include "check/http_url.h"

using flow::check::check_http_url;

TEST_CASE("http services take absolute http and https URLs with a host", "[frontend][http]") {
  for (const char* url : {"http://127.0.0.1:8080/quote", "https://quotes.example.com", "HTTPS://Quotes.Example.COM/",
                          "http://[::1]:8443/a/b?x=1&y=%2F", "https://host/path;v=1/@x:y?q=a/b?c",
                          "http://under_score.example-host.local:1/", "https://h:65535/"}) {
    INFO(url);
    CHECK_FALSE(check_http_url(url));
  }
}

TEST_CASE("a URL a delivery cannot be POSTed to is refused, with the reason", "[frontend][http]") {
  const std::pair<const char*, const char*> bad[] = {
      {"", "is empty"},
      {"quotes.example.com/x", "is not absolute: 'quotes.example.com/x'"},
      {"ftp://host/", "has the scheme 'ftp', not http or https"},
      {"htps://host/", "has the scheme 'htps', not http or https"},
      {"https:/host", "has no host"},
      {"https:///x", "has no host"},
      {"https://:80/", "has no host"},
      {"https://[]/", "has no host"},
      {"https://[::1/", "never closes the '[' of its host"},
      {"https://[::g]/", "has an invalid character 'g' in its IPv6 address"},
      {"https://host:0/", "has an invalid port '0'"},
      {"https://host:65536/", "has an invalid port '65536'"},
      {"https://host:/", "has an invalid port ''"},
      {"https://host:8a/", "has an invalid port '8a'"},
      {"https://user:pw@host/", "carries credentials (the part before '@')"},
      {"https://host/a b", "contains a space"},
      {"https://host/a\tb", "contains a control character"},
      {"https://host/caf\xc3\xa9", "contains a non-ASCII character"},
      {"https://host/x#top", "has a fragment ('#...'), which is never sent to the server"},
      {"https://host/100%",
       "has an invalid percent-encoding in its path: '%' must be followed by two hexadecimal digits"},
      {"https://host/?q=%4",
       "has an invalid percent-encoding in its query: '%' must be followed by two hexadecimal digits"},
      {"https://ho<st/", "has an invalid character '<' in its host"},
      {"https://host/a|b", "has an invalid character '|' in its path"},
      {"https://host/?a=[1]", "has an invalid character '[' in its query"},
  };
  for (const auto& [url, message] : bad) {
    INFO(url);
    const auto problem = check_http_url(url);
    REQUIRE(problem);
    CHECK(problem->message == message);
  }
}
