// POSIX file helpers; see file_io.h.
#include "journal/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "journal/journal_problem.h"

namespace flow::journal::detail {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int UniqueFd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::reset() {
  // close() errors are not actionable here: data that had to be durable was
  // synced explicitly before, and retrying close() on Linux is wrong.
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string errno_text(int error_number) {
  return std::strerror(error_number);
}

UniqueFd open_or_throw(const std::filesystem::path& path, int flags, unsigned mode) {
  UniqueFd fd;
  do {
    fd = UniqueFd(::open(path.c_str(), flags | O_CLOEXEC, static_cast<mode_t>(mode)));
  } while (!fd.valid() && errno == EINTR);
  if (!fd.valid()) throw JournalError("cannot open " + path.string() + ": " + errno_text(errno));
  return fd;
}

UniqueFd open_or_error(const std::filesystem::path& path, int flags, std::string* error) {
  UniqueFd fd;
  do {
    fd = UniqueFd(::open(path.c_str(), flags | O_CLOEXEC));
  } while (!fd.valid() && errno == EINTR);
  if (!fd.valid() && error != nullptr) *error = "cannot open: " + errno_text(errno);
  return fd;
}

void write_all(int fd, const void* data, std::size_t size, const std::filesystem::path& path) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw JournalError("cannot write " + path.string() + ": " + errno_text(errno));
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

std::int64_t read_full(int fd, void* data, std::size_t size, std::string* error) {
  auto* p = static_cast<char*>(data);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, p + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (error != nullptr) *error = "read failed: " + errno_text(errno);
      return -1;
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return static_cast<std::int64_t>(done);
}

void sync_data(int fd, const std::filesystem::path& path) {
  int rc;
  do {
    rc = ::fdatasync(fd);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) throw JournalError("cannot sync " + path.string() + ": " + errno_text(errno));
}

void sync_directory(const std::filesystem::path& dir) {
  UniqueFd fd = open_or_throw(dir, O_RDONLY | O_DIRECTORY);
  int rc;
  do {
    rc = ::fsync(fd.get());
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) throw JournalError("cannot sync folder " + dir.string() + ": " + errno_text(errno));
}

std::uint64_t file_size(int fd, const std::filesystem::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    throw JournalError("cannot stat " + path.string() + ": " + errno_text(errno));
  }
  return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace flow::journal::detail
