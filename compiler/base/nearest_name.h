// "Did you mean ...?": the closest name to a misspelt one. Shared by the
// compiler's diagnostics and the runtime's messages about events.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flow {

/// The candidate closest to `name` by edit distance, or "" when none is close
/// enough to be a plausible typo.
std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace flow
