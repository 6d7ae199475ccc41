// RouteTable: the dispatch table as the engine executes it, in plain data:
// per event type (by EventType::index) the flows it starts, joins and ends
// and its routes — each a flow, an optional condition and the services to
// deliver to — and per service what kind it is, its names and its
// configuration. Built once when the engine starts.
//
// Why a part of its own: it is where the engine reads the plan's services,
// flows and dispatch table (plan/plan.h), so that the parts that dispatch,
// deliver and recover work on names and indexes only. The
// names are stable strings: the journal's records refer to them by address
// (records/name_list.h), and names_listed() says which ones the segment's
// list of names holds.
//
// Limits: one definition version (the one running); older versions' routes
// are read by name in version_routes.h.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingress/event_catalog.h"
#include "load/app_loader.h"
#include "services/exec_runner.h"
#include "services/http_config.h"

namespace flow::runtime {

struct ServiceSpec {
  enum class Kind : uint8_t { None, Emit, Builtin, Exec, Http };
  Kind kind = Kind::None;
  /// Qualified: the stable string the journal's records refer to.
  const std::string* name = nullptr;
  std::string plain_name;  // as declared: the log sink's `[name]`, exec failure lines
  std::string builtin;     // Builtin: "log", "std.log", "jsonl:PATH", ...
  size_t emits = 0;        // Emit: how many `emit` clauses
  size_t exec_index = 0;   // Exec: its place in exec_configs()
  size_t http_index = 0;   // Http: its place in http_configs()
  /// The event types it may publish.
  std::vector<const EventType*> publishes;
  /// Its description in the plan (emit plans are found by its name).
  const plan::Service* service = nullptr;
};

struct Route {
  const std::string* flow = nullptr;  // qualified, stable
  int condition = -1;                 // IR function; -1 when unconditional
  int64_t subscription = 0;           // in the flow
  std::vector<const ServiceSpec*> services;
};

struct EventRoutes {
  bool listed = false;  // the dispatch table has an entry for it
  std::vector<Route> routes;
  std::vector<const std::string*> starts, ends;  // flows, qualified
  /// It may join a running instance of a flow from outside: the first such
  /// flow's plain name (for messages), else empty.
  std::string joins;
  bool conditional = false;  // some route has a condition
};

class RouteTable {
 public:
  /// `catalog` must be the app's (its types' indexes index the table).
  /// `services_dir` stands for the root file's folder when exec services
  /// start (load/app_loader.h service_folder).
  RouteTable(const LoadedApp& app, const EventCatalog& catalog, const std::string& services_dir);

  const EventRoutes& of(const EventType& type) const { return events_[static_cast<size_t>(type.index)]; }
  /// "A, B": the event types that enter some flow from outside.
  const std::string& entry_events() const { return entry_events_; }

  /// Exec services in the order of exec_configs(), and their runner
  /// configurations.
  const std::vector<const ServiceSpec*>& exec_services() const { return exec_services_; }
  const std::vector<ExecServiceConfig>& exec_configs() const { return exec_configs_; }
  /// Http services in the order of http_configs(), and their runner
  /// configurations.
  const std::vector<const ServiceSpec*>& http_services() const { return http_services_; }
  const std::vector<HttpServiceConfig>& http_configs() const { return http_configs_; }
  /// The exec or http service of qualified name `name` (a service whose
  /// deliveries are in flight until a runner reports), or null.
  const ServiceSpec* find_remote(std::string_view name) const;

  /// Per IR function: its qualified name (as a condition's trace names it)
  /// and whether it returns a bool.
  const std::vector<std::string>& function_names() const { return function_names_; }
  const std::vector<uint8_t>& returns_bool() const { return returns_bool_; }

  /// The names of flows, services and functions that the journal's list of
  /// names holds, as these very strings.
  const std::vector<std::string_view>& names_listed() const { return names_listed_; }

 private:
  std::vector<EventRoutes> events_;  // by EventType::index
  std::deque<ServiceSpec> services_;
  std::vector<const ServiceSpec*> exec_services_;
  std::vector<ExecServiceConfig> exec_configs_;
  std::vector<const ServiceSpec*> http_services_;
  std::vector<HttpServiceConfig> http_configs_;
  std::vector<std::string> function_names_;  // by ir::Function::id
  std::vector<uint8_t> returns_bool_;        // by ir::Function::id
  std::vector<std::string_view> names_listed_;
  std::string entry_events_;
};

}  // namespace flow::runtime
