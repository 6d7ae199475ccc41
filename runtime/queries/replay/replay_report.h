// Internal to `flowrt replay`: the report, as text or JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "queries/replay/replay.h"
#include "queries/replay/replay_model.h"

namespace flow::runtime::queries::replay {

/// Prints what would change under the new definitions (`hash`), given the
/// journal's definition versions (the new ones are `same_as` when > 0).
void write_report(std::ostream& out, const ReplayOptions& options, const std::string& hash,
                  const std::vector<const DefinitionSummary*>& versions, int same_as, Stats& stats,
                  const std::vector<Subscription>& subs);

}  // namespace flow::runtime::queries::replay
