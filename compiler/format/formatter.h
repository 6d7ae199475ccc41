// `flowc fmt`'s engine: Flow source text -> its canonical form, comments
// kept. Refuses input with syntax errors, and refuses to return output that
// does not parse back to the same AST with the same comments (the safety
// net that keeps a formatter bug from corrupting a user's file).
#pragma once

#include <string>

#include "diag/diagnostic.h"
#include "source/source_file.h"

namespace flow::format {

struct FormatResult {
  enum class Status {
    Ok,             // `text` is the canonical form (maybe the input unchanged)
    SyntaxErrors,   // the input does not parse; diagnostics were reported
    InternalError,  // the formatter's output failed verification; see `message`
  };
  Status status = Status::Ok;
  std::string text;
  std::string message;
};

/// Formats one file. Parse diagnostics go to `diags`.
FormatResult format_source(const SourceFile& file, DiagnosticEngine& diags);

/// Checks that `formatted` is a faithful rewrite of `original` (which
/// parses without errors): it parses without errors, to an AST of the same
/// shape, with the same comments in the same order. Returns what differs,
/// or "" when nothing does.
std::string verify_formatting(const SourceFile& original, const std::string& formatted);

}  // namespace flow::format
