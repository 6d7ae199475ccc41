// `flowrt journal export`: the journal as relational tables. This file
// holds the schema (documented in docs/journal.md "Queries / Export") and
// the pass over the journal that turns records into rows; the SQLite and
// JSON lines writers (export_sqlite, export_jsonl) only store rows.
//
// Rows follow the records, in journal order, except the aggregates:
// a delivery's row is written once it settles (ok or dead-lettered) or at
// the end (still retrying or pending); an instance's rows (one per flow it
// entered) at the end.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace flow::runtime::queries {

enum class ColumnType { Integer, Text, Json };  // Json: text holding JSON (SQLite), a JSON value (JSON lines)

struct Column {
  const char* name;
  ColumnType type;
};

struct Table {
  const char* name;
  std::vector<Column> columns;
  std::vector<std::vector<const char*>> indexes;  // secondary indexes (SQLite): column lists
  /// SQLite primary key: one integer column, "seq" or "id" (the rowid: rows
  /// come in its order, so the key costs nothing and joins on it are
  /// indexed), a column list for a WITHOUT ROWID table, or none.
  std::vector<const char*> primary_key;
};

/// The export schema: definitions, events, decisions, decision_rules,
/// attempts, deliveries, dead_letters, instance_changes, instances, rejected.
const std::vector<Table>& export_tables();

/// One value of a row: null, an integer or text (borrowed for the call).
struct Value {
  enum class Kind : uint8_t { Null, Integer, Text } kind = Kind::Null;
  int64_t integer = 0;
  std::string_view text;

  static Value null() { return {}; }
  static Value of(int64_t v) { return {Kind::Integer, v, {}}; }
  static Value of(std::string_view v) { return {Kind::Text, 0, v}; }
  /// Text, or null when empty.
  static Value text_or_null(std::string_view v) { return v.empty() ? null() : of(v); }
};

class RowSink {
 public:
  virtual ~RowSink() = default;
  /// `table` indexes export_tables(); `values` has one entry per column.
  virtual void row(size_t table, const Value* values) = 0;
  /// `count` rows of one table, their values back to back, in order.
  virtual void rows(size_t table, const Value* values, size_t count) {
    const size_t columns = export_tables()[table].columns.size();
    for (size_t r = 0; r < count; ++r) row(table, values + r * columns);
  }
};

struct ExportSummary {
  uint64_t records = 0;
  uint64_t rows = 0;
};

/// Reads the journal in `dir` and writes every row to `sink`. Definition
/// versions (for delivery names and version numbers) come from the query
/// index. Throws std::runtime_error when the journal cannot be read.
ExportSummary export_journal(const std::filesystem::path& dir, RowSink& sink, std::ostream& log);

}  // namespace flow::runtime::queries
