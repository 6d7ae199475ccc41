// Rebuilds the tree of rule and decision values behind one condition from
// the decision record's flat trace. The interpreter traces every rule and
// decision call as it returns (callees first: a post-order walk), so a
// call's children are the entries just before it that it calls. Which ones
// it calls comes from the definition's call sites (DefinitionSummary::calls,
// in evaluation order): walking back from the call, an entry is its child
// when it matches one of its call sites left of the previous child's. That
// keeps an earlier sibling call to the same rule from being adopted, and
// short-circuited calls simply have no entry. Without the definition, the
// trace is shown flat.
#pragma once

#include <string>
#include <vector>

#include "queries/common/definition_summary.h"
#include "records/journal_records.h"

namespace flow::runtime::queries {

struct RuleNode {
  std::string name;   // qualified rule or decision name
  std::string value;  // as journaled (Flow text, or "error")
  std::vector<RuleNode> children;
};

/// The condition's direct calls with their subtrees, in evaluation order.
std::vector<RuleNode> decision_tree(const std::vector<RuleValue>& trace, const DefinitionSummary* definition,
                                    const std::string& flow, int subscription);

}  // namespace flow::runtime::queries
