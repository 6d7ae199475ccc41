// Finding an instance's records through the query index: by key, and
// loading its history (instance_history.h) as of a cut. Shared by dossier
// and explain.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "queries/common/record_access.h"
#include "queries/dossier/instance_history.h"
#include "queries/index/journal_index.h"

namespace flow::runtime::queries {

/// The ids of the instances whose key value is `key`, among the records
/// below ordinal `cut`, in the order they appear.
std::vector<std::string> instances_with_key(const JournalIndex& index, RecordFetcher& fetcher, const std::string& key,
                                            uint64_t cut);

/// Applies the instance's records below ordinal `cut` to `history` (whose
/// id names the instance). Returns false when it has none. Throws
/// std::runtime_error when a record cannot be read.
bool load_history(const JournalIndex& index, RecordFetcher& fetcher, uint64_t cut, InstanceHistory& history);

}  // namespace flow::runtime::queries
