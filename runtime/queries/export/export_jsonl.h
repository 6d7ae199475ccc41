// `flowrt journal export --format jsonl`: the export tables (export_rows.h)
// as JSON lines, one row per line: {"table":"events","seq":2,...}, columns
// in schema order, JSON-valued columns (events.data, decisions.rules,
// attempts/deliveries.emitted) as JSON values rather than text.
#pragma once

#include <filesystem>
#include <ostream>

#include "queries/export/export_rows.h"

namespace flow::runtime::queries {

/// Writes the journal in `dir` as JSON lines to `out`.
ExportSummary export_jsonl(const std::filesystem::path& dir, std::ostream& out, std::ostream& log);

}  // namespace flow::runtime::queries
