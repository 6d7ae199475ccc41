// Record-by-record reading of one segment file; see segment_reader.h.
#include "journal/segment_reader.h"

#include <fcntl.h>

#include <algorithm>
#include <cstring>

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
    : file_(std::move(file)), capacity_(std::max<std::size_t>(buffer_size, kSegmentHeaderSize)) {
  std::string error;
  fd_ = detail::open_or_error(file_.path, O_RDONLY, &error);
  if (!fd_.valid()) {
    fail(ProblemKind::UnreadableSegment, error);
    return;
  }
  try {
    size_ = detail::file_size(fd_.get(), file_.path);
  } catch (const JournalError& e) {
    fail(ProblemKind::UnreadableSegment, e.what());
    return;
  }
  // No need for a buffer larger than the file: small segments stay cheap to open.
  if (size_ < capacity_) capacity_ = std::max<std::size_t>(static_cast<std::size_t>(size_), kSegmentHeaderSize);
  buffer_ = std::make_unique_for_overwrite<std::byte[]>(capacity_);

  const std::size_t available = static_cast<std::size_t>(std::min<std::uint64_t>(size_, kSegmentHeaderSize));
  if (available > 0 && !fill(available)) return;
  std::string why;
  header_ = decode_segment_header(std::span<const std::byte>(buffer_.get(), available), &why);
  if (!header_) {
    fail(ProblemKind::BadSegmentHeader, why);
    return;
  }
  begin_ += kSegmentHeaderSize;
  offset_ = kSegmentHeaderSize;
}

bool SegmentReader::fill(std::size_t need) {
  if (end_ - begin_ >= need) return true;
  // Slide the unread bytes to the front, growing the buffer only when one
  // frame is larger than it. Callers never ask for more than the file has
  // left, so a garbage length can't make this allocate.
  if (need > capacity_) {
    const std::size_t grown = std::max(need, capacity_ * 2);
    auto bigger = std::make_unique_for_overwrite<std::byte[]>(grown);
    std::memcpy(bigger.get(), buffer_.get() + begin_, end_ - begin_);
    buffer_ = std::move(bigger);
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
      begin_ = end_ = pos = 0;
      std::string error;
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(capacity_, size_ - read_offset_));
      const std::int64_t got = detail::read_full(fd_.get(), buffer_.get(), want, &error);
      if (got <= 0) return false;
      end_ = static_cast<std::size_t>(got);
      read_offset_ += static_cast<std::uint64_t>(got);
    }
    if (buffer_[pos] != std::byte{0}) return false;
    ++pos;
    --left;
  }
  return true;
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
  const std::byte* frame = buffer_.get() + begin_;
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
  frame = buffer_.get() + begin_;  // fill() may have moved the window
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
