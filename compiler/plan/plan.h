// The runtime plan: everything `flowrt` executes, as data. `flowc build`
// derives it from the checked program (plan_builder.h) and writes it into
// the artifact (plan_format.h); the runtime reads it back and never sees the
// front end: no AST, no parser, no checker.
//
// It holds the event, record and enum descriptions (types/types.h) with their
// layouts, the lowered rule IR (the interpreter runs it; the JIT compiles
// it or loads the artifact's bitcode), the emit plans, the services with
// their configuration, the flows, the dispatch table, and the source texts
// of rules and subscriptions that `explain` and the definition summaries
// quote. Indices, not pointers, connect routes to flows and services, so
// the plan is one self-contained value that reads back equal.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "ir/ir.h"
#include "types/types.h"

namespace flow::plan {

enum class ServiceKind : uint8_t { None, Emit, Builtin, Exec, Http };

struct Service {
  std::string name;            // as declared
  std::string qualified_name;  // what the journal records
  ServiceKind kind = ServiceKind::None;
  int module = -1;          // the artifact source (module) it is declared in
  std::string module_path;  // that source's path (set on load): exec services run in its folder
  const EventInfo* consumes = nullptr;
  std::vector<const EventInfo*> publishes;
  int emit_count = 0;        // Emit: its `emit` clauses
  std::string builtin_name;  // Builtin
  // Exec: the command; Http: the URL (plan format 2 and later). Their
  // limits: -1 when not given (the runtime's default).
  std::string exec_command;
  std::string http_url;
  int64_t timeout_us = -1;
  int64_t retry = -1;
  int64_t backoff_us = -1;
  int64_t concurrency = -1;
};

struct Subscription {
  const EventInfo* event = nullptr;
  std::string text;            // the whole `on ...` line, as written
  std::string condition_text;  // the `when` expression, as written; empty when none
};

struct Flow {
  std::string name;
  std::string qualified_name;
  std::vector<const EventInfo*> starts, accepts, ends;
  std::vector<Subscription> subscriptions;
};

/// A rule or decision: its name and declaration text (for explain).
struct Rule {
  std::string qualified_name;
  std::string text;
};

/// One subscription of one flow to one event type.
struct Route {
  int flow = -1;              // into Plan::flows
  int subscription = 0;       // into that flow's subscriptions
  int condition = -1;         // IR Condition function id; -1 when unconditional
  std::vector<int> services;  // into Plan::services
};

struct EventRoutes {
  const EventInfo* event = nullptr;
  std::vector<Route> routes;  // in flow, then subscription order
  std::vector<int> starts;    // flows this event starts
  std::vector<int> accepts;   // flows it may join from outside
  std::vector<int> ends;      // flows it completes
};

/// For each event type, every subscription that listens to it.
struct DispatchTable {
  std::vector<EventRoutes> events;  // one per event type, in declaration order
  const EventRoutes* find(const EventInfo* event) const;
};

struct Plan {
  std::vector<const EnumInfo*> enums;      // in declaration order
  std::vector<const EventInfo*> events;    // in declaration order
  std::vector<const RecordInfo*> records;  // in declaration order
  std::vector<Service> services;           // in declaration order
  std::vector<Flow> flows;                 // in declaration order
  std::vector<Rule> rules;                 // rules and decisions, in declaration order
  std::unique_ptr<ir::Module> module;
  DispatchTable table;

  /// Storage of a plan read from an artifact (a plan built in-process
  /// points into the program instead).
  std::deque<EnumInfo> owned_enums;
  std::deque<EventInfo> owned_events;
  std::deque<RecordInfo> owned_records;
  std::unique_ptr<TypeContext> owned_types;

  const Service* service(const std::string& qualified_name) const;
  const EventInfo* event(const std::string& qualified_name) const;
};

}  // namespace flow::plan
