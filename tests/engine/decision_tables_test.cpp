// DecisionTables (runtime/engine/decision_tables.h): the `decisions` record
// of one event — flows and (rule, value) pairs listed once, shared by the
// subscriptions that traced them.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/decision_tables.h"

using flow::runtime::DecisionTables;

TEST_CASE("DecisionTables: flows and rule values are listed once, subscriptions refer to them") {
  DecisionTables tables;
  const std::string orders = "shop.Orders", audit = "shop.Audit";
  const std::string big = "shop.Big", urgent = "shop.Urgent";
  tables.begin(orders, 0);
  tables.add_rule(big, tables.true_text());
  tables.add_rule(urgent, tables.false_text());
  tables.end(1, "");
  tables.begin(orders, 2);
  tables.add_rule(big, tables.true_text());  // the same pair again
  tables.end(0, "");
  tables.begin(audit, 0);
  tables.add_rule(urgent, tables.keep("false"));  // equal text, another string: still the same pair
  tables.end(-1, tables.keep("division by zero"));

  const auto view = tables.view("e42");
  CHECK(view.event == "e42");
  REQUIRE(view.flows.size() == 2);
  CHECK(view.flows[0] == "shop.Orders");
  CHECK(view.flows[1] == "shop.Audit");
  REQUIRE(view.values.size() == 2);
  CHECK(view.values[0].name == "shop.Big");
  CHECK(view.values[0].value == "true");
  CHECK(view.values[1].name == "shop.Urgent");
  CHECK(view.values[1].value == "false");
  REQUIRE(view.decisions.size() == 3);
  CHECK(view.decisions[0].flow == 0);
  CHECK(view.decisions[0].result == 1);
  CHECK(std::vector<uint32_t>(view.decisions[0].rules.begin(), view.decisions[0].rules.end()) ==
        std::vector<uint32_t>{0, 1});
  CHECK(view.decisions[1].subscription == 2);
  CHECK(view.decisions[1].result == 0);
  CHECK(std::vector<uint32_t>(view.decisions[1].rules.begin(), view.decisions[1].rules.end()) ==
        std::vector<uint32_t>{0});
  CHECK(view.decisions[2].flow == 1);
  CHECK(view.decisions[2].result == -1);
  CHECK(view.decisions[2].error == "division by zero");
  CHECK(view.decisions[1].error.empty());

  tables.clear();
  const auto empty = tables.view("e43");
  CHECK(empty.flows.empty());
  CHECK(empty.values.empty());
  CHECK(empty.decisions.empty());
}
