// Flat decision traces to trees; see decision_tree.h.
#include "queries/explain/decision_tree.h"

namespace flow::runtime::queries {

namespace {

/// Moves the entries at the top of `stack` that are calls of a function
/// with these call sites into `children` (in evaluation order).
void adopt(std::vector<RuleNode>& stack, const std::vector<std::string>* sites, std::vector<RuleNode>& children) {
  if (!sites) return;
  size_t limit = sites->size();
  std::vector<RuleNode> taken;
  while (!stack.empty()) {
    size_t found = limit;
    for (size_t i = limit; i-- > 0;) {
      if ((*sites)[i] == stack.back().name) {
        found = i;
        break;
      }
    }
    if (found == limit) break;
    limit = found;
    taken.push_back(std::move(stack.back()));
    stack.pop_back();
  }
  for (auto it = taken.rbegin(); it != taken.rend(); ++it) children.push_back(std::move(*it));
}

}  // namespace

std::vector<RuleNode> decision_tree(const std::vector<RuleValue>& trace, const DefinitionSummary* definition,
                                    const std::string& flow, int subscription) {
  auto sites_of = [&](const std::string& name) -> const std::vector<std::string>* {
    if (!definition || !definition->loaded) return nullptr;
    auto it = definition->calls.find(name);
    return it == definition->calls.end() ? nullptr : &it->second;
  };
  std::vector<RuleNode> stack;
  for (const auto& entry : trace) {
    RuleNode node{entry.name, entry.value, {}};
    adopt(stack, sites_of(entry.name), node.children);
    stack.push_back(std::move(node));
  }
  // What is left are the condition's own calls (and, should the trace not
  // match the definition, whatever could not be placed, in order).
  std::vector<RuleNode> roots;
  adopt(stack, sites_of(condition_key(flow, subscription)), roots);
  std::vector<RuleNode> out = std::move(stack);
  for (auto& r : roots) out.push_back(std::move(r));
  return out;
}

}  // namespace flow::runtime::queries
