// Witnesses for `flowrt explain`: which element of a list decided an `any`
// (the first whose body was true) or an `all` (the first whose body was
// false) behind a journaled decision (language.md §4.1).
//
// The decision records hold rule values, not witnesses: finding them on the
// dispatch path would cost every event something for the few that are ever
// explained. Instead explain evaluates again, with the reference
// interpreter, the rules the trace names that hold a quantifier in their
// own bodies (DefinitionSummary::quantified), on the event's journaled data
// under the definition version it was dispatched under, with its journaled
// dispatch time as now(): the same inputs, so the same values, and the
// interpreter reports each quantifier that decided.
//
// Limits: the definition's artifact is loaded (once per explain, and only
// when a traced rule has a quantifier); an event whose data no longer
// decodes under its definition, or a definition that does not load, gets no
// witnesses (the rule values, from the journal, are shown as always).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace flow::runtime {
struct LoadedApp;
}

namespace flow::runtime::queries {

struct Witness {
  std::string quantifier;  // "any" or "all"
  std::string list;        // the list as a path from the event ("items"), or "" when not a plain path
  uint64_t index = 0;      // the deciding element's position
  std::string element;     // its value as Flow text
};

class WitnessFinder {
 public:
  /// Loads the definition from its artifact bytes (as journaled).
  explicit WitnessFinder(const std::string& artifact);
  ~WitnessFinder();
  WitnessFinder(const WitnessFinder&) = delete;
  WitnessFinder& operator=(const WitnessFinder&) = delete;

  bool loaded() const { return app_ != nullptr; }
  /// The witnesses of rule or decision `rule` (qualified) evaluated on an
  /// event of `type` (qualified) with `data_json` at `now_us`: those of its
  /// own quantifiers, in the order they decided. Empty when the rule has
  /// none that decided, or on any failure.
  std::vector<Witness> find(const std::string& rule, const std::string& type, std::string_view data_json,
                            int64_t now_us);

 private:
  struct State;
  std::unique_ptr<LoadedApp> app_;
  std::unique_ptr<State> state_;
};

}  // namespace flow::runtime::queries
