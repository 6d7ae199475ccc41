// The flow-graph warnings of language.md §10: dead ends, unreachable
// subscriptions and ends, unconditional cycles, unused declarations, the
// status-code anti-pattern and inline conditions. They run only on a program
// without errors, over the graph event -> subscription -> service -> event.
#include <algorithm>
#include <functional>

#include "check/checker.h"

namespace flow::check {

using namespace ast;

namespace {

struct SubscriptionRef {
  const FlowDecl* flow;
  const Subscription* sub;
};

bool is_status_like(const std::string& name) {
  static const char* kWords[] = {"status", "state", "stage", "kind", "type"};
  for (const char* word : kWords) {
    std::string w = word;
    if (name == w) return true;
    if (name.size() > w.size() + 1 && name.compare(name.size() - w.size() - 1, w.size() + 1, "_" + w) == 0) return true;
  }
  return false;
}

void walk(const Expr& expr, const std::function<void(const Expr&)>& visit) {
  visit(expr);
  for (const auto& operand : expr.operands) walk(*operand, visit);
}

}  // namespace

void Checker::check_flow_graph() {
  auto flows = program_.all<FlowDecl>();
  if (flows.empty()) return;  // a library of declarations: nothing to connect yet
  auto services = program_.all<ServiceDecl>();
  auto user_code = [](const Decl* d) { return d->module && !d->module->is_stdlib; };

  std::map<const Decl*, std::vector<const ServiceDecl*>> publishers;
  for (const auto* s : services) {
    for (const auto& p : s->publishes) {
      if (p.resolved) publishers[p.resolved].push_back(s);
    }
  }
  std::map<const Decl*, std::vector<SubscriptionRef>> subscriptions_on;
  std::set<const Decl*> entries, ends;
  for (const auto* f : flows) {
    for (const auto& s : f->starts) entries.insert(s.resolved);
    for (const auto& a : f->accepts) entries.insert(a.resolved);
    for (const auto& e : f->ends) ends.insert(e.resolved);
    for (const auto& sub : f->subscriptions) subscriptions_on[sub.event.resolved].push_back({f, &sub});
  }

  // W0201 dead end.
  for (const auto& [event, pubs] : publishers) {
    if (!user_code(event) || subscriptions_on.count(event) || ends.count(event)) continue;
    auto& d = diags_.report(DiagKind::DeadEnd, event->name_range,
                            "event '" + event->name + "' is published by '" + pubs[0]->name +
                                "' but nothing subscribes to it and it ends no flow");
    d.help = "subscribe a service to it (on " + event->name + " -> Service), or list it in a flow's 'end'";
  }

  // W0202 unreachable subscription.
  for (const auto* f : flows) {
    if (!user_code(f)) continue;
    for (const auto& sub : f->subscriptions) {
      const Decl* event = sub.event.resolved;
      // Events of the stdlib (std.runtime) are published by the runtime itself.
      if (entries.count(event) || publishers.count(event) || !user_code(event)) continue;
      diags_
          .report(DiagKind::Unreachable, sub.event.range,
                  "no event '" + sub.event.text() +
                      "' can occur: it is no flow's start or accepts, and no service publishes it")
          .help = "add it to a flow's start or accepts, or publish it from a service";
    }
  }

  // Edges event -> event through services (with whether the subscription has a condition).
  struct Edge {
    const Decl* to;
    bool conditional;
    const Subscription* sub;
  };
  std::map<const Decl*, std::vector<Edge>> edges;
  for (const auto* f : flows) {
    for (const auto& sub : f->subscriptions) {
      for (const auto& s : sub.services) {
        const auto* service = dyn_cast<ServiceDecl>(s.resolved);
        if (!service) continue;
        for (const auto& p : service->publishes)
          edges[sub.event.resolved].push_back({p.resolved, sub.condition != nullptr, &sub});
      }
    }
  }

  // W0203 end unreachable.
  for (const auto* f : flows) {
    if (!user_code(f)) continue;
    std::set<const Decl*> reached;
    std::vector<const Decl*> work;
    for (const auto& s : f->starts) work.push_back(s.resolved);
    for (const auto& a : f->accepts) work.push_back(a.resolved);
    for (const auto& sub : f->subscriptions) {
      if (!user_code(sub.event.resolved)) work.push_back(sub.event.resolved);  // the runtime publishes it
    }
    while (!work.empty()) {
      const Decl* e = work.back();
      work.pop_back();
      if (!reached.insert(e).second) continue;
      for (const auto& edge : edges[e]) work.push_back(edge.to);
    }
    for (const auto& end : f->ends) {
      if (reached.count(end.resolved)) continue;
      diags_
          .report(DiagKind::EndUnreachable, end.range,
                  "no path from the start of flow '" + f->name + "' reaches its end '" + end.text() + "'")
          .help = "subscribe services so that some chain of events leads to it";
    }
  }

  // W0205 cycles without conditions: strongly connected components of the
  // unconditional edges (Tarjan).
  {
    std::map<const Decl*, int> index, low;
    std::set<const Decl*> on_stack;
    std::vector<const Decl*> stack;
    int counter = 0;
    std::function<void(const Decl*)> connect = [&](const Decl* v) {
      index[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack.insert(v);
      for (const auto& edge : edges[v]) {
        if (edge.conditional) continue;
        if (!index.count(edge.to)) {
          connect(edge.to);
          low[v] = std::min(low[v], low[edge.to]);
        } else if (on_stack.count(edge.to)) {
          low[v] = std::min(low[v], index[edge.to]);
        }
      }
      if (low[v] != index[v]) return;
      std::vector<const Decl*> component;
      const Decl* w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack.erase(w);
        component.push_back(w);
      } while (w != v);
      bool self_loop = false;
      for (const auto& edge : edges[v]) self_loop |= !edge.conditional && edge.to == v;
      if (component.size() < 2 && !self_loop) return;
      // Report at the first unconditional subscription inside the cycle.
      const Subscription* site = nullptr;
      for (const auto* member : component) {
        for (const auto& edge : edges[member]) {
          if (!edge.conditional && std::count(component.begin(), component.end(), edge.to) &&
              (!site || edge.sub->range.begin < site->range.begin)) {
            site = edge.sub;
          }
        }
      }
      if (!site || !user_code(site->event.resolved)) return;
      std::string names;
      std::reverse(component.begin(), component.end());
      for (const auto* member : component) names += member->name + " -> ";
      names += component.front()->name;
      diags_
          .report(DiagKind::UnconditionalCycle, site->range,
                  "these subscriptions form a cycle with no condition: " + names)
          .help = "a cycle needs a condition on some subscription, or it may never end";
    };
    for (const auto& module : program_.modules) {
      for (const auto& decl : module->decls) {
        if (isa<EventDecl>(decl.get()) && !index.count(decl.get())) connect(decl.get());
      }
    }
  }

  // W0204 unused.
  for (const auto& module : program_.modules) {
    if (module->is_stdlib) continue;
    for (const auto& decl : module->decls) {
      bool checked_kind = isa<RuleDecl>(decl.get()) || isa<DecisionDecl>(decl.get()) || isa<ServiceDecl>(decl.get()) ||
                          isa<EventDecl>(decl.get()) || isa<RecordDecl>(decl.get());
      if (!checked_kind || referenced_.count(decl.get())) continue;
      diags_
          .report(DiagKind::Unused, decl->name_range,
                  std::string(to_string(decl->kind)) + " '" + decl->name + "' is never used")
          .help = isa<ServiceDecl>(decl.get()) ? "subscribe it in a flow (on Event -> " + decl->name + "), or remove it"
                                               : "use it or remove it";
    }
  }

  // W0206 status code and W0207 inline condition.
  auto status_code = [&](const Expr& root) {
    walk(root, [&](const Expr& e) {
      if (e.kind != ExprKind::Binary) return;
      BinaryOp op = e.binary_op;
      if (op != BinaryOp::Eq && op != BinaryOp::Ne && op != BinaryOp::In && op != BinaryOp::NotIn) return;
      for (const auto& side : e.operands) {
        if (side->kind != ExprKind::Field || !side->type || !is_status_like(side->text)) continue;
        // The runtime's own events (std.runtime) name types in fields by design.
        const Expr* object = side->operands.empty() ? nullptr : side->operands[0].get();
        if (object && object->type && object->type->event_info && object->type->event_info->is_stdlib) {
          continue;
        }
        // An element of a list (a lambda's parameter, or a path from one) is
        // data inside the message, not the message's own status.
        const Expr* root = object;
        while (root && (root->kind == ExprKind::Field || root->kind == ExprKind::OptionalField)) {
          root = root->operands[0].get();
        }
        if (root && root->ref == RefKind::LambdaParam) continue;
        const Type* t = side->type->is_optional() ? side->type->element : side->type;
        if (t->kind != TypeKind::String && t->kind != TypeKind::Enum) continue;
        diags_
            .report(DiagKind::StatusCode, e.range,
                    "condition tests the status-like field '" + side->text + "' for a value")
            .help = "model each status as its own event type (OrderApproved, OrderRejected) and subscribe to it";
        return;
      }
    });
  };
  for (const auto& module : program_.modules) {
    if (module->is_stdlib) continue;
    for (const auto& decl : module->decls) {
      if (auto* r = dyn_cast<RuleDecl>(decl.get())) status_code(*r->body);
      if (auto* d = dyn_cast<DecisionDecl>(decl.get())) {
        for (const auto& arm : d->arms) {
          if (arm.condition) status_code(*arm.condition);
        }
      }
      if (auto* f = dyn_cast<FlowDecl>(decl.get())) {
        for (const auto& sub : f->subscriptions) {
          if (!sub.condition) continue;
          status_code(*sub.condition);
          const Expr* first_it = nullptr;
          walk(*sub.condition, [&](const Expr& e) {
            if (e.kind == ExprKind::It && !first_it) first_it = &e;
          });
          if (first_it) {
            diags_.report(DiagKind::InlineCondition, first_it->range, "condition uses 'it' directly instead of a rule")
                .help = "name it: rule MyCondition(e: " + sub.event.text() + ") = ..., then `when MyCondition`";
          }
        }
      }
    }
  }

  // W0208 unused import.
  for (const auto& module : program_.modules) {
    if (module->is_stdlib) continue;
    for (const auto& import : module->imports) {
      if (import.target && !import.used) {
        diags_
            .report(DiagKind::UnusedImport, import.range,
                    "module '" + import.path.text() + "' is imported but not used")
            .help = "remove the import";
      }
    }
  }
}

}  // namespace flow::check
