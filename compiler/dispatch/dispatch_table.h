// The dispatch table: for each event type, every subscription of every flow
// that listens to it — the condition to evaluate (an IR function id) and
// the services to deliver to. This is what the runtime executes per event;
// it is derived from the checked program and the lowered IR.
#pragma once

#include <vector>

#include "check/program.h"
#include "ir/ir.h"

namespace flow::dispatch {

struct Route {
  const ast::FlowDecl* flow = nullptr;
  int subscription = 0;   // index in flow->subscriptions
  int condition = -1;     // IR Condition function id; -1 when unconditional
  std::vector<const ast::ServiceDecl*> services;
};

struct EventRoutes {
  const ast::EventDecl* event = nullptr;
  std::vector<Route> routes;            // in flow, then subscription order
  std::vector<const ast::FlowDecl*> starts;   // flows this event starts
  std::vector<const ast::FlowDecl*> accepts;  // flows it may join from outside
  std::vector<const ast::FlowDecl*> ends;     // flows it completes
};

struct DispatchTable {
  std::vector<EventRoutes> events;  // one per event type in the program, in declaration order
  const EventRoutes* find(const ast::EventDecl* event) const;
};

/// Builds the table. Every conditional subscription must have been lowered.
DispatchTable build_dispatch_table(const Program& program, const ir::Module& module);

}  // namespace flow::dispatch
