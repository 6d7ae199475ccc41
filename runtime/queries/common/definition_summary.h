// What the queries need to know about one definition version, without
// compiling it again on every query: per event type its subscriptions (flow,
// index, condition text, services, and the route index delivery ids use),
// which flows it starts, joins or ends, and per rule and decision the rules
// and decisions it calls, in evaluation order (to rebuild a decision's tree
// from its flat trace). Built once from a loaded app (the journal's
// definition record holds the whole artifact) and cached as JSON in the
// query index.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "load/app_loader.h"

namespace flow::runtime::queries {

struct RouteInfo {
  std::string flow;      // qualified flow name
  int subscription = 0;  // index in the flow (decision records use it)
  int route = 0;         // index among the event type's routes (delivery ids use it)
  bool conditional = false;
  std::string condition;              // the `when` expression as written ("" when unconditional)
  std::string text;                   // "on OrderPlaced when NeedsReview -> RequestReview"
  std::vector<std::string> services;  // qualified
  /// The condition's meaning as a hash (its IR and everything it calls,
  /// with regex texts and enum member names): equal fingerprints evaluate
  /// equal on the same event, so replay can reuse the journaled decision.
  /// "" when unconditional.
  std::string fingerprint;
};

struct EventTypeInfo {
  std::string type;  // qualified
  /// The type's fields as hashed (names, types, keys, defaults): equal
  /// fingerprints decode any journaled `data` the same.
  std::string fingerprint;
  std::vector<RouteInfo> routes;
  std::vector<std::string> starts, accepts, ends;  // qualified flow names
};

struct DefinitionSummary {
  // From the definition record.
  int version = 0;  // 1-based, in order of first appearance in the journal
  std::string hash;
  int64_t activated_us = 0;
  std::string source;
  uint64_t ordinal = 0;  // of the definition record (query index numbering)
  // From compiling its artifact.
  bool loaded = false;
  /// SHA-256 of the definitions (events, services, flows, dispatch table)
  /// and the rule IR: equal for the same program whatever file it was
  /// loaded from, unlike the artifact hash, which covers the sources and
  /// their paths.
  std::string definitions_hash;
  std::string load_error;
  std::map<std::string, EventTypeInfo> events;  // by qualified type name
  /// Rule/decision qualified name -> qualified names of the rules and
  /// decisions its body calls, in evaluation order (call sites, with
  /// repetitions). Conditions are keyed "flow#subscription".
  std::map<std::string, std::vector<std::string>> calls;
  /// Rule/decision qualified name -> its declaration as written (one line).
  std::map<std::string, std::string> texts;
  /// The rules and decisions whose own bodies hold an `any` or `all`:
  /// explain looks for their witnesses (explain/witnesses.h).
  std::set<std::string> quantified;

  const EventTypeInfo* event(const std::string& type) const;
  /// The route of `flow`'s subscription `subscription` on `type`, or null.
  const RouteInfo* route(const std::string& type, const std::string& flow, int subscription) const;
};

/// Fills the compiled half of `out` from a loaded app.
void summarise(const LoadedApp& app, DefinitionSummary& out);

std::string to_json(const DefinitionSummary& summary);
bool from_json(const std::string& text, DefinitionSummary& out);

/// `key` for DefinitionSummary::calls of a subscription's condition.
std::string condition_key(const std::string& flow, int subscription);

/// Collapses runs of white space (and drops `//` comments) in source text,
/// so a subscription written over several aligned lines reads as one.
std::string one_line(std::string_view text);

/// The last component of a qualified name ("shop.orders.OrderPlaced" ->
/// "OrderPlaced"), for human output.
std::string short_name(const std::string& qualified);

}  // namespace flow::runtime::queries
