// Record-by-record reading of one segment file; see segment_reader.h.
#include "journal/segment_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

#include "journal/crc32c.h"

namespace flow::journal {
namespace {

std::string hex32(std::uint32_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x00000000";
  for (int i = 0; i < 8; ++i) out[9 - i] = kDigits[(value >> (4 * i)) & 0xF];
  return out;
}

}  // namespace

SegmentReader::SegmentReader(SegmentFile file, std::size_t buffer_size)
    : file_(std::move(file)),
      capacity_(std::max<std::size_t>(buffer_size, kSegmentHeaderSize)),
      buffer_limit_(capacity_) {
  if (!open()) return;
  // No need for a buffer larger than the file: small segments stay cheap to open.
  if (size_ < capacity_) capacity_ = std::max<std::size_t>(static_cast<std::size_t>(size_), kSegmentHeaderSize);
  buffer_ = std::make_unique_for_overwrite<std::byte[]>(capacity_);
  data_ = buffer_.get();
  read_header();
}

SegmentReader::SegmentReader(SegmentFile file, WholeFile how) : file_(std::move(file)), whole_file_(true) {
  if (!open()) return;
  if (how == WholeFile::Map && map_whole_file()) {
    read_header();
    return;
  }
  capacity_ = std::max<std::size_t>(static_cast<std::size_t>(size_), kSegmentHeaderSize);
  buffer_ = std::make_unique_for_overwrite<std::byte[]>(capacity_);
  data_ = buffer_.get();
  std::string error;
  const std::int64_t got = detail::read_full(fd_.get(), buffer_.get(), static_cast<std::size_t>(size_), &error);
  if (got < 0) {
    fail(ProblemKind::UnreadableSegment, error);
    return;
  }
  end_ = static_cast<std::size_t>(got);
  read_offset_ = static_cast<std::uint64_t>(got);
  read_header();
}

SegmentReader::SegmentReader(SegmentReader&& other) noexcept {
  *this = std::move(other);
}

SegmentReader& SegmentReader::operator=(SegmentReader&& other) noexcept {
  if (this == &other) return *this;
  unmap();
  file_ = std::move(other.file_);
  fd_ = std::move(other.fd_);
  size_ = other.size_;
  header_ = std::move(other.header_);
  problem_ = std::move(other.problem_);
  done_ = other.done_;
  offset_ = other.offset_;
  records_ = other.records_;
  buffer_ = std::move(other.buffer_);
  whole_file_ = other.whole_file_;
  data_ = std::exchange(other.data_, nullptr);
  mapping_ = std::exchange(other.mapping_, nullptr);
  mapping_size_ = std::exchange(other.mapping_size_, 0);
  capacity_ = other.capacity_;
  buffer_limit_ = other.buffer_limit_;
  begin_ = other.begin_;
  end_ = other.end_;
  prefetched_ = other.prefetched_;
  read_offset_ = other.read_offset_;
  return *this;
}

SegmentReader::~SegmentReader() {
  unmap();
}

bool SegmentReader::open() {
  std::string error;
  fd_ = detail::open_or_error(file_.path, O_RDONLY, &error);
  if (!fd_.valid()) {
    fail(ProblemKind::UnreadableSegment, error);
    return false;
  }
  try {
    size_ = detail::file_size(fd_.get(), file_.path);
  } catch (const JournalError& e) {
    fail(ProblemKind::UnreadableSegment, e.what());
    return false;
  }
  return true;
}

bool SegmentReader::resume_at(std::uint64_t offset, std::uint64_t records) {
  if (whole_file_ || !header_ || !fd_.valid()) return false;
  problem_.reset();
  done_ = false;
  try {
    size_ = detail::file_size(fd_.get(), file_.path);
  } catch (const JournalError& e) {
    fail(ProblemKind::UnreadableSegment, e.what());
    return false;
  }
  offset_ = offset;
  records_ = records;
  begin_ = end_ = 0;
  read_offset_ = offset;
  if (offset < kSegmentHeaderSize || offset > size_) {
    fail(ProblemKind::PastEndOfFile, "cannot resume at offset " + std::to_string(offset));
    return false;
  }
  // A reader opened on a small file got a small buffer; the file grew.
  const std::uint64_t left = size_ - offset;
  if (capacity_ < buffer_limit_ && left > capacity_) {
    capacity_ = static_cast<std::size_t>(std::min<std::uint64_t>(buffer_limit_, left));
    buffer_ = std::make_unique_for_overwrite<std::byte[]>(capacity_);
    data_ = buffer_.get();
  }
  if (::lseek(fd_.get(), static_cast<off_t>(offset), SEEK_SET) < 0) {
    fail(ProblemKind::UnreadableSegment, detail::errno_text(errno));
    return false;
  }
  return true;
}

bool SegmentReader::map_whole_file() {
  if (size_ < kSegmentHeaderSize || size_ > std::numeric_limits<std::size_t>::max()) return false;
  const auto length = static_cast<std::size_t>(size_);
  // MAP_POPULATE maps every page now, in one call, instead of taking a page
  // fault per few pages as the records are read.
  void* p = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd_.get(), 0);
  if (p == MAP_FAILED) return false;
  mapping_ = p;
  mapping_size_ = length;
  data_ = static_cast<const std::byte*>(p);
  capacity_ = length;
  end_ = length;
  read_offset_ = size_;
  return true;
}

void SegmentReader::unmap() {
  if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
  mapping_ = nullptr;
  mapping_size_ = 0;
  data_ = nullptr;
}

void SegmentReader::read_header() {
  const std::size_t available = static_cast<std::size_t>(std::min<std::uint64_t>(size_, kSegmentHeaderSize));
  if (available > 0 && !fill(available)) return;
  std::string why;
  header_ = decode_segment_header(std::span<const std::byte>(data_, available), &why);
  if (!header_) {
    fail(ProblemKind::BadSegmentHeader, why);
    return;
  }
  begin_ += kSegmentHeaderSize;
  offset_ = kSegmentHeaderSize;
}

bool SegmentReader::refill(std::size_t need) {
  if (whole_file_) {
    // Everything there was is in the window already (callers never ask past
    // the size measured at opening): the file shrank before it was read.
    fail(ProblemKind::PastEndOfFile, "file shrank while being read");
    return false;
  }
  // Slide the unread bytes to the front, growing the buffer only when one
  // frame is larger than it. Callers never ask for more than the file has
  // left, so a garbage length can't make this allocate.
  if (need > capacity_) {
    const std::size_t grown = std::max(need, capacity_ * 2);
    auto bigger = std::make_unique_for_overwrite<std::byte[]>(grown);
    std::memcpy(bigger.get(), buffer_.get() + begin_, end_ - begin_);
    buffer_ = std::move(bigger);
    data_ = buffer_.get();
    capacity_ = grown;
  } else if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
  }
  end_ -= begin_;
  begin_ = 0;

  const std::uint64_t file_left = size_ - read_offset_;
  const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(capacity_ - end_, file_left));
  std::string error;
  const std::int64_t got = detail::read_full(fd_.get(), buffer_.get() + end_, want, &error);
  if (got < 0) {
    fail(ProblemKind::UnreadableSegment, error);
    return false;
  }
  end_ += static_cast<std::size_t>(got);
  read_offset_ += static_cast<std::uint64_t>(got);
  if (end_ - begin_ < need) {
    // The file shrank after we measured it (someone truncated it while we
    // read): the bytes we were promised are gone.
    fail(ProblemKind::PastEndOfFile, "file shrank while being read");
    return false;
  }
  return true;
}

void SegmentReader::fail(ProblemKind kind, std::string detail) {
  done_ = true;
  Problem problem;
  problem.kind = kind;
  problem.file = file_.path;
  problem.segment = file_.number;
  problem.offset = offset_;
  problem.bytes = size_ > offset_ ? size_ - offset_ : 0;
  problem.detail = std::move(detail);
  problem_ = std::move(problem);
}

bool SegmentReader::rest_is_zero() {
  // Crashes after a file grew but before its data reached the disk leave
  // zeros; saying so tells a torn write from damaged data.
  std::uint64_t left = size_ - offset_;
  std::size_t pos = begin_;
  while (left > 0) {
    if (pos == end_) {
      // A whole-file window already holds every byte there is; refilling
      // would overwrite payloads the caller may still hold.
      if (whole_file_) return false;
      begin_ = end_ = pos = 0;
      std::string error;
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(capacity_, size_ - read_offset_));
      const std::int64_t got = detail::read_full(fd_.get(), buffer_.get(), want, &error);
      if (got <= 0) return false;
      end_ = static_cast<std::size_t>(got);
      read_offset_ += static_cast<std::uint64_t>(got);
    }
    if (data_[pos] != std::byte{0}) return false;
    ++pos;
    --left;
  }
  return true;
}

void SegmentReader::prefetch_ahead(std::size_t from) {
  // A whole file read record by record is a sequential scan the hardware
  // prefetchers follow only within a 4 KiB page; page-cache pages are
  // scattered, so each new page would start with misses (the checksum is
  // the first to touch the bytes). Asking a few pages ahead hides them.
  constexpr std::size_t kDistance = 8192;
  constexpr std::size_t kLine = 64;
  const std::size_t until = std::min(end_, from + kDistance);
  if (prefetched_ < from) prefetched_ = from;
  for (; prefetched_ < until; prefetched_ += kLine) __builtin_prefetch(data_ + prefetched_);
}

bool SegmentReader::next(Record& out) {
  if (done_) return false;
  const std::uint64_t remaining = size_ - offset_;
  if (remaining == 0) {
    done_ = true;
    return false;
  }
  if (remaining < kRecordHeaderSize) {
    if (!fill(static_cast<std::size_t>(remaining))) return false;
    const bool zero = rest_is_zero();
    fail(ProblemKind::ShortRecordHeader, std::to_string(remaining) + " bytes left, a record header needs " +
                                             std::to_string(kRecordHeaderSize) +
                                             (zero ? "; the rest of the file is zero bytes" : ""));
    return false;
  }
  if (!fill(kRecordHeaderSize)) return false;
  const std::byte* frame = data_ + begin_;
  const std::uint32_t length = load_u32_le(frame);
  if (length > kMaxPayloadSize) {
    const bool zero = rest_is_zero();
    fail(ProblemKind::LengthTooLarge, "length " + std::to_string(length) + " exceeds the maximum " +
                                          std::to_string(kMaxPayloadSize) +
                                          (zero ? "; the rest of the file is zero bytes" : ""));
    return false;
  }
  const std::uint64_t frame_size = kRecordHeaderSize + static_cast<std::uint64_t>(length);
  if (frame_size > remaining) {
    const bool zero = rest_is_zero();
    fail(ProblemKind::PastEndOfFile, "record of " + std::to_string(frame_size) + " bytes, only " +
                                         std::to_string(remaining) + " left in the file" +
                                         (zero ? "; the rest of the file is zero bytes" : ""));
    return false;
  }
  if (!fill(static_cast<std::size_t>(frame_size))) return false;
  frame = data_ + begin_;  // fill() may have moved the window
  if (whole_file_) prefetch_ahead(begin_ + static_cast<std::size_t>(frame_size));
  const std::uint32_t stored = crc32c_unmask(load_u32_le(frame + kRecordCrcOffset));
  const std::uint32_t actual = crc32c(frame + kRecordTypeOffset, 1 + static_cast<std::size_t>(length));
  if (stored != actual) {
    const bool zero = rest_is_zero();
    fail(ProblemKind::ChecksumMismatch, "stored " + hex32(stored) + ", computed " + hex32(actual) +
                                            (zero ? "; the rest of the file is zero bytes" : ""));
    return false;
  }
  const auto type = std::to_integer<RecordType>(frame[kRecordTypeOffset]);
  if (type == kInvalidRecordType) {
    fail(ProblemKind::InvalidRecordType, "record type 0 is reserved");
    return false;
  }
  out.type = type;
  out.payload = std::span<const std::byte>(frame + kRecordHeaderSize, length);
  out.position = RecordPosition{file_.number, offset_, header_->first_sequence + records_};
  begin_ += static_cast<std::size_t>(frame_size);
  offset_ += frame_size;
  ++records_;
  return true;
}

}  // namespace flow::journal
