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

const DiagKindInfo& diag_info(DiagKind kind) {
  return kInfos[static_cast<size_t>(kind)];
}

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
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
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

}  // namespace flow
