// Internal to `flowrt replay`: one worker re-evaluates the events of a
// range of segments (see replay.cpp for how the ranges are shared out).
#pragma once

#include <cstddef>
#include <vector>

#include "journal/segment_reader.h"
#include "queries/replay/replay_model.h"

namespace flow::runtime::queries::replay {

/// Re-evaluates the events of segments [first, last) of `files` (and reads
/// the start of `last` for the decisions of the final event) under the new
/// definitions in `shared`; `subscriptions` is the table the tallies index.
Stats replay_segments(const Shared& shared, const std::vector<Subscription>& subscriptions,
                      const std::vector<journal::SegmentFile>& files, size_t first, size_t last);

}  // namespace flow::runtime::queries::replay
