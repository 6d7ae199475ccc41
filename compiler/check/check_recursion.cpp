// Rules, decisions and constants must not use themselves, directly or
// through others: they are compiled to straight-line native code.
#include <algorithm>
#include <functional>

#include "check/checker.h"

namespace flow::check {

using namespace ast;

void Checker::check_recursion() {
  std::map<const Decl*, int> state;  // 0 unvisited, 1 on the stack, 2 done
  std::vector<const Decl*> stack;
  std::set<const Decl*> reported;
  std::function<void(const Decl*)> visit = [&](const Decl* decl) {
    state[decl] = 1;
    stack.push_back(decl);
    auto it = uses_.find(decl);
    if (it != uses_.end()) {
      for (const auto& [used, where] : it->second) {
        if (!isa<RuleDecl>(used) && !isa<DecisionDecl>(used) && !isa<ConstDecl>(used)) continue;
        if (state[used] == 1) {
          auto start = std::find(stack.begin(), stack.end(), used);
          bool already = false;
          for (auto s = start; s != stack.end(); ++s) already |= reported.count(*s) > 0;
          if (already) continue;
          std::string path;
          for (auto s = start; s != stack.end(); ++s) {
            path += (*s)->name + " -> ";
            reported.insert(*s);
          }
          path += used->name;
          auto& d = diags_.report(DiagKind::Recursion, where,
                                  std::string(to_string(used->kind)) + " '" + used->name + "' uses itself: " + path);
          d.help = "rules, decisions and constants cannot be recursive; compute the value without the cycle";
        } else if (state[used] == 0) {
          visit(used);
        }
      }
    }
    stack.pop_back();
    state[decl] = 2;
  };
  for (const auto& module : program_.modules) {
    for (const auto& decl : module->decls) {
      if ((isa<RuleDecl>(decl.get()) || isa<DecisionDecl>(decl.get()) || isa<ConstDecl>(decl.get())) &&
          state[decl.get()] == 0) {
        visit(decl.get());
      }
    }
  }
}

}  // namespace flow::check
