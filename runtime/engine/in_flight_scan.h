// InFlightScan: which exec deliveries a previous run left in flight. While
// recovery reads the journal in order, every exec delivery that was started
// — an event with an unconditional exec subscription, or a decision that
// fired one — is remembered until its outcome is journaled (an ok attempt,
// or a dead letter). What is left at the end was in flight when the
// previous run stopped (recovery.h re-drives it).
//
// Why a part of its own: the scan reads each event against the routes of
// the definition version that dispatched it (version_routes.h, loaded from
// the artifact its definition record holds), because a delivery id names a
// route by its place in that version's dispatch table.
//
// Limits: an event journaled before any definition record, or under a
// version whose artifact does not load (logged once), starts nothing that
// the scan can know of.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/version_routes.h"
#include "load/app_loader.h"
#include "records/journal_records.h"
#include "records/name_list.h"
#include "records/record_views.h"

namespace flow::runtime {

class InFlightScan {
 public:
  struct InFlight {
    EventRecord event;
    std::string flow;      // qualified, in the version that started it
    std::string service;   // qualified
    int version = 0;       // of the definition that started it
    int64_t attempts = 0;  // failed attempts journaled
  };

  /// `app` is the version running now.
  InFlightScan(const LoadedApp& app, std::ostream& log) : app_(app), log_(log) {}

  /// A definition record, in journal order.
  void note_definition(const DefinitionRecord& definition);
  /// The journal has a definition version other than the running one.
  bool other_versions() const { return other_versions_; }
  /// Any record, in journal order (after note_definition for definitions).
  void observe(RecordKind kind, std::string_view payload, const NameList* names);
  /// Ends the scan: the number of the version now running (1-based, in the
  /// journal's order), and the deliveries left in flight by id.
  int finish();
  std::map<std::string, InFlight>& left() { return in_flight_; }

 private:
  const VersionRoutes* routes_of_version(std::string_view hash);
  void start_deliveries(const EventRecord& event, const VersionRoutes& routes, size_t route);

  const LoadedApp& app_;
  std::ostream& log_;
  std::map<std::string, InFlight> in_flight_;                // by delivery id
  std::unordered_map<std::string, VersionRoutes> versions_;  // by definition hash
  bool other_versions_ = false;                              // the journal has versions but this one
  std::optional<EventRecord> last_event_;                    // with exec routes, awaiting its decisions
  const VersionRoutes* last_routes_ = nullptr;               // the version that dispatched it
  std::vector<DecisionView> decision_views_;
};

}  // namespace flow::runtime
