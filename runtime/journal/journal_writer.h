// Appends records to a journal folder: recovers a torn tail on open, frames
// and checksums records into a userspace buffer, rolls over to a new segment
// file at a size limit, and makes records durable per the fsync mode.
//
// One JournalWriter per folder (an advisory lock on the folder enforces it).
// A writer is not thread-safe: callers serialise append/flush/commit. In
// FsyncMode::Batch it starts one helper thread of its own that only runs
// fdatasync, so that the appending thread does not wait for the disk.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "journal/file_io.h"
#include "journal/journal_problem.h"
#include "journal/segment_format.h"

namespace flow::journal {

enum class FsyncMode {
  Always,  ///< every append() returns only after write() + fdatasync()
  Batch,   ///< group commit: appends are buffered; at a threshold they are written and a background
           ///< thread syncs them together; commit() writes and waits for the sync
  Never,   ///< write() when the buffer fills or on flush(); the OS decides when data reaches disk (sealed
           ///< segments are not synced either)
};

struct WriterOptions {
  FsyncMode fsync = FsyncMode::Batch;
  /// A segment is closed once the next record would take it past this size
  /// (a record larger than a whole segment gets a segment of its own).
  std::uint64_t segment_size = kDefaultSegmentSize;
  /// Userspace buffer; records are handed to the OS with one write() per
  /// buffer-full. Records larger than the buffer are written directly.
  std::size_t buffer_size = 1u << 20;
  /// Batch mode: start a sync once this many bytes are waiting to be synced...
  std::size_t batch_bytes = 1u << 20;
  /// ...or once the oldest waiting record is this old. append() reads the
  /// clock only when a batch starts and then every kBatchAppendsPerClockCheck
  /// appends, because a clock read per record is a noticeable share of the
  /// cost of appending a small one; at the hundreds of thousands of appends
  /// per second this mode is for, 64 appends take well under the 2 ms
  /// default. A trickle of appends is left to commit_if_due(), which reads
  /// the clock on every call.
  std::chrono::microseconds batch_delay{2000};
  /// On recovery, copy the bytes cut from a damaged tail to
  /// "<segment>.dropped-<offset>" before truncating, so nothing is destroyed.
  bool keep_dropped_tail = true;
};

/// See WriterOptions::batch_delay.
inline constexpr unsigned kBatchAppendsPerClockCheck = 64;

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
  /// the record is. Durable on return only in FsyncMode::Always. In Batch
  /// mode a failed background sync surfaces here (or in flush, commit,
  /// commit_if_due, close) as a JournalError, and the writer is unusable.
  RecordPosition append(RecordType type, std::span<const std::byte> payload);
  RecordPosition append(RecordType type, std::string_view payload);
  /// Appending without a copy: reserve() returns room in the writer's
  /// buffer for a payload of at most `max_payload` bytes (at most the
  /// buffer size less a record header; std::invalid_argument otherwise);
  /// the caller writes the payload there and calls append_reserved() with
  /// its size, which frames and checksums it in place. Nothing else may be
  /// called on the writer in between. Same durability as append().
  std::byte* reserve(std::size_t max_payload) {
    // The common case inline (the runtime reserves ten times per input):
    // room in the buffer and in the segment, nothing failed.
    const std::size_t frame_max = kRecordHeaderSize + max_payload;
    if (buffer_ && !failed_ && max_payload <= max_reservable() && buffer_used_ + frame_max <= buffer_capacity_ &&
        (segment_size_ <= kSegmentHeaderSize || segment_size_ + frame_max <= options_.segment_size) &&
        !sync_failed_.load(std::memory_order_relaxed)) {
      reserved_ = max_payload;
      return buffer_.get() + buffer_used_ + kRecordHeaderSize;
    }
    return reserve_slow(max_payload);
  }
  std::size_t max_reservable() const {
    return buffer_capacity_ > kRecordHeaderSize ? buffer_capacity_ - kRecordHeaderSize : 0;
  }
  RecordPosition append_reserved(RecordType type, std::size_t payload_size);

  /// Hands every buffered record to the OS (write), without syncing.
  void flush();
  /// Flushes and fdatasyncs: every record appended so far is durable
  /// afterwards, whatever the mode. Waits for a background sync in progress.
  void commit();
  /// Batch mode: commits (like commit(), on the caller's thread) if the
  /// oldest uncommitted record is older than batch_delay. For an event
  /// loop's timer. Returns whether it committed.
  bool commit_if_due();
  /// Flushes, syncs unless the mode is Never, and releases the folder.
  void close();

  /// A record every segment must start with from now on (the runtime's list
  /// of names, records/name_list.h): appended at once when the current
  /// segment has no records yet; when it has and does not start with this
  /// very record, appends go on in a new segment. Every later segment gets
  /// it first.
  void set_segment_preamble(RecordType type, std::string payload);

  /// Sequence number the next append will get (= records in the journal).
  std::uint64_t next_sequence() const { return next_sequence_; }
  /// Records with a smaller sequence number have been handed to the OS.
  std::uint64_t written_sequence() const { return written_sequence_; }
  /// Records with a smaller sequence number are on stable storage. In Batch
  /// mode it may lag written_sequence() while the background sync runs.
  std::uint64_t durable_sequence() const { return durable_sequence_.load(std::memory_order_acquire); }
  std::uint32_t current_segment() const { return segment_number_; }
  const std::filesystem::path& directory() const { return dir_; }

 private:
  /// Throws unless open and not failed; the check is inline (it runs for
  /// every record), the throw is not.
  void check_usable() const {
    if (!is_open() || failed_) throw_unusable();
  }
  [[noreturn]] void throw_unusable() const;
  std::byte* reserve_slow(std::size_t max_payload);
  void recover(OpenReport& report);
  void create_segment(std::uint32_t number, std::uint64_t first_sequence);
  void roll();
  void write_buffer();
  void sync_segment();
  void request_sync();
  void wait_for_sync_idle();
  void throw_if_sync_failed();
  void sync_loop() noexcept;
  void stop_sync_thread();
  void write_direct(RecordType type, std::span<const std::byte> payload);
  /// After a record is in place: what the fsync mode asks for.
  void settle(std::size_t frame_size);
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
  // The current segment's first record as found on open (for
  // set_segment_preamble), and the preamble itself.
  RecordType first_record_type_ = kInvalidRecordType;
  std::string first_record_payload_;
  RecordType preamble_type_ = kInvalidRecordType;
  std::string preamble_;

  std::unique_ptr<std::byte[]> buffer_;
  std::size_t buffer_capacity_ = 0;
  std::size_t buffer_used_ = 0;
  std::size_t reserved_ = 0;  // room promised by reserve(), for append_reserved()

  std::uint64_t next_sequence_ = 0;
  std::uint64_t written_sequence_ = 0;
  std::atomic<std::uint64_t> durable_sequence_ = 0;  // also stored by the sync thread
  std::size_t uncommitted_bytes_ = 0;
  std::chrono::steady_clock::time_point oldest_uncommitted_{};
  unsigned appends_until_clock_check_ = 0;

  // Batch mode's sync thread, started on the first due batch. It never
  // touches fd_: it syncs sync_fd_, and the writer replaces or closes fd_
  // only after waiting for it to be idle, so it cannot sync a reused fd.
  std::thread sync_thread_;
  std::mutex sync_mutex_;
  std::condition_variable sync_wanted_;  // the writer asked for a sync, or to stop
  std::condition_variable sync_idle_;    // a sync finished
  // Guarded by sync_mutex_:
  int sync_fd_ = -1;
  std::uint64_t sync_requested_ = 0;  // written_sequence_ a sync should make durable
  std::uint64_t sync_reached_ = 0;    // what the last background sync made durable
  bool sync_running_ = false;
  bool sync_stop_ = false;
  int sync_errno_ = 0;  // a failed background fdatasync, for the writer to report
  // Set together with sync_errno_; lets append() check without the mutex.
  std::atomic<bool> sync_failed_ = false;

  // After a failed write or sync the file's tail is unknown (and Linux may
  // have dropped the dirty pages), so the writer refuses further use; the
  // next open() recovers the tail.
  bool failed_ = false;
  std::string failure_;
};

}  // namespace flow::journal
