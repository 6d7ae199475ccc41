// Thin POSIX file helpers for the journal: an owning file descriptor and
// loops that finish short reads and writes and retry on EINTR. Internal to
// the journal library; failures throw JournalError naming the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace flow::journal::detail {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release();
  void reset();

 private:
  int fd_ = -1;
};

/// open(2) that throws JournalError, naming the file, on failure.
UniqueFd open_or_throw(const std::filesystem::path& path, int flags, unsigned mode = 0644);

/// open(2) that returns an invalid fd and sets `error` instead of throwing.
UniqueFd open_or_error(const std::filesystem::path& path, int flags, std::string* error);

void write_all(int fd, const void* data, std::size_t size, const std::filesystem::path& path);

/// Reads up to `size` bytes at the current offset; returns fewer only at end
/// of file. Returns -1 and sets `error` on failure.
std::int64_t read_full(int fd, void* data, std::size_t size, std::string* error);

void sync_data(int fd, const std::filesystem::path& path);

/// Makes a file's creation, rename or removal in `dir` durable.
void sync_directory(const std::filesystem::path& dir);

std::uint64_t file_size(int fd, const std::filesystem::path& path);

std::string errno_text(int error_number);

}  // namespace flow::journal::detail
