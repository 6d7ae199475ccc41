// Source buffers and ranges. Every AST node and diagnostic points into a
// SourceFile by byte offsets; line/column are computed on demand so that
// ranges stay two integers wide.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace flow {

class SourceFile;

/// A half-open byte range [begin, end) in one source file.
struct SourceRange {
  const SourceFile* file = nullptr;
  uint32_t begin = 0;
  uint32_t end = 0;

  bool valid() const { return file != nullptr; }
  /// The smallest range covering both (same file assumed).
  SourceRange to(const SourceRange& other) const {
    return {file, begin, other.end > end ? other.end : end};
  }
};

/// 1-based line and column (column counts bytes, as most tools do).
struct LineColumn {
  uint32_t line = 0;
  uint32_t column = 0;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }
  LineColumn line_column(uint32_t offset) const;
  /// The text of a 1-based line without its line terminator.
  std::string_view line_text(uint32_t line) const;
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }
  SourceRange range(uint32_t begin, uint32_t end) const { return {this, begin, end}; }

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

/// Owns every loaded file so ranges stay valid for the whole compilation.
class SourceManager {
 public:
  /// Reads a file; returns nullptr and sets `error` when it cannot be read.
  const SourceFile* load(const std::string& path, std::string& error);
  const SourceFile* add(std::string path, std::string text);

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace flow
