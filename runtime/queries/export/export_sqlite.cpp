// The SQLite writer of `flowrt journal export`; see export_sqlite.h.
#include "queries/export/export_sqlite.h"
#include "queries/export/row_pipeline.h"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace flow::runtime::queries {

namespace {

// Rows per transaction: large enough that commits cost little, small
// enough that SQLite's page cache stays bounded.
constexpr uint64_t kBatchRows = 50000;

class SqliteSink : public RowSink {
 public:
  explicit SqliteSink(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    std::filesystem::remove(path.string() + "-journal", ec);
    // No allocation statistics: they take a global mutex on every malloc.
    // Possible only before SQLite initialises; later calls fail harmlessly.
    static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    (void)configured;
    // One thread uses the connection: no SQLite mutexes.
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw std::runtime_error("cannot create " + path.string() + ": " + why);
    }
    // A fresh file written once: no rollback journal, no syncs until the end.
    exec("PRAGMA page_size=16384");
    exec("PRAGMA journal_mode=OFF");
    exec("PRAGMA synchronous=OFF");
    exec("PRAGMA locking_mode=EXCLUSIVE");
    exec("PRAGMA temp_store=MEMORY");
    exec("PRAGMA cache_size=-262144");
    // Sorting for the secondary indexes, built at the end, may use helper
    // threads.
    exec("PRAGMA threads=" + std::to_string(std::max(1u, std::min(4u, std::thread::hardware_concurrency()))));
    exec("BEGIN");
    for (const auto& table : export_tables()) {
      std::string create = std::string("CREATE TABLE ") + table.name + " (";
      std::string insert = std::string("INSERT INTO ") + table.name + " VALUES (";
      // A key of one integer column is the rowid: rows arrive in its order,
      // so it costs nothing (a WITHOUT ROWID key is a B-tree insert each).
      bool rowid_key = false;
      if (table.primary_key.size() == 1) {
        for (const auto& column : table.columns) {
          rowid_key |= std::string(column.name) == table.primary_key[0] && column.type == ColumnType::Integer;
        }
      }
      for (size_t c = 0; c < table.columns.size(); ++c) {
        create += (c ? ", " : "") + std::string(table.columns[c].name) +
                  (table.columns[c].type == ColumnType::Integer ? " INTEGER" : " TEXT");
        if (rowid_key && std::string(table.columns[c].name) == table.primary_key[0]) create += " PRIMARY KEY";
        insert += c ? ", ?" : "?";
      }
      if (!rowid_key && !table.primary_key.empty()) {
        create += ", PRIMARY KEY (";
        for (size_t k = 0; k < table.primary_key.size(); ++k)
          create += (k ? ", " : "") + std::string(table.primary_key[k]);
        create += ")) WITHOUT ROWID";
        exec(create);
      } else {
        exec(create + ")");
      }
      insert += ")";
      std::string multi = insert;
      const std::string one_row = insert.substr(insert.find("VALUES ") + 7);
      for (size_t r = 1; r < kRowsPerInsert; ++r) multi += ", " + one_row;
      inserts_.push_back(prepare(insert));
      multi_inserts_.push_back(prepare(multi));
    }
    exec("CREATE TABLE export_info (name TEXT PRIMARY KEY, value TEXT)");
    exec("INSERT INTO export_info VALUES ('format', 'flowrt.export/1')");
  }

  ~SqliteSink() override {
    for (auto* stmt : inserts_) sqlite3_finalize(stmt);
    for (auto* stmt : multi_inserts_) sqlite3_finalize(stmt);
    if (db_) sqlite3_close(db_);
  }

  void row(size_t table, const Value* values) override {
    insert(inserts_[table], values, export_tables()[table].columns.size());
    count_rows(1);
  }

  /// Runs of rows of one table go kRowsPerInsert at a time through one
  /// multi-row INSERT: a statement step per row was most of the export.
  void rows(size_t table, const Value* values, size_t count) override {
    const size_t columns = export_tables()[table].columns.size();
    for (; count >= kRowsPerInsert; count -= kRowsPerInsert, values += kRowsPerInsert * columns) {
      insert(multi_inserts_[table], values, kRowsPerInsert * columns);
      count_rows(kRowsPerInsert);
    }
    for (; count > 0; --count, values += columns) row(table, values);
  }

  void insert(sqlite3_stmt* stmt, const Value* values, size_t count) {
    for (int i = 0; i < static_cast<int>(count); ++i) {
      const Value& v = values[i];
      switch (v.kind) {
        case Value::Kind::Null: sqlite3_bind_null(stmt, i + 1); break;
        case Value::Kind::Integer: sqlite3_bind_int64(stmt, i + 1, v.integer); break;
        case Value::Kind::Text:
          // The text outlives the step below: no copy.
          sqlite3_bind_text64(stmt, i + 1, v.text.data(), v.text.size(), SQLITE_STATIC, SQLITE_UTF8);
          break;
      }
    }
    if (sqlite3_step(stmt) != SQLITE_DONE) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    sqlite3_reset(stmt);
  }

  void count_rows(size_t n) {
    const uint64_t before = rows_;
    rows_ += n;
    if (before / kBatchRows != rows_ / kBatchRows) {
      exec("COMMIT");
      exec("BEGIN");
    }
  }

  void finish(const ExportSummary& summary) {
    exec("INSERT INTO export_info VALUES ('records', '" + std::to_string(summary.records) + "')");
    exec("COMMIT");
    exec("BEGIN");
    for (const auto& table : export_tables()) {
      for (const auto& columns : table.indexes) {
        std::string name = std::string(table.name), list;
        for (const char* c : columns) {
          name += std::string("_") + c;
          list += (list.empty() ? "" : ", ") + std::string(c);
        }
        exec("CREATE INDEX " + name + " ON " + table.name + " (" + list + ")");
      }
    }
    exec("COMMIT");
    for (auto* stmt : inserts_) sqlite3_finalize(stmt);
    for (auto* stmt : multi_inserts_) sqlite3_finalize(stmt);
    inserts_.clear();
    multi_inserts_.clear();
    if (sqlite3_close(db_) != SQLITE_OK) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    db_ = nullptr;
  }

 private:
  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string why = error ? error : "unknown error";
      sqlite3_free(error);
      throw std::runtime_error("sqlite: " + why + " (in: " + sql.substr(0, 80) + ")");
    }
  }

  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
    return stmt;
  }

  static constexpr size_t kRowsPerInsert = 16;
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> inserts_;        // one row, per table
  std::vector<sqlite3_stmt*> multi_inserts_;  // kRowsPerInsert rows, per table
  uint64_t rows_ = 0;
};

}  // namespace

ExportSummary export_sqlite(const std::filesystem::path& dir, const std::filesystem::path& out, std::ostream& log) {
  SqliteSink sink(out);
  ExportSummary summary;
  {
    // Journal decoding here, SQLite inserts on the pipeline's thread.
    RowPipeline pipeline(sink);
    summary = export_journal(dir, pipeline, log);
    pipeline.finish();
  }
  sink.finish(summary);
  return summary;
}

}  // namespace flow::runtime::queries
