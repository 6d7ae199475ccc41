// Appending, rollover, durability and torn-tail recovery; see
// journal_writer.h and docs/journal.md.
#include "journal/journal_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "journal/crc32c.h"
#include "journal/segment_reader.h"

namespace flow::journal {
namespace {

constexpr std::string_view kTempSuffix = ".tmp";

bool is_temp_segment_name(const std::string& name) {
  if (!name.ends_with(kTempSuffix)) return false;
  return parse_segment_file_name(std::string_view(name).substr(0, name.size() - kTempSuffix.size())).has_value();
}

// True when every byte of the file is zero (or the file is empty).
bool file_is_all_zero(const std::filesystem::path& path) {
  detail::UniqueFd fd = detail::open_or_throw(path, O_RDONLY);
  std::byte chunk[1u << 16];
  while (true) {
    std::string error;
    const std::int64_t got = detail::read_full(fd.get(), chunk, sizeof chunk, &error);
    if (got < 0) throw JournalError("cannot read " + path.string() + ": " + error);
    for (std::int64_t i = 0; i < got; ++i) {
      if (chunk[i] != std::byte{0}) return false;
    }
    if (static_cast<std::size_t>(got) < sizeof chunk) return true;
  }
}

}  // namespace

std::string describe(const TailTruncation& t) {
  std::string out = t.file.filename().string();
  out += t.segment_removed ? ": removed (" : ": truncated at offset " + std::to_string(t.offset) + " (";
  out += std::to_string(t.bytes_dropped);
  out += " bytes dropped, ";
  out += to_string(t.reason);
  if (!t.detail.empty()) {
    out += ": ";
    out += t.detail;
  }
  out += ")";
  if (!t.saved_to.empty()) {
    out += "; dropped bytes saved to ";
    out += t.saved_to.filename().string();
  }
  return out;
}

JournalWriter::~JournalWriter() {
  try {
    close();
  } catch (...) {
    // Destructors must not throw; close() explicitly to learn of failures.
  }
}

OpenReport JournalWriter::open(const std::filesystem::path& dir, const WriterOptions& options) {
  if (is_open()) throw std::logic_error("JournalWriter::open: already open");
  if (options.segment_size < kSegmentHeaderSize + kRecordHeaderSize) {
    throw std::invalid_argument("JournalWriter::open: segment_size too small");
  }
  options_ = options;
  dir_ = dir;
  failed_ = false;
  failure_.clear();

  std::error_code ec;
  const bool existed = std::filesystem::exists(dir_, ec);
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw JournalError("cannot create journal folder " + dir_.string() + ": " + ec.message());
  if (!existed) {
    // The new folder's own name must be durable too.
    const auto parent = std::filesystem::absolute(dir_).parent_path();
    detail::sync_directory(parent);
  }

  dir_fd_ = detail::open_or_throw(dir_, O_RDONLY | O_DIRECTORY);
  if (::flock(dir_fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    dir_fd_.reset();
    if (error == EWOULDBLOCK) {
      throw JournalError("journal " + dir_.string() + " is already open for writing");
    }
    throw JournalError("cannot lock journal " + dir_.string() + ": " + detail::errno_text(error));
  }

  OpenReport report;
  try {
    recover(report);
  } catch (...) {
    release();
    throw;
  }
  buffer_capacity_ = options_.buffer_size;
  buffer_ = buffer_capacity_ > 0 ? std::make_unique_for_overwrite<std::byte[]>(buffer_capacity_) : nullptr;
  buffer_used_ = 0;
  uncommitted_bytes_ = 0;
  report.segment = segment_number_;
  report.next_sequence = next_sequence_;
  return report;
}

void JournalWriter::recover(OpenReport& report) {
  // Leftovers of a rollover cut short before its rename: never part of the
  // journal, since a segment only gets its real name once its header is on disk.
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    if (is_temp_segment_name(it->path().filename().string())) {
      report.removed_temp_files.push_back(it->path());
    }
  }
  if (ec) throw JournalError("cannot list journal folder " + dir_.string() + ": " + ec.message());
  for (const auto& path : report.removed_temp_files) {
    if (!std::filesystem::remove(path, ec) && ec) {
      throw JournalError("cannot remove " + path.string() + ": " + ec.message());
    }
  }

  std::vector<SegmentFile> segments = list_segments(dir_);
  while (true) {
    if (segments.empty()) {
      report.created = true;
      create_segment(1, 0);
      return;
    }
    const SegmentFile last = segments.back();
    SegmentReader reader(last);
    if (!reader.header_ok()) {
      const Problem& problem = *reader.problem();
      if (problem.kind == ProblemKind::UnreadableSegment) {
        throw JournalError("cannot read " + last.path.string() + ": " + problem.detail);
      }
      // A rollover writes the header before the file gets its name, so a
      // nameable segment without a header means the disk kept the name but
      // not the data: there were no records yet. Anything else is damage
      // that a person should look at, not something to cut away.
      const bool torn_creation = reader.file_size() <= kSegmentHeaderSize || file_is_all_zero(last.path);
      if (!torn_creation) {
        throw JournalError("segment " + last.path.string() + " has a damaged header (" + problem.detail +
                           ") but holds data; refusing to append. Run journal verify");
      }
      if (segments.size() == 1 && last.number != 1) {
        throw JournalError("segment " + last.path.string() +
                           " has no readable header and no earlier segment gives its sequence numbers");
      }
      TailTruncation cut;
      cut.file = last.path;
      cut.segment = last.number;
      cut.offset = 0;
      cut.bytes_dropped = reader.file_size();
      cut.reason = problem.kind;
      cut.detail = problem.detail;
      cut.segment_removed = true;
      if (options_.keep_dropped_tail && reader.file_size() > 0 && !file_is_all_zero(last.path)) {
        cut.saved_to = save_dropped_bytes(last, 0, reader.file_size());
      }
      if (!std::filesystem::remove(last.path, ec) && ec) {
        throw JournalError("cannot remove " + last.path.string() + ": " + ec.message());
      }
      detail::sync_directory(dir_);
      report.truncations.push_back(std::move(cut));
      segments.pop_back();
      if (segments.empty()) {
        create_segment(1, 0);
        return;
      }
      continue;  // the previous segment is the tail now
    }
    if (reader.header().segment_number != last.number) {
      throw JournalError("segment " + last.path.string() + " says it is segment " +
                         std::to_string(reader.header().segment_number) + "; refusing to append");
    }

    Record record;
    while (reader.next(record)) {
    }
    const std::uint64_t keep = reader.valid_end();
    fd_ = detail::open_or_throw(last.path, O_WRONLY);
    if (reader.problem()) {
      const Problem& problem = *reader.problem();
      if (problem.kind == ProblemKind::UnreadableSegment) {
        throw JournalError("cannot read " + last.path.string() + ": " + problem.detail);
      }
      TailTruncation cut;
      cut.file = last.path;
      cut.segment = last.number;
      cut.offset = keep;
      cut.bytes_dropped = reader.file_size() - keep;
      cut.reason = problem.kind;
      cut.detail = problem.detail;
      if (options_.keep_dropped_tail) cut.saved_to = save_dropped_bytes(last, keep, reader.file_size());
      int rc;
      do {
        rc = ::ftruncate(fd_.get(), static_cast<off_t>(keep));
      } while (rc != 0 && errno == EINTR);
      if (rc != 0) {
        throw JournalError("cannot truncate " + last.path.string() + ": " + detail::errno_text(errno));
      }
      // The cut must be on disk before new records land after it, or a
      // crash could leave new records followed by old garbage.
      detail::sync_data(fd_.get(), last.path);
      report.truncations.push_back(std::move(cut));
    }
    if (::lseek(fd_.get(), static_cast<off_t>(keep), SEEK_SET) < 0) {
      throw JournalError("cannot seek in " + last.path.string() + ": " + detail::errno_text(errno));
    }
    segment_path_ = last.path;
    segment_number_ = last.number;
    segment_size_ = keep;
    next_sequence_ = reader.header().first_sequence + reader.records_read();
    written_sequence_ = durable_sequence_ = next_sequence_;
    return;
  }
}

std::filesystem::path JournalWriter::save_dropped_bytes(const SegmentFile& file, std::uint64_t offset,
                                                        std::uint64_t size) {
  const std::string base = file.path.filename().string() + ".dropped-" + std::to_string(offset);
  std::filesystem::path target = dir_ / base;
  detail::UniqueFd out;
  for (int attempt = 1;; ++attempt) {
    out = detail::UniqueFd(::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (out.valid()) break;
    if (errno != EEXIST || attempt > 1000) {
      throw JournalError("cannot create " + target.string() + ": " + detail::errno_text(errno));
    }
    target = dir_ / (base + "." + std::to_string(attempt));
  }
  detail::UniqueFd in = detail::open_or_throw(file.path, O_RDONLY);
  if (::lseek(in.get(), static_cast<off_t>(offset), SEEK_SET) < 0) {
    throw JournalError("cannot seek in " + file.path.string() + ": " + detail::errno_text(errno));
  }
  std::vector<std::byte> chunk(1u << 16);
  std::uint64_t left = size - offset;
  while (left > 0) {
    std::string error;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
    const std::int64_t got = detail::read_full(in.get(), chunk.data(), want, &error);
    if (got < 0) throw JournalError("cannot read " + file.path.string() + ": " + error);
    if (got == 0) break;
    detail::write_all(out.get(), chunk.data(), static_cast<std::size_t>(got), target);
    left -= static_cast<std::uint64_t>(got);
  }
  // The copy must be durable before the original bytes are cut.
  detail::sync_data(out.get(), target);
  detail::sync_directory(dir_);
  return target;
}

void JournalWriter::create_segment(std::uint32_t number, std::uint64_t first_sequence) {
  // Write the header under a temporary name and rename it into place, so a
  // file with a segment's name always starts with a whole header.
  const std::filesystem::path final_path = dir_ / segment_file_name(number);
  const std::filesystem::path temp_path = dir_ / (segment_file_name(number) + std::string(kTempSuffix));
  detail::UniqueFd fd = detail::open_or_throw(temp_path, O_WRONLY | O_CREAT | O_TRUNC);
  const auto header = encode_segment_header(SegmentHeader{number, first_sequence});
  detail::write_all(fd.get(), header.data(), header.size(), temp_path);
  detail::sync_data(fd.get(), temp_path);
  std::error_code ec;
  if (std::filesystem::exists(final_path, ec)) {
    throw JournalError("cannot create " + final_path.string() + ": it already exists");
  }
  std::filesystem::rename(temp_path, final_path, ec);
  if (ec) throw JournalError("cannot rename " + temp_path.string() + ": " + ec.message());
  detail::sync_directory(dir_);

  fd_ = std::move(fd);
  segment_path_ = final_path;
  segment_number_ = number;
  segment_size_ = kSegmentHeaderSize;
  written_sequence_ = durable_sequence_ = next_sequence_ = first_sequence;
}

void JournalWriter::check_usable() const {
  if (!is_open()) throw std::logic_error("JournalWriter: not open");
  if (failed_) throw JournalError("journal writer unusable after an earlier failure: " + failure_);
}

void JournalWriter::fail(const std::exception& error) {
  failed_ = true;
  failure_ = error.what();
  throw JournalError(failure_);
}

void JournalWriter::write_buffer() {
  if (buffer_used_ == 0) return;
  detail::write_all(fd_.get(), buffer_.get(), buffer_used_, segment_path_);
  buffer_used_ = 0;
  written_sequence_ = next_sequence_;
}

void JournalWriter::sync_segment() {
  if (durable_sequence_ == written_sequence_) return;
  detail::sync_data(fd_.get(), segment_path_);
  durable_sequence_ = written_sequence_;
}

void JournalWriter::roll() {
  // A sealed segment is synced in every mode, once: it costs one sync per
  // segment and means only the last segment can ever have a torn tail.
  write_buffer();
  detail::sync_data(fd_.get(), segment_path_);
  durable_sequence_ = written_sequence_;
  uncommitted_bytes_ = 0;
  create_segment(segment_number_ + 1, next_sequence_);
}

void JournalWriter::write_direct(RecordType type, std::span<const std::byte> payload) {
  std::byte header[kRecordHeaderSize];
  encode_record_header(header, type, payload);
  write_buffer();
  detail::write_all(fd_.get(), header, sizeof header, segment_path_);
  detail::write_all(fd_.get(), payload.data(), payload.size(), segment_path_);
}

RecordPosition JournalWriter::append(RecordType type, std::span<const std::byte> payload) {
  check_usable();
  if (type == kInvalidRecordType) throw std::invalid_argument("journal record type 0 is reserved");
  if (payload.size() > kMaxPayloadSize) {
    throw std::invalid_argument("journal record payload larger than " + std::to_string(kMaxPayloadSize) + " bytes");
  }
  const std::size_t frame_size = kRecordHeaderSize + payload.size();
  try {
    if (segment_size_ > kSegmentHeaderSize && segment_size_ + frame_size > options_.segment_size) {
      roll();
    }
    const RecordPosition position{segment_number_, segment_size_, next_sequence_};
    bool direct = false;
    if (frame_size <= buffer_capacity_) {
      if (buffer_used_ + frame_size > buffer_capacity_) write_buffer();
      std::byte* frame = buffer_.get() + buffer_used_;
      store_u32_le(frame, static_cast<std::uint32_t>(payload.size()));
      frame[kRecordTypeOffset] = static_cast<std::byte>(type);
      if (!payload.empty()) std::memcpy(frame + kRecordHeaderSize, payload.data(), payload.size());
      // Type and payload sit side by side in the frame: one checksum pass.
      const std::uint32_t crc = crc32c(frame + kRecordTypeOffset, 1 + payload.size());
      store_u32_le(frame + kRecordCrcOffset, crc32c_mask(crc));
      buffer_used_ += frame_size;
    } else {
      write_direct(type, payload);
      direct = true;
    }
    segment_size_ += frame_size;
    ++next_sequence_;
    if (direct) written_sequence_ = next_sequence_;

    switch (options_.fsync) {
      case FsyncMode::Always:
        write_buffer();
        sync_segment();
        break;
      case FsyncMode::Batch: {
        const auto now = std::chrono::steady_clock::now();
        if (uncommitted_bytes_ == 0) oldest_uncommitted_ = now;
        uncommitted_bytes_ += frame_size;
        if (uncommitted_bytes_ >= options_.batch_bytes || now - oldest_uncommitted_ >= options_.batch_delay) {
          write_buffer();
          sync_segment();
          uncommitted_bytes_ = 0;
        }
        break;
      }
      case FsyncMode::Never: break;
    }
    return position;
  } catch (const JournalError& error) {
    fail(error);
  } catch (const std::filesystem::filesystem_error& error) {
    fail(error);
  }
}

RecordPosition JournalWriter::append(RecordType type, std::string_view payload) {
  return append(type, std::as_bytes(std::span<const char>(payload.data(), payload.size())));
}

void JournalWriter::flush() {
  check_usable();
  try {
    write_buffer();
  } catch (const JournalError& error) {
    fail(error);
  }
}

void JournalWriter::commit() {
  check_usable();
  try {
    write_buffer();
    sync_segment();
    uncommitted_bytes_ = 0;
  } catch (const JournalError& error) {
    fail(error);
  }
}

bool JournalWriter::commit_if_due() {
  check_usable();
  if (options_.fsync != FsyncMode::Batch || uncommitted_bytes_ == 0) return false;
  if (std::chrono::steady_clock::now() - oldest_uncommitted_ < options_.batch_delay) return false;
  commit();
  return true;
}

void JournalWriter::close() {
  if (!is_open()) return;
  if (failed_) {
    release();
    return;
  }
  try {
    write_buffer();
    if (options_.fsync != FsyncMode::Never) sync_segment();
  } catch (...) {
    release();
    throw;
  }
  release();
}

void JournalWriter::release() {
  fd_.reset();
  dir_fd_.reset();  // drops the folder lock
  buffer_.reset();
  buffer_capacity_ = 0;
  buffer_used_ = 0;
  uncommitted_bytes_ = 0;
}

}  // namespace flow::journal
