// Splits a byte stream (a child's stdout or stderr) into lines with bounded
// memory: bytes are buffered only up to a partial line, and a line longer
// than the limit keeps its first `max_line` bytes, the rest being counted
// and dropped up to the next newline.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace flow::runtime {

class LineSplitter {
 public:
  /// `line` excludes the '\n' (and a trailing '\r'); `cut_bytes` is how many
  /// bytes of it were dropped for exceeding the limit (0 when whole).
  using Sink = std::function<void(std::string_view line, std::size_t cut_bytes)>;

  explicit LineSplitter(std::size_t max_line) : max_line_(max_line == 0 ? 1 : max_line) {}

  /// Feeds a chunk of bytes; calls `sink` for every line it completes.
  void feed(std::string_view bytes, const Sink& sink);
  /// At end of stream: delivers a last line that had no newline, if any.
  void finish(const Sink& sink);

  std::size_t buffered() const { return partial_.size(); }

 private:
  void append_partial(std::string_view piece);
  void emit(std::string_view line, const Sink& sink);

  std::size_t max_line_;
  std::string partial_;   ///< start of the current line (at most max_line_ bytes)
  std::size_t cut_ = 0;   ///< bytes of the current line dropped so far
};

}  // namespace flow::runtime
