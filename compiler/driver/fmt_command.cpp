#include "driver/fmt_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "diag/diagnostic_printer.h"
#include "format/formatter.h"

namespace fs = std::filesystem;

namespace flow {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitErrors = 1;
constexpr int kExitIo = 2;
constexpr uintmax_t kMaxSourceBytes = 256u << 20;  // as flowc check

bool read_file(const std::string& path, std::string& text, std::string& error) {
  if (path == "-") {  // standard input
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    if (std::cin.bad()) {
      error = "read error";
      return false;
    }
    text = buffer.str();
    if (text.size() > kMaxSourceBytes) {
      error = "input is too large (the limit is 256 MiB)";
      return false;
    }
    return true;
  }
  std::error_code ec;
  uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxSourceBytes) {
    error = "file is too large (" + std::to_string(size >> 20) + " MiB; the limit is 256 MiB)";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "read error";
    return false;
  }
  text = buffer.str();
  return true;
}

/// Replaces the file's contents atomically: a temporary file next to it
/// (same permissions), then rename. A symbolic link keeps pointing at the
/// rewritten target.
bool write_atomically(const std::string& path, const std::string& text, std::string& error) {
  std::error_code ec;
  fs::path target = fs::canonical(path, ec);
  if (ec) target = path;
  std::string temp = target.string() + ".fmt-XXXXXX";
  int fd = mkstemp(temp.data());
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  struct stat original;
  bool ok = true;
  if (stat(target.c_str(), &original) == 0) ok = fchmod(fd, original.st_mode & 07777) == 0;
  size_t written = 0;
  while (ok && written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      ok = false;
    else
      written += static_cast<size_t>(n);
  }
  if (ok) ok = fsync(fd) == 0;
  if (!ok) error = std::strerror(errno);
  if (close(fd) != 0 && ok) {
    error = std::strerror(errno);
    ok = false;
  }
  if (ok && rename(temp.c_str(), target.c_str()) != 0) {
    error = std::strerror(errno);
    ok = false;
  }
  if (!ok) unlink(temp.c_str());
  return ok;
}

}  // namespace

int run_fmt(const FmtOptions& options) {
  int status = kExitOk;
  size_t errors = 0;
  for (const auto& path : options.files) {
    std::string text;
    std::string error;
    if (!read_file(path, text, error)) {
      std::cerr << "flowc: error: cannot read " << path << ": " << error << "\n";
      status = std::max(status, kExitIo);
      continue;
    }
    const bool from_stdin = path == "-";
    SourceFile file(from_stdin ? "<stdin>" : path, std::move(text));
    DiagnosticEngine diags;
    format::FormatResult result = format::format_source(file, diags);
    switch (result.status) {
      case format::FormatResult::Status::SyntaxErrors: {
        diags.sort();
        PrintOptions print_options{options.colour};
        for (const auto& d : diags.diagnostics()) print_human(std::cerr, d, print_options);
        errors += diags.error_count();
        status = std::max(status, kExitErrors);
        break;
      }
      case format::FormatResult::Status::InternalError:
        std::cerr << "flowc: internal error: formatting " << path << " would change it: " << result.message
                  << "; the file was left unchanged (please report this)\n";
        status = std::max(status, kExitErrors);
        break;
      case format::FormatResult::Status::Ok:
        if (options.to_stdout || (from_stdin && !options.check)) {
          std::cout << result.text;  // standard input is formatted to standard output
        } else if (result.text != file.text()) {
          if (options.check) {
            std::cerr << file.path() << ": not formatted\n";
            status = std::max(status, kExitErrors);
          } else if (!write_atomically(path, result.text, error)) {
            std::cerr << "flowc: error: cannot write " << path << ": " << error << "\n";
            status = std::max(status, kExitIo);
          }
        }
        break;
    }
  }
  if (errors) std::cerr << errors << " error" << (errors == 1 ? "" : "s") << ", 0 warnings\n";
  return status;
}

}  // namespace flow
