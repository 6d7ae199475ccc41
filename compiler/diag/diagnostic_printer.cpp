#include "diag/diagnostic_printer.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

namespace flow {

namespace {
const char* severity_word(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

std::string path_of(const Diagnostic& d) {
  return d.range.file ? d.range.file->path() : d.file_path;
}

/// Replaces tabs and control bytes so the caret line stays aligned.
std::string printable_line(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(c == '\t' ? ' ' : (u < 0x20 || u == 0x7f) ? '?' : c);
  }
  return out;
}

/// Display width of a byte prefix: UTF-8 continuation bytes take no column.
size_t display_width(std::string_view bytes) {
  return std::count_if(bytes.begin(), bytes.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}
}  // namespace

void print_human(std::ostream& out, const Diagnostic& d, const PrintOptions& options) {
  const char* bold = options.colour ? "\033[1m" : "";
  const char* reset = options.colour ? "\033[0m" : "";
  const char* colour = !options.colour ? ""
                       : d.severity == Severity::Error ? "\033[1;31m"
                                                       : "\033[1;33m";
  const char* blue = options.colour ? "\033[1;34m" : "";
  const char* green = options.colour ? "\033[1;32m" : "";

  out << bold << path_of(d);
  LineColumn begin;
  if (d.range.file) {
    begin = d.range.file->line_column(d.range.begin);
    out << ":" << begin.line << ":" << begin.column;
  }
  out << ": " << reset << colour << severity_word(d.severity) << "["
      << diag_info(d.kind).code << "]" << reset << bold << ": " << d.message << reset << "\n";

  if (d.range.file) {
    std::string_view line = d.range.file->line_text(begin.line);
    std::string number = std::to_string(begin.line);
    std::string gutter(number.size(), ' ');
    // Long lines (a 10 MB one-liner) are cut around the caret.
    size_t start = 0;
    if (begin.column > 120) start = begin.column - 60;
    std::string_view shown = line.substr(std::min(start, line.size()), 160);
    out << blue << " " << number << " | " << reset << printable_line(shown) << "\n";
    size_t caret_col = display_width(line.substr(0, begin.column - 1)) -
                       display_width(line.substr(0, std::min(start, line.size())));
    uint32_t line_end_offset = d.range.begin + static_cast<uint32_t>(line.size() - (begin.column - 1));
    uint32_t end = std::min(d.range.end, line_end_offset);
    size_t width = end > d.range.begin
                       ? display_width(d.range.file->text().substr(d.range.begin, end - d.range.begin))
                       : 1;
    width = std::max<size_t>(1, std::min<size_t>(width, 160));
    out << blue << " " << gutter << " | " << reset << std::string(caret_col, ' ') << colour
        << std::string(width, '^') << reset << "\n";
  }
  for (const auto& note : d.notes) out << blue << "note" << reset << ": " << note << "\n";
  if (!d.help.empty()) out << green << "help" << reset << ": " << d.help << "\n";
}

void print_json(std::ostream& out, const Diagnostic& d) {
  nlohmann::json j;
  j["code"] = diag_info(d.kind).code;
  j["severity"] = severity_word(d.severity);
  j["file"] = path_of(d);
  if (d.range.file) {
    LineColumn b = d.range.file->line_column(d.range.begin);
    LineColumn e = d.range.file->line_column(d.range.end);
    j["line"] = b.line;
    j["column"] = b.column;
    j["end"] = {{"line", e.line}, {"column", e.column}};
  } else {
    j["line"] = nullptr;
    j["column"] = nullptr;
    j["end"] = nullptr;
  }
  j["message"] = d.message;
  j["help"] = d.help.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.help);
  if (!d.notes.empty()) j["notes"] = d.notes;
  // Messages may quote invalid UTF-8 from a hostile file: replace, never throw.
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace flow
