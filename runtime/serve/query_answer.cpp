// Answers of the live queries; see query_answer.h.
#include "serve/query_answer.h"

#include "queries/common/query_json.h"

namespace flow::runtime::serve {

Answer error_answer(int status, std::string_view message) {
  queries::ojson j;
  j["error"] = message;
  return Answer{status, "application/json", queries::dump(j)};
}

Answer json_answer(std::string body, int status) {
  return Answer{status, "application/json", std::move(body)};
}

}  // namespace flow::runtime::serve
