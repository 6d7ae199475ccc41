// What the live queries (live_queries.h) and the deploy check
// (deploy_check.h) hand back for an HTTP request: a status, a content type
// and a body, so they stay plain C++ that the server (flowrt serve) only
// writes out. Errors are JSON objects {"error": "..."}.
#pragma once

#include <string>
#include <string_view>

namespace flow::runtime::serve {

struct Answer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

/// `{"error": message}` (with a final newline) with that status.
Answer error_answer(int status, std::string_view message);

/// A JSON text (the queries' pretty-printed output) with status 200.
Answer json_answer(std::string body, int status = 200);

}  // namespace flow::runtime::serve
