// Unit tests of the pieces of the journal queries with subtle rules: the
// decision tree rebuilt from a flat trace (queries/explain/decision_tree.h), the
// persisted string hash, record positions, and source text on one line.
#include <catch2/catch.hpp>

#include "queries/common/definition_summary.h"
#include "queries/common/record_access.h"
#include "queries/explain/decision_tree.h"

using namespace flow::runtime;
using namespace flow::runtime::queries;

namespace {

DefinitionSummary orders_summary() {
  // rule NeedsReview = HighValue and not Domestic; the condition calls NeedsReview.
  DefinitionSummary s;
  s.loaded = true;
  s.calls["m.NeedsReview"] = {"m.HighValue", "m.Domestic"};
  s.calls["m.HighValue"] = {};
  s.calls["m.Domestic"] = {};
  s.calls[condition_key("m.F", 0)] = {"m.NeedsReview"};
  // The condition `HighValue and NeedsReview`.
  s.calls[condition_key("m.F", 1)] = {"m.HighValue", "m.NeedsReview"};
  // The condition `Domestic and NeedsReview`.
  s.calls[condition_key("m.F", 2)] = {"m.Domestic", "m.NeedsReview"};
  return s;
}

std::string shape(const std::vector<RuleNode>& nodes) {
  std::string out;
  for (const auto& n : nodes) {
    out += n.name.substr(2) + "=" + n.value;
    if (!n.children.empty()) out += "(" + shape(n.children) + ")";
    out += " ";
  }
  return out;
}

}  // namespace

TEST_CASE("a flat trace becomes the tree of calls", "[queries][tree]") {
  DefinitionSummary s = orders_summary();
  std::vector<RuleValue> trace = {{"m.HighValue", "true"}, {"m.Domestic", "false"}, {"m.NeedsReview", "true"}};
  CHECK(shape(decision_tree(trace, &s, "m.F", 0)) == "NeedsReview=true(HighValue=true Domestic=false ) ");
}

TEST_CASE("short-circuited calls are simply absent", "[queries][tree]") {
  DefinitionSummary s = orders_summary();
  std::vector<RuleValue> trace = {{"m.HighValue", "false"}, {"m.NeedsReview", "false"}};
  CHECK(shape(decision_tree(trace, &s, "m.F", 0)) == "NeedsReview=false(HighValue=false ) ");
}

TEST_CASE("an earlier sibling call of the same rule is not adopted", "[queries][tree]") {
  DefinitionSummary s = orders_summary();
  // HighValue and NeedsReview: HighValue at the top, then NeedsReview's own calls.
  std::vector<RuleValue> trace = {
      {"m.HighValue", "true"}, {"m.HighValue", "true"}, {"m.Domestic", "false"}, {"m.NeedsReview", "true"}};
  CHECK(shape(decision_tree(trace, &s, "m.F", 1)) ==
        "HighValue=true NeedsReview=true(HighValue=true Domestic=false ) ");
  // Domestic and NeedsReview, NeedsReview short-circuited after HighValue:
  // the top-level Domestic is before HighValue in evaluation order, so it
  // cannot be NeedsReview's (whose Domestic call would come after).
  trace = {{"m.Domestic", "false"}, {"m.HighValue", "false"}, {"m.NeedsReview", "false"}};
  CHECK(shape(decision_tree(trace, &s, "m.F", 2)) == "Domestic=false NeedsReview=false(HighValue=false ) ");
}

TEST_CASE("without the definition the trace stays flat", "[queries][tree]") {
  std::vector<RuleValue> trace = {{"m.HighValue", "true"}, {"m.Domestic", "false"}, {"m.NeedsReview", "true"}};
  CHECK(shape(decision_tree(trace, nullptr, "m.F", 0)) == "HighValue=true Domestic=false NeedsReview=true ");
  DefinitionSummary unloaded;
  CHECK(shape(decision_tree(trace, &unloaded, "m.F", 0)) == "HighValue=true Domestic=false NeedsReview=true ");
}

TEST_CASE("the index hash is stable", "[queries][index]") {
  // Persisted in query-index.fji: changing it needs a new index format version.
  CHECK(hash_text("") == hash_text(""));
  CHECK(hash_text("o-1") != hash_text("o-2"));
  CHECK(hash_text("1001") == 0xc54f2f2221117b30ull);
}

TEST_CASE("record positions pack segment and offset", "[queries][index]") {
  uint64_t p = pack_position(44, 67108000);
  CHECK(position_segment(p) == 44);
  CHECK(position_offset(p) == 67108000);
  CHECK(pack_position(1, 999999) < pack_position(2, 32));
}

TEST_CASE("source text on one line", "[queries]") {
  CHECK(one_line("on OrderPlaced when NeedsReview     -> RequestReview") ==
        "on OrderPlaced when NeedsReview -> RequestReview");
  CHECK(one_line("when a // why\n   and b") == "when a and b");
  CHECK(short_name("shop.orders.OrderPlaced") == "OrderPlaced");
  CHECK(short_name("Plain") == "Plain");
}
