// Typo suggestions by edit distance (see nearest_name.h).
#include "base/nearest_name.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace flow {

namespace {
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      bool same =
          std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  // A typo is plausible when at most a third of the name changed.
  size_t limit = std::max<size_t>(1, (name.size() + 2) / 3);
  for (const auto& candidate : candidates) {
    if (candidate == name) continue;
    size_t d = edit_distance(name, candidate);
    // Replacing every character of a short name is no typo ('H' for 'R').
    if (d <= limit && d < name.size() && d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace flow
