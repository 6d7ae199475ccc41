// Built-in JSON-lines file sinks. See builtin_sinks.h.
#include "services/builtin_sinks.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

namespace flow::runtime {

namespace {

std::string in_quotes(const std::string& path) {
  return "'" + path + "'";
}

}  // namespace

std::optional<std::string_view> jsonl_sink_path(std::string_view builtin_name) {
  if (!builtin_name.starts_with(kJsonLinesSinkPrefix)) return std::nullopt;
  std::string_view path = builtin_name.substr(kJsonLinesSinkPrefix.size());
  if (path.empty()) return std::nullopt;
  return path;
}

JsonLinesSinks::~JsonLinesSinks() {
  for (const auto& error : finish()) std::cerr << "flowrt: " << error << "\n";
}

std::optional<std::string> JsonLinesSinks::open(File& file, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path folder = fs::path(path).parent_path();
  if (!folder.empty()) {
    fs::create_directories(folder, ec);
    if (ec) return "cannot create the folder of sink file " + in_quotes(file.shown) + ": " + ec.message();
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot open sink file " + in_quotes(file.shown) + ": " + std::strerror(errno);
  file.fd = fd;
  return std::nullopt;
}

std::optional<std::string> JsonLinesSinks::write_buffer(File& file) {
  if (file.buffer.empty()) return std::nullopt;
  // A failed write must not leave half a line behind: cut the file back to
  // where this write began (the buffer is kept for the next try).
  off_t start = ::lseek(file.fd, 0, SEEK_END);
  size_t done = 0;
  while (done < file.buffer.size()) {
    ssize_t n = ::write(file.fd, file.buffer.data() + done, file.buffer.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      if (done > 0 && start >= 0 && ::ftruncate(file.fd, start) != 0) {
        // Nothing more can be done: the message below still says it failed.
      }
      return "cannot write to sink file " + in_quotes(file.shown) + ": " + std::strerror(error);
    }
    done += static_cast<size_t>(n);
  }
  file.buffer.clear();
  file.dirty = true;
  return std::nullopt;
}

std::optional<std::string> JsonLinesSinks::append(std::string_view path, std::string_view line, SinkSync sync) {
  auto known = by_name_.find(path);
  if (known == by_name_.end()) {
    std::string name(path);
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(name, ec);
    std::string key = ec ? name : absolute.lexically_normal().string();
    auto it = files_.find(key);
    if (it == files_.end()) {
      File file;
      file.shown = name;
      if (auto error = open(file, key)) return error;  // not remembered: the next append tries again
      it = files_.emplace(key, std::move(file)).first;
    }
    known = by_name_.emplace(name, &it->second).first;
  }
  File& file = *known->second;
  file.sync = sync;
  auto now = std::chrono::steady_clock::now();
  size_t before = file.buffer.size();
  if (file.buffer.empty()) file.oldest = now;
  file.buffer.append(line);
  file.buffer.push_back('\n');
  std::optional<std::string> error;
  if (sync == SinkSync::EachLine) {
    error = write_buffer(file);
    if (!error && ::fdatasync(file.fd) != 0) {
      error = "cannot sync sink file " + in_quotes(file.shown) + ": " + std::strerror(errno);
    }
    if (!error) file.dirty = false;
  } else if (file.buffer.size() >= kBufferBytes || now - file.oldest >= kMaxDelay) {
    error = write_buffer(file);
  }
  if (error) {
    if (file.buffer.size() > before) file.buffer.resize(before);  // this line was not taken
    return error;
  }
  ++lines_;
  return std::nullopt;
}

std::vector<std::string> JsonLinesSinks::finish() {
  std::vector<std::string> errors;
  for (auto& [key, file] : files_) {
    if (auto error = write_buffer(file)) {
      errors.push_back(*error + " (" + std::to_string(file.buffer.size()) + " bytes lost)");
    }
    if (file.dirty && file.sync != SinkSync::Never && ::fdatasync(file.fd) != 0) {
      errors.push_back("cannot sync sink file " + in_quotes(file.shown) + ": " + std::strerror(errno));
    }
    if (::close(file.fd) != 0) {
      errors.push_back("cannot close sink file " + in_quotes(file.shown) + ": " + std::strerror(errno));
    }
  }
  files_.clear();
  by_name_.clear();
  return errors;
}

}  // namespace flow::runtime
