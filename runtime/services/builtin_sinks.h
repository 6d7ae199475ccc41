// Built-in file sinks: `builtin "jsonl:PATH"` (language.md §8,
// docs/exec-services.md "Built-in services"). Each event the service consumes
// is appended to PATH as one line: the CloudEvents envelope the runtime
// uses for events (ingress/event_encoder.h), then '\n'. The engine builds the
// line; this part owns the files.
//
//  - PATH is relative to flowrt's working directory (like --journal), or
//    absolute. Missing folders are created. The file is appended to, never
//    truncated: a later run adds its lines after the earlier ones.
//  - Each file is opened once per run (on its first line, O_APPEND) and
//    shared by every sink service that names it.
//  - Lines are buffered in memory and handed to the OS (one write per
//    buffer-full, or once the oldest buffered line is 2 ms old, checked on
//    each append), and at the end of the run; durability follows the
//    journal's --fsync mode: always → written and fdatasync'ed before
//    append() returns; batch → synced at the end of the run; never → not
//    synced.
//  - A path that cannot be opened or written fails that append with a
//    one-line reason (the engine journals it as a failed attempt and
//    dead-letters the delivery); the next append tries again.
//
// Not thread-safe: the engine's single event loop is the only caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flow::runtime {

/// The prefix of a JSON-lines sink's builtin name.
inline constexpr std::string_view kJsonLinesSinkPrefix = "jsonl:";

/// The file of a `jsonl:PATH` builtin name; nullopt when `builtin_name` is
/// no JSON-lines sink (or names no path).
std::optional<std::string_view> jsonl_sink_path(std::string_view builtin_name);

/// When the lines reach the disk (the journal's FsyncMode, mapped).
enum class SinkSync {
  EachLine,  ///< write + fdatasync before append() returns
  AtEnd,     ///< buffered; written when due, synced by finish()
  Never,     ///< buffered; written when due and by finish(), never synced
};

class JsonLinesSinks {
 public:
  JsonLinesSinks() = default;
  JsonLinesSinks(const JsonLinesSinks&) = delete;
  JsonLinesSinks& operator=(const JsonLinesSinks&) = delete;
  /// finish(), reporting its errors on stderr.
  ~JsonLinesSinks();

  /// Appends `line` (without its newline) to the file at `path`, opening it
  /// on first use. Returns the reason when the line could not be taken
  /// (then nothing of it is written).
  std::optional<std::string> append(std::string_view path, std::string_view line, SinkSync sync);

  /// Writes every buffered line, syncs the files whose mode asks for it and
  /// closes them. Returns one message per failure.
  std::vector<std::string> finish();

  /// Lines taken since construction (for tests and summaries).
  uint64_t lines() const { return lines_; }

  /// Buffer size at which a file's lines are handed to the OS.
  static constexpr size_t kBufferBytes = 64 * 1024;
  /// Age of the oldest buffered line at which they are handed to the OS.
  static constexpr std::chrono::milliseconds kMaxDelay{2};

 private:
  struct File {
    std::string shown;  // the path as the program wrote it, for messages
    int fd = -1;
    std::string buffer;
    std::chrono::steady_clock::time_point oldest{};
    SinkSync sync = SinkSync::AtEnd;
    bool dirty = false;  // written since the last sync
  };
  std::optional<std::string> open(File& file, const std::string& path);
  std::optional<std::string> write_buffer(File& file);

  std::map<std::string, File> files_;                  // by absolute, normalised path
  std::map<std::string, File*, std::less<>> by_name_;  // by the path as written: no getcwd per line
  uint64_t lines_ = 0;
};

}  // namespace flow::runtime
