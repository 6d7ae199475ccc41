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
  durable_sequence_ = 0;  // until a segment is found or made
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
    first_record_type_ = kInvalidRecordType;
    first_record_payload_.clear();
    if (reader.next(record)) {
      first_record_type_ = record.type;
      first_record_payload_.assign(reinterpret_cast<const char*>(record.payload.data()), record.payload.size());
    }
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
  // The durable mark stays: in `never` mode a rollover syncs nothing.
  written_sequence_ = next_sequence_ = first_sequence;
}

void JournalWriter::throw_unusable() const {
  if (!is_open()) throw std::logic_error("JournalWriter: not open");
  throw JournalError("journal writer unusable after an earlier failure: " + failure_);
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

void JournalWriter::request_sync() {
  if (written_sequence_ <= durable_sequence()) return;
  if (!sync_thread_.joinable()) {
    try {
      sync_thread_ = std::thread([this] { sync_loop(); });
    } catch (const std::system_error&) {
      // Out of threads: the batch still gets synced, only on this thread.
      sync_segment();
      return;
    }
  }
  bool idle;
  {
    std::lock_guard lock(sync_mutex_);
    sync_fd_ = fd_.get();
    sync_requested_ = written_sequence_;
    idle = !sync_running_;
  }
  // A running sync looks at sync_requested_ again when it returns, so only
  // an idle thread needs waking.
  if (idle) sync_wanted_.notify_one();
}

void JournalWriter::sync_loop() noexcept {
  std::unique_lock lock(sync_mutex_);
  while (true) {
    sync_wanted_.wait(lock, [this] { return sync_stop_ || sync_requested_ > sync_reached_; });
    // Stopping comes from release(): close() has synced by then, and after a
    // failure nothing is promised, so a sync still wanted is dropped rather
    // than delaying the close.
    if (sync_stop_) return;
    // Only records whose write() returned before fdatasync starts are
    // covered, and sync_requested_ is raised only after the write.
    const std::uint64_t target = sync_requested_;
    const int fd = sync_fd_;
    sync_running_ = true;
    lock.unlock();
    int rc;
    do {
      rc = ::fdatasync(fd);
    } while (rc != 0 && errno == EINTR);
    const int error = rc == 0 ? 0 : errno;
    lock.lock();
    sync_running_ = false;
    if (error != 0) {
      sync_errno_ = error;
      sync_failed_.store(true, std::memory_order_release);
      sync_idle_.notify_all();
      // Retrying could report lost pages as durable (see fail()); the
      // writer reports the error and stops the thread.
      sync_wanted_.wait(lock, [this] { return sync_stop_; });
      return;
    }
    sync_reached_ = target;
    durable_sequence_.store(target, std::memory_order_release);
    sync_idle_.notify_all();
  }
}

void JournalWriter::wait_for_sync_idle() {
  if (sync_thread_.joinable()) {
    std::unique_lock lock(sync_mutex_);
    sync_idle_.wait(lock, [this] { return sync_errno_ != 0 || (!sync_running_ && sync_requested_ <= sync_reached_); });
  }
  throw_if_sync_failed();
}

void JournalWriter::throw_if_sync_failed() {
  if (!sync_failed_.load(std::memory_order_acquire)) return;
  int error;
  {
    std::lock_guard lock(sync_mutex_);
    error = sync_errno_;
  }
  // fd_ is replaced only after wait_for_sync_idle(), which reports a failure
  // first, so the failed sync was on segment_path_.
  throw JournalError("cannot sync " + segment_path_.string() + ": " + detail::errno_text(error));
}

void JournalWriter::stop_sync_thread() {
  if (!sync_thread_.joinable()) return;
  {
    std::lock_guard lock(sync_mutex_);
    sync_stop_ = true;
  }
  sync_wanted_.notify_one();
  sync_thread_.join();
  sync_fd_ = -1;
  sync_requested_ = sync_reached_ = 0;
  sync_running_ = sync_stop_ = false;
  sync_errno_ = 0;
  sync_failed_.store(false, std::memory_order_relaxed);
}

void JournalWriter::roll() {
  // A sealed segment is synced once in `always` and `batch` mode: one sync
  // per segment, and only the last segment can have a torn tail. `never`
  // leaves that to the OS too: waiting for a whole segment to reach the
  // disk stalled the appending thread for most of its wall time.
  write_buffer();
  // The sync thread must be done with the old fd before it is replaced.
  wait_for_sync_idle();
  if (options_.fsync != FsyncMode::Never) {
    detail::sync_data(fd_.get(), segment_path_);
    durable_sequence_ = written_sequence_;
  }
  uncommitted_bytes_ = 0;
  create_segment(segment_number_ + 1, next_sequence_);
  if (preamble_type_ != kInvalidRecordType) append(preamble_type_, std::string_view(preamble_));
}

void JournalWriter::set_segment_preamble(RecordType type, std::string payload) {
  check_usable();
  if (type == kInvalidRecordType) throw std::invalid_argument("journal record type 0 is reserved");
  preamble_type_ = type;
  preamble_ = std::move(payload);
  if (segment_size_ == kSegmentHeaderSize) {
    append(preamble_type_, std::string_view(preamble_));
  } else if (first_record_type_ != preamble_type_ || first_record_payload_ != preamble_) {
    try {
      roll();
    } catch (const JournalError& error) {
      fail(error);
    } catch (const std::filesystem::filesystem_error& error) {
      fail(error);
    }
  }
  first_record_payload_.clear();  // not needed any more
}

void JournalWriter::write_direct(RecordType type, std::span<const std::byte> payload) {
  std::byte header[kRecordHeaderSize];
  encode_record_header(header, type, payload);
  write_buffer();
  detail::write_all(fd_.get(), header, sizeof header, segment_path_);
  detail::write_all(fd_.get(), payload.data(), payload.size(), segment_path_);
}

RecordPosition JournalWriter::append(RecordType type, std::span<const std::byte> payload) {
  if (payload.size() <= buffer_capacity_ && buffer_capacity_ - payload.size() >= kRecordHeaderSize) {
    std::byte* room = reserve(payload.size());
    if (!payload.empty()) std::memcpy(room, payload.data(), payload.size());
    return append_reserved(type, payload.size());
  }
  check_usable();
  if (type == kInvalidRecordType) throw std::invalid_argument("journal record type 0 is reserved");
  if (payload.size() > kMaxPayloadSize) {
    throw std::invalid_argument("journal record payload larger than " + std::to_string(kMaxPayloadSize) + " bytes");
  }
  const std::size_t frame_size = kRecordHeaderSize + payload.size();
  try {
    throw_if_sync_failed();
    if (segment_size_ > kSegmentHeaderSize && segment_size_ + frame_size > options_.segment_size) {
      roll();
    }
    const RecordPosition position{segment_number_, segment_size_, next_sequence_};
    write_direct(type, payload);
    segment_size_ += frame_size;
    ++next_sequence_;
    written_sequence_ = next_sequence_;
    settle(frame_size);
    return position;
  } catch (const JournalError& error) {
    fail(error);
  } catch (const std::filesystem::filesystem_error& error) {
    fail(error);
  }
}

std::byte* JournalWriter::reserve_slow(std::size_t max_payload) {
  check_usable();
  if (max_payload > buffer_capacity_ || buffer_capacity_ - max_payload < kRecordHeaderSize) {
    throw std::invalid_argument("JournalWriter::reserve: " + std::to_string(max_payload) +
                                " bytes do not fit the buffer; use append()");
  }
  const std::size_t frame_max = kRecordHeaderSize + max_payload;
  try {
    throw_if_sync_failed();
    // Decided on the bound, not the final size: a segment may close a few
    // bytes early, never late.
    if (segment_size_ > kSegmentHeaderSize && segment_size_ + frame_max > options_.segment_size) roll();
    if (buffer_used_ + frame_max > buffer_capacity_) write_buffer();
  } catch (const JournalError& error) {
    fail(error);
  } catch (const std::filesystem::filesystem_error& error) {
    fail(error);
  }
  reserved_ = max_payload;
  return buffer_.get() + buffer_used_ + kRecordHeaderSize;
}

RecordPosition JournalWriter::append_reserved(RecordType type, std::size_t payload_size) {
  check_usable();
  if (type == kInvalidRecordType) throw std::invalid_argument("journal record type 0 is reserved");
  if (payload_size > reserved_) {
    throw std::logic_error("JournalWriter::append_reserved: more bytes than reserved");
  }
  if (payload_size > kMaxPayloadSize) {
    throw std::invalid_argument("journal record payload larger than " + std::to_string(kMaxPayloadSize) + " bytes");
  }
  reserved_ = 0;
  const std::size_t frame_size = kRecordHeaderSize + payload_size;
  const RecordPosition position{segment_number_, segment_size_, next_sequence_};
  std::byte* frame = buffer_.get() + buffer_used_;
  store_u32_le(frame, static_cast<std::uint32_t>(payload_size));
  frame[kRecordTypeOffset] = static_cast<std::byte>(type);
  // Type and payload sit side by side in the frame: one checksum pass.
  const std::uint32_t crc = crc32c(frame + kRecordTypeOffset, 1 + payload_size);
  store_u32_le(frame + kRecordCrcOffset, crc32c_mask(crc));
  buffer_used_ += frame_size;
  segment_size_ += frame_size;
  ++next_sequence_;
  if (options_.fsync == FsyncMode::Never) return position;  // nothing to settle: written when the buffer fills
  try {
    settle(frame_size);
  } catch (const JournalError& error) {
    fail(error);
  } catch (const std::filesystem::filesystem_error& error) {
    fail(error);
  }
  return position;
}

void JournalWriter::settle(std::size_t frame_size) {
  switch (options_.fsync) {
    case FsyncMode::Always:
      write_buffer();
      sync_segment();
      break;
    case FsyncMode::Batch: {
      if (uncommitted_bytes_ == 0) {
        oldest_uncommitted_ = std::chrono::steady_clock::now();
        // With no delay allowed, every append must look at the clock.
        appends_until_clock_check_ = options_.batch_delay.count() > 0 ? kBatchAppendsPerClockCheck : 1;
      }
      uncommitted_bytes_ += frame_size;
      bool due = uncommitted_bytes_ >= options_.batch_bytes;
      if (!due && --appends_until_clock_check_ == 0) {
        appends_until_clock_check_ = kBatchAppendsPerClockCheck;
        due = std::chrono::steady_clock::now() - oldest_uncommitted_ >= options_.batch_delay;
      }
      if (due) {
        write_buffer();
        uncommitted_bytes_ = 0;
        request_sync();
      }
      break;
    }
    case FsyncMode::Never: break;
  }
}

RecordPosition JournalWriter::append(RecordType type, std::string_view payload) {
  return append(type, std::as_bytes(std::span<const char>(payload.data(), payload.size())));
}

void JournalWriter::flush() {
  check_usable();
  try {
    throw_if_sync_failed();
    write_buffer();
  } catch (const JournalError& error) {
    fail(error);
  }
}

void JournalWriter::commit() {
  check_usable();
  try {
    throw_if_sync_failed();
    write_buffer();
    // A background sync finishing after ours would publish an older mark;
    // and one that started after the write may already cover it.
    wait_for_sync_idle();
    sync_segment();
    uncommitted_bytes_ = 0;
  } catch (const JournalError& error) {
    fail(error);
  }
}

bool JournalWriter::commit_if_due() {
  check_usable();
  try {
    throw_if_sync_failed();
  } catch (const JournalError& error) {
    fail(error);
  }
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
    throw_if_sync_failed();
    write_buffer();
    wait_for_sync_idle();
    if (options_.fsync != FsyncMode::Never) sync_segment();
  } catch (...) {
    release();
    throw;
  }
  release();
}

void JournalWriter::release() {
  // Joined before fd_ closes, so the thread never syncs a closed (or reused) fd.
  stop_sync_thread();
  fd_.reset();
  dir_fd_.reset();  // drops the folder lock
  buffer_.reset();
  buffer_capacity_ = 0;
  buffer_used_ = 0;
  uncommitted_bytes_ = 0;
}

}  // namespace flow::journal
