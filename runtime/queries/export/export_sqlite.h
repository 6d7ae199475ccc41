// `flowrt journal export --format sqlite`: the export tables (export_rows.h)
// in a new SQLite database, through SQLite's C API: prepared inserts, one
// transaction per batch of rows, indexes created at the end (faster than
// maintaining them row by row). docs/journal.md "Queries / Export".
#pragma once

#include <filesystem>
#include <ostream>

#include "queries/export/export_rows.h"

namespace flow::runtime::queries {

/// Writes the journal in `dir` to the SQLite file `out` (replaced when it
/// exists). Throws std::runtime_error on failure.
ExportSummary export_sqlite(const std::filesystem::path& dir, const std::filesystem::path& out, std::ostream& log);

}  // namespace flow::runtime::queries
