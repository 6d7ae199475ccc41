// Diagnostics as data: a registry of kinds (diagnostic_kinds.def), a
// Diagnostic value, and a DiagnosticEngine that collects them. Printing is
// separate (diagnostic_printer.h) so passes and tests never touch streams.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/nearest_name.h"
#include "source/source_file.h"

namespace flow {

enum class Severity { Error, Warning, Note };

enum class DiagKind {
#define DIAGNOSTIC(code, severity, name, summary) name,
#include "diag/diagnostic_kinds.def"
#undef DIAGNOSTIC
};

struct DiagKindInfo {
  const char* code;
  Severity severity;
  const char* name;
  const char* summary;
};

const DiagKindInfo& diag_info(DiagKind kind);
/// Every registered kind, in registry order.
const std::vector<DiagKind>& all_diag_kinds();

struct Diagnostic {
  DiagKind kind;
  Severity severity;  // may differ from the registry's (--werror)
  SourceRange range;
  std::string message;
  std::string help;                // optional `help:` line
  std::vector<std::string> notes;  // optional `note:` lines
  std::string file_path;           // used when range has no file (I/O errors)
};

class DiagnosticEngine {
 public:
  /// Reports and returns the new diagnostic so callers can add help/notes.
  Diagnostic& report(DiagKind kind, SourceRange range, std::string message);

  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  size_t error_count() const;
  size_t warning_count() const;
  bool has_errors() const { return error_count() > 0; }
  /// Orders diagnostics by file, position, then code (stable).
  void sort();
  void promote_warnings_to_errors();

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace flow
