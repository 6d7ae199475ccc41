// Reads the records of one segment file in order, checking each frame's
// length and checksum. It stops at the first damaged frame and describes it
// as a Problem; it never trusts a length before checking it against the file
// size, so no input can make it read out of bounds or allocate without limit.
// Used by JournalReader (all segments), JournalTail (following a journal as
// it grows) and by JournalWriter (tail recovery).
//
// A reader either slides a window of read(2)s over the file (payloads valid
// until the next call), or holds the whole file as it was when opened:
// mapped, for segments that can no longer shrink, or read into one buffer.
// Whole-file payloads stay valid for the reader's lifetime, so a caller can
// keep views into earlier records without copying them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "journal/file_io.h"
#include "journal/journal_problem.h"
#include "journal/segment_format.h"

namespace flow::journal {

inline constexpr std::size_t kDefaultReadBufferSize = 1u << 20;

enum class WholeFile {
  /// mmap(2) the file. Only for a segment nobody truncates while it is read
  /// (any but the journal's last: a writer's tail recovery truncates only
  /// that one); touching mapped bytes a truncation removed raises SIGBUS.
  /// Falls back to Read when the file cannot be mapped.
  Map,
  /// read(2) the whole file into one buffer; safe for any segment.
  Read,
};

class SegmentReader {
 public:
  /// Opens the file and checks its header; problems show in problem().
  explicit SegmentReader(SegmentFile file, std::size_t buffer_size = kDefaultReadBufferSize);

  /// Holds the whole file (its size when opened); every payload returned
  /// stays valid until the reader is destroyed.
  SegmentReader(SegmentFile file, WholeFile how);

  SegmentReader(SegmentReader&&) noexcept;
  SegmentReader& operator=(SegmentReader&&) noexcept;
  ~SegmentReader();

  /// Whether the header was read and is sound; header() is meaningful then.
  bool header_ok() const { return header_.has_value(); }
  const SegmentHeader& header() const { return *header_; }

  /// The next record, or false at the end of the file or at a problem.
  /// `out.payload` stays valid until the next call.
  bool next(Record& out);

  /// Set once reading stopped short of the end of the file.
  const std::optional<Problem>& problem() const { return problem_; }

  /// Offset just past the last whole record read (the header's end before
  /// any): where a writer would truncate to and append from.
  std::uint64_t valid_end() const { return offset_; }

  /// Size of the file when it was opened (or last resumed); bytes appended
  /// later are ignored until resume_at().
  std::uint64_t file_size() const { return size_; }

  /// For following a file a writer appends to (a window reader only, not a
  /// whole-file one): goes on reading at `offset`, a frame boundary of this
  /// file (valid_end() of this or an earlier reader of it), as if `records`
  /// records had been read before it. Measures the file again, so records
  /// appended since it was opened are read, and forgets a problem met at the
  /// old end (a record still being written). False, with problem() set,
  /// when the offset is not in the file or the file cannot be measured.
  bool resume_at(std::uint64_t offset, std::uint64_t records);

  std::uint64_t records_read() const { return records_; }
  const SegmentFile& file() const { return file_; }

 private:
  bool open();
  void read_header();
  bool map_whole_file();
  void unmap();
  /// Makes `need` bytes available at begin_; inline for the common case
  /// (already there: always, for a whole file).
  bool fill(std::size_t need) { return end_ - begin_ >= need || refill(need); }
  bool refill(std::size_t need);
  void fail(ProblemKind kind, std::string detail);
  bool rest_is_zero();
  void prefetch_ahead(std::size_t from);

  SegmentFile file_;
  detail::UniqueFd fd_;
  std::uint64_t size_ = 0;
  std::optional<SegmentHeader> header_;
  std::optional<Problem> problem_;
  bool done_ = false;

  std::uint64_t offset_ = 0;   // file offset of the next frame
  std::uint64_t records_ = 0;  // whole records returned so far

  // Read window: data_[begin_, end_) holds file bytes from offset_ on.
  // data_ is buffer_ or, for a mapped file, the mapping (the whole file).
  std::unique_ptr<std::byte[]> buffer_;
  bool whole_file_ = false;  // the window is the whole file and never slides
  const std::byte* data_ = nullptr;
  void* mapping_ = nullptr;
  std::size_t mapping_size_ = 0;
  std::size_t capacity_ = 0;
  std::size_t buffer_limit_ = 0;  // the buffer size asked for (a window grows to it on resume_at)
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t prefetched_ = 0;     // whole file: data_ before it has been prefetched
  std::uint64_t read_offset_ = 0;  // file offset of buffer_[end_]
};

}  // namespace flow::journal
