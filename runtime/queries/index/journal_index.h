// The query index: what makes `dossier --key` and `explain --event` cost a
// few lookups instead of a pass over the whole journal. docs/journal.md
// "Queries / The query index" documents it.
//
// Records are numbered by *ordinal* (0, 1, ... in journal order, over the
// records that could be read). The index holds, per ordinal, the record's
// packed position, journal time (record_access.h) and kind; and three
// sorted tables of 64-bit hashes: instance -> ordinals of its records
// (events, their decisions, attempts, dead letters, status changes),
// key -> instance, event id -> ordinal. Hash collisions are harmless: every
// lookup reads the records it is pointed to and keeps those that really
// match. It also caches a summary of every definition version (routes,
// condition texts, call sites), so no query compiles an old definition.
//
// Persisted as DIR/query-index.fji next to the segments (the journal writer
// ignores other files) and brought up to date on open: it is rebuilt when it
// is missing, unreadable, corrupt (a CRC32C per 4 KiB block, checked as
// blocks are used) or describes other segment files than those present
// (same numbers, inodes and last indexed frame); when the journal only grew
// (the last segment got longer, new segments appeared) only the new records
// are read. When it cannot be written (a read-only journal) it is used from
// memory. It never needs the journal writer's lock: it only reads segments.
//
// A process that asks a journal while it is written (flowrt serve) keeps
// one index open and calls refresh() before each question: the records
// appended since are read (only those) and held in memory next to the
// file's tables, until there are enough of them to write the index again.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "queries/common/definition_summary.h"

namespace flow::runtime::queries {

inline constexpr const char* kIndexFileName = "query-index.fji";

/// A damaged index block met during a lookup. Queries catch it, rebuild the
/// index and run again.
class IndexCorrupt : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct IndexOpenOptions {
  bool force_rebuild = false;
  bool persist = true;  // write the index file (false: keep it in memory only)
  /// refresh(): records held in memory before the index is opened (and
  /// written) again, at least; a quarter of the file's when that is more.
  uint64_t hold_records = uint64_t{1} << 20;
};

struct IndexOpenReport {
  enum class How { Fresh, Updated, Built } how = How::Fresh;
  std::string reason;  // why it was (re)built, for `journal index`
  bool saved = false;
  std::string save_error;  // when it could not be written
  uint64_t new_records = 0;
};

class JournalIndex {
 public:
  /// Opens the index of the journal in `dir`, building or updating it
  /// first when needed. Throws std::runtime_error when `dir` has no journal
  /// or cannot be read.
  static std::unique_ptr<JournalIndex> open(const std::filesystem::path& dir, const IndexOpenOptions& options,
                                            IndexOpenReport& report);
  ~JournalIndex();

  /// Adds the records appended to the journal since the index was opened
  /// or last refreshed, reading only those; a record still being written
  /// at the end is left for a later call. Costs two stat(2) calls when
  /// nothing was appended. The new records are held in memory; once they
  /// are more than a quarter of the rest (and IndexOpenOptions::hold_records), or when
  /// the journal changed otherwise (segments removed or rewritten), the
  /// index is opened again as open() does (and saved, if the options say
  /// so). Returns the number of records added. Throws like open(), and
  /// IndexCorrupt when the index file is damaged. Not thread-safe: callers
  /// serialise it with every other use of the index.
  uint64_t refresh();

  const std::filesystem::path& dir() const { return dir_; }
  uint64_t record_count() const { return records_; }
  /// Packed position (record_access.h), journal time and record type of a record.
  uint64_t position(uint64_t ordinal) const;
  int64_t journal_time(uint64_t ordinal) const;
  uint8_t kind(uint64_t ordinal) const;
  /// The record's sequence number (what `journal dump` shows as #N).
  uint64_t sequence(uint64_t ordinal) const;
  /// The number of records whose journal time is <= at_us (they are a
  /// prefix: journal time never decreases).
  uint64_t cut(int64_t at_us) const;
  int64_t last_time() const { return last_time_; }

  /// Ordinals of the records of every instance whose id hashes to `hash`, ascending.
  std::vector<uint64_t> instance_records(uint64_t instance_hash) const;
  /// Hashes of the instances with this key (from their status records).
  std::vector<uint64_t> instances_with_key(uint64_t key_hash) const;
  /// Ordinals of the event records whose id hashes to `hash`.
  std::vector<uint64_t> events_with_id(uint64_t id_hash) const;

  /// Every definition version, in journal order (version 1, 2, ...).
  const std::vector<DefinitionSummary>& definitions() const { return definitions_; }
  /// By content hash; null when the journal has no such version. The
  /// compiled half (routes...) is parsed on first use.
  const DefinitionSummary* definition(const std::string& hash) const;

  /// Problems met reading the journal (damage): the index covers what could be read.
  uint64_t journal_problems() const { return problems_; }
  const std::vector<std::string>& problem_details() const { return problem_details_; }

  /// For `journal index`: sizes of the tables.
  std::string describe() const;

  /// The index's bytes (opaque; public only for the file's own helpers).
  struct Impl;
  /// The records added by refresh() (opaque, like Impl).
  struct Live;

 private:
  JournalIndex() = default;
  void start_live();
  /// Replaces everything with a freshly opened index of the same journal.
  void reopen();
  /// Takes the held records' new definitions, problems and sequence breaks.
  void absorb_live();

  std::filesystem::path dir_;
  IndexOpenOptions options_;
  std::unique_ptr<Impl> impl_;
  std::unique_ptr<Live> live_;  // null until the first refresh()
  uint64_t base_records_ = 0;   // records in impl_; those after are live_'s
  uint64_t records_ = 0;
  int64_t last_time_ = 0;
  uint64_t problems_ = 0;
  std::vector<std::string> problem_details_;
  mutable std::vector<DefinitionSummary> definitions_;
  mutable std::vector<bool> definitions_parsed_;
  std::vector<std::pair<uint64_t, uint64_t>> seq_breaks_;  // (ordinal, sequence)
};

/// Opens the index and runs `query` on it; when the index turns out to be
/// corrupt mid-query, rebuilds it and runs `query` once more. Notes about
/// the index (could not be saved, journal damage) go to `log`.
template <typename Fn>
auto with_index(const std::filesystem::path& dir, std::ostream& log, Fn&& query) {
  IndexOpenReport report;
  IndexOpenOptions options;
  std::unique_ptr<JournalIndex> index;
  auto note = [&] {
    if (!report.save_error.empty())
      log << "flowrt: note: the query index is kept in memory: " << report.save_error << "\n";
    if (index->journal_problems() > 0) {
      log << "flowrt: warning: the journal has " << index->journal_problems()
          << " damaged part(s); answers cover the records that could be read (see flowrt journal verify)\n";
    }
  };
  index = JournalIndex::open(dir, options, report);
  note();
  try {
    return query(*index);
  } catch (const IndexCorrupt& e) {
    log << "flowrt: note: the query index was damaged (" << e.what() << "); rebuilt it\n";
    options.force_rebuild = true;
    index.reset();
    index = JournalIndex::open(dir, options, report);
    return query(*index);
  }
}

}  // namespace flow::runtime::queries
