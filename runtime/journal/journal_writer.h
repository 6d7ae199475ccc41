// Appends records to a journal folder: recovers a torn tail on open, frames
// and checksums records into a userspace buffer, rolls over to a new segment
// file at a size limit, and makes records durable per the fsync mode.
//
// One JournalWriter per folder (an advisory lock on the folder enforces it).
// A writer is not thread-safe: callers serialise append/flush/commit.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "journal/file_io.h"
#include "journal/journal_problem.h"
#include "journal/segment_format.h"

namespace flow::journal {

enum class FsyncMode {
  Always,  ///< every append() returns only after write() + fdatasync()
  Batch,   ///< group commit: appends are buffered; commit() or a threshold syncs them together
  Never,   ///< write() when the buffer fills or on flush(); the OS decides when data reaches disk
};

struct WriterOptions {
  FsyncMode fsync = FsyncMode::Batch;
  /// A segment is closed once the next record would take it past this size
  /// (a record larger than a whole segment gets a segment of its own).
  std::uint64_t segment_size = kDefaultSegmentSize;
  /// Userspace buffer; records are handed to the OS with one write() per
  /// buffer-full. Records larger than the buffer are written directly.
  std::size_t buffer_size = 1u << 20;
  /// Batch mode: commit once this many bytes are waiting to be synced...
  std::size_t batch_bytes = 1u << 20;
  /// ...or once the oldest waiting record is this old (checked by append()
  /// and commit_if_due(); there is no background thread).
  std::chrono::microseconds batch_delay{2000};
  /// On recovery, copy the bytes cut from a damaged tail to
  /// "<segment>.dropped-<offset>" before truncating, so nothing is destroyed.
  bool keep_dropped_tail = true;
};

/// One cut made by tail recovery.
struct TailTruncation {
  std::filesystem::path file;
  std::uint32_t segment = 0;
  std::uint64_t offset = 0;         ///< the file now ends here
  std::uint64_t bytes_dropped = 0;  ///< bytes removed from `offset` to the old end
  ProblemKind reason = ProblemKind::ChecksumMismatch;
  std::string detail;
  std::filesystem::path saved_to;  ///< copy of the dropped bytes; empty if none was kept
  bool segment_removed = false;    ///< the whole file went (a segment whose header never got written)
};

struct OpenReport {
  bool created = false;                                   ///< there was no segment; the journal starts empty
  std::uint32_t segment = 0;                              ///< segment that appends go to
  std::uint64_t next_sequence = 0;                        ///< sequence number the next append gets
  std::vector<TailTruncation> truncations;                ///< empty when the tail was whole
  std::vector<std::filesystem::path> removed_temp_files;  ///< leftovers of an interrupted rollover

  bool truncated() const { return !truncations.empty(); }
};

std::string describe(const TailTruncation& truncation);

class JournalWriter {
 public:
  JournalWriter() = default;
  /// Closes like close(), but swallows errors: call close() to see them.
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  /// Opens (creating if missing) the journal folder `dir` for appending. The
  /// last segment is checked record by record; a torn or damaged tail is cut
  /// back to the last whole record and reported. Throws JournalError when
  /// the folder cannot be used (I/O failure, another writer holds it, or a
  /// damaged header on a segment that holds data, which is not a torn write
  /// and is left for a person to inspect).
  OpenReport open(const std::filesystem::path& dir, const WriterOptions& options = {});

  bool is_open() const { return fd_.valid(); }

  /// Appends one record. `type` must not be 0; the payload must be at most
  /// kMaxPayloadSize bytes (std::invalid_argument otherwise). Returns where
  /// the record is. Durable on return only in FsyncMode::Always.
  RecordPosition append(RecordType type, std::span<const std::byte> payload);
  RecordPosition append(RecordType type, std::string_view payload);

  /// Hands every buffered record to the OS (write), without syncing.
  void flush();
  /// Flushes and fdatasyncs: every record appended so far is durable
  /// afterwards, whatever the mode.
  void commit();
  /// Batch mode: commits if the oldest uncommitted record is older than
  /// batch_delay. For an event loop's timer. Returns whether it committed.
  bool commit_if_due();
  /// Flushes, syncs unless the mode is Never, and releases the folder.
  void close();

  /// Sequence number the next append will get (= records in the journal).
  std::uint64_t next_sequence() const { return next_sequence_; }
  /// Records with a smaller sequence number have been handed to the OS.
  std::uint64_t written_sequence() const { return written_sequence_; }
  /// Records with a smaller sequence number are on stable storage.
  std::uint64_t durable_sequence() const { return durable_sequence_; }
  std::uint32_t current_segment() const { return segment_number_; }
  const std::filesystem::path& directory() const { return dir_; }

 private:
  void check_usable() const;
  void recover(OpenReport& report);
  void create_segment(std::uint32_t number, std::uint64_t first_sequence);
  void roll();
  void write_buffer();
  void sync_segment();
  void write_direct(RecordType type, std::span<const std::byte> payload);
  std::filesystem::path save_dropped_bytes(const SegmentFile& file, std::uint64_t offset, std::uint64_t size);
  [[noreturn]] void fail(const std::exception& error);
  void release();

  std::filesystem::path dir_;
  WriterOptions options_;
  detail::UniqueFd dir_fd_;  // holds the folder lock
  detail::UniqueFd fd_;      // current segment, opened for writing
  std::filesystem::path segment_path_;
  std::uint32_t segment_number_ = 0;
  std::uint64_t segment_size_ = 0;  // including bytes still in the buffer

  std::unique_ptr<std::byte[]> buffer_;
  std::size_t buffer_capacity_ = 0;
  std::size_t buffer_used_ = 0;

  std::uint64_t next_sequence_ = 0;
  std::uint64_t written_sequence_ = 0;
  std::uint64_t durable_sequence_ = 0;
  std::size_t uncommitted_bytes_ = 0;
  std::chrono::steady_clock::time_point oldest_uncommitted_{};

  // After a failed write or sync the file's tail is unknown (and Linux may
  // have dropped the dirty pages), so the writer refuses further use; the
  // next open() recovers the tail.
  bool failed_ = false;
  std::string failure_;
};

}  // namespace flow::journal
