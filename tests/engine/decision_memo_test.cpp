// DecisionMemo (runtime/engine/decision_memo.h): a record is found again
// only at the end of the very same path, walks that were abandoned neither
// find nor remember one, and a full memo starts afresh.
#include <catch2/catch.hpp>

#include "engine/decision_memo.h"

using flow::runtime::DecisionMemo;

namespace {

/// Walks `tokens` from the root; the record found at the end, or "".
std::string walk(DecisionMemo& memo, const std::vector<uint32_t>& tokens) {
  memo.begin();
  for (uint32_t t : tokens) memo.step(t);
  const std::string* record = memo.record();
  return record ? *record : "";
}

void remember(DecisionMemo& memo, const std::vector<uint32_t>& tokens, const std::string& record) {
  memo.begin();
  for (uint32_t t : tokens) memo.step(t);
  REQUIRE(memo.walking());
  memo.remember(record);
}

}  // namespace

TEST_CASE("decision memo: a record is found at the end of its own path only", "[runtime][memo]") {
  DecisionMemo memo;
  const uint32_t big_true = DecisionMemo::rule_token(3, true), big_false = DecisionMemo::rule_token(3, false);
  const uint32_t fired = DecisionMemo::result_token(true), not_fired = DecisionMemo::result_token(false);
  CHECK(big_true != big_false);
  CHECK(fired != not_fired);
  CHECK(DecisionMemo::rule_token(0, false) != fired);  // rule tokens never look like results
  CHECK(DecisionMemo::rule_token(0, false) != not_fired);

  CHECK(walk(memo, {big_true, fired}).empty());
  remember(memo, {big_true, fired}, "A");
  remember(memo, {big_false, not_fired}, "B");
  CHECK(walk(memo, {big_true, fired}) == "A");
  CHECK(walk(memo, {big_false, not_fired}) == "B");
  // The same results with other values, and a prefix, are other paths.
  CHECK(walk(memo, {big_false, fired}).empty());
  CHECK(walk(memo, {big_true}).empty());
  CHECK(walk(memo, {big_true, fired, not_fired}).empty());
  CHECK(walk(memo, {}).empty());
}

TEST_CASE("decision memo: an abandoned walk finds and remembers nothing", "[runtime][memo]") {
  DecisionMemo memo;
  const std::vector<uint32_t> path = {DecisionMemo::rule_token(1, true), DecisionMemo::result_token(true)};
  remember(memo, path, "A");
  memo.begin();
  for (uint32_t t : path) memo.step(t);
  memo.abandon();
  CHECK_FALSE(memo.walking());
  CHECK(memo.record() == nullptr);
  memo.remember("B");  // ignored
  CHECK(walk(memo, path) == "A");
  // Abandoned halfway, the rest of the walk goes nowhere.
  memo.begin();
  memo.step(path[0]);
  memo.abandon();
  memo.step(path[1]);
  CHECK(memo.record() == nullptr);
}

TEST_CASE("decision memo: a full memo forgets everything and fills again", "[runtime][memo]") {
  DecisionMemo memo;
  remember(memo, {DecisionMemo::rule_token(0, true), DecisionMemo::result_token(true)}, "first");
  // Distinct long paths until the node bound is reached.
  size_t remembered = 0;
  bool reset_seen = false;
  for (uint32_t i = 0; i < 70000 && !reset_seen; ++i) {
    memo.begin();
    memo.step(DecisionMemo::rule_token(i + 1, true));
    memo.step(DecisionMemo::result_token(false));
    if (!memo.walking()) {
      reset_seen = true;  // this walk hit the bound: abandoned
      break;
    }
    memo.remember("r" + std::to_string(i));
    ++remembered;
  }
  REQUIRE(reset_seen);
  CHECK(remembered > 30000);
  CHECK(memo.node_count() == 1);
  CHECK(walk(memo, {DecisionMemo::rule_token(0, true), DecisionMemo::result_token(true)}).empty());
  remember(memo, {DecisionMemo::rule_token(0, true), DecisionMemo::result_token(true)}, "again");
  CHECK(walk(memo, {DecisionMemo::rule_token(0, true), DecisionMemo::result_token(true)}) == "again");
}
