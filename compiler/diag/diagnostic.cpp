#include "diag/diagnostic.h"

#include <algorithm>
#include <cctype>

namespace flow {

namespace {
const DiagKindInfo kInfos[] = {
#define DIAGNOSTIC(code, severity, name, summary) {#code, Severity::severity, #name, summary},
#include "diag/diagnostic_kinds.def"
#undef DIAGNOSTIC
};
}  // namespace

const DiagKindInfo& diag_info(DiagKind kind) { return kInfos[static_cast<size_t>(kind)]; }

const std::vector<DiagKind>& all_diag_kinds() {
  static const std::vector<DiagKind> kinds = [] {
    std::vector<DiagKind> all;
    for (size_t i = 0; i < std::size(kInfos); ++i) all.push_back(static_cast<DiagKind>(i));
    return all;
  }();
  return kinds;
}

Diagnostic& DiagnosticEngine::report(DiagKind kind, SourceRange range, std::string message) {
  diagnostics_.push_back({kind, diag_info(kind).severity, range, std::move(message), {}, {}, {}});
  return diagnostics_.back();
}

size_t DiagnosticEngine::error_count() const {
  return std::count_if(diagnostics_.begin(), diagnostics_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

size_t DiagnosticEngine::warning_count() const {
  return std::count_if(diagnostics_.begin(), diagnostics_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Warning; });
}

void DiagnosticEngine::sort() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     const std::string& pa = a.range.file ? a.range.file->path() : a.file_path;
                     const std::string& pb = b.range.file ? b.range.file->path() : b.file_path;
                     if (pa != pb) return pa < pb;
                     if (a.range.begin != b.range.begin) return a.range.begin < b.range.begin;
                     return a.kind < b.kind;
                   });
}

void DiagnosticEngine::promote_warnings_to_errors() {
  for (auto& d : diagnostics_) {
    if (d.severity == Severity::Warning) d.severity = Severity::Error;
  }
}

namespace {
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                  std::tolower(static_cast<unsigned char>(b[j - 1]));
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
