#include "format/layout.h"

#include <algorithm>

namespace flow::format {

size_t display_width(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

namespace {

/// A comment on a line of its own, at `indent`, right after the line
/// before: it neither breaks an alignment run nor takes part in it.
bool transparent(const Line& line, int indent) {
  return line.comment_only && !line.blank_before && line.indent == indent &&
         line.cells[0].find('\n') == std::string::npos;
}

/// `b` may join the alignment run of cells that `a` started.
bool same_cell_run(const Line& a, const Line& b) {
  return b.whole_item && !b.blank_before && b.align == a.align && b.indent == a.indent &&
         b.cells.size() == a.cells.size();
}

bool can_align_cells(const Line& line) {
  return line.whole_item && line.align != Align::None && line.cells.size() >= 2;
}

/// Cells joined by one space, each padded to `widths` where given.
std::string join(const std::vector<std::string>& cells, const std::vector<size_t>& widths) {
  std::string out;
  for (size_t c = 0; c < cells.size(); ++c) {
    if (c > 0) out += ' ';
    out += cells[c];
    if (c + 1 < cells.size() && c < widths.size() && widths[c] > display_width(cells[c])) {
      out.append(widths[c] - display_width(cells[c]), ' ');
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

/// The code of every line, cells joined (padded inside aligned runs).
std::vector<std::string> join_cells(const std::vector<Line>& lines) {
  std::vector<std::string> code(lines.size());
  size_t i = 0;
  while (i < lines.size()) {
    size_t end = i + 1;
    if (can_align_cells(lines[i])) {
      for (size_t k = i + 1; k < lines.size(); ++k) {
        if (same_cell_run(lines[i], lines[k]))
          end = k + 1;
        else if (!transparent(lines[k], lines[i].indent))
          break;
      }
    }
    std::vector<size_t> widths;
    if (end - i > 1) {
      widths.assign(lines[i].cells.size(), 0);
      for (size_t k = i; k < end; ++k) {
        if (lines[k].comment_only) continue;
        for (size_t c = 0; c + 1 < widths.size(); ++c) {
          widths[c] = std::max(widths[c], display_width(lines[k].cells[c]));
        }
      }
    }
    for (size_t k = i; k < end; ++k)
      code[k] = join(lines[k].cells, lines[k].comment_only ? std::vector<size_t>{} : widths);
    i = end;
  }
  return code;
}

bool single_line(const std::string& code) {
  return code.find('\n') == std::string::npos;
}

}  // namespace

std::string render(const std::vector<Line>& lines) {
  std::vector<std::string> code = join_cells(lines);
  // Trailing comments align over a run of whole-item lines at one indent,
  // unbroken by blank lines; lines without a comment (and comment lines)
  // stay in the run but do not widen it.
  std::vector<size_t> comment_column(lines.size(), 0);
  size_t i = 0;
  while (i < lines.size()) {
    size_t end = i + 1;
    auto in_run = [&](size_t k) { return lines[k].whole_item && single_line(code[k]); };
    if (in_run(i)) {
      for (size_t k = i + 1; k < lines.size(); ++k) {
        bool joins = in_run(k) && !lines[k].blank_before && lines[k].indent == lines[i].indent;
        if (joins)
          end = k + 1;
        else if (!transparent(lines[k], lines[i].indent))
          break;
      }
    }
    size_t column = 0;
    for (size_t k = i; k < end; ++k) {
      if (!lines[k].comment.empty()) column = std::max(column, display_width(code[k]));
    }
    for (size_t k = i; k < end; ++k) comment_column[k] = column;
    i = end;
  }

  std::string out;
  for (size_t k = 0; k < lines.size(); ++k) {
    const Line& line = lines[k];
    if (line.blank_before && k > 0) out += '\n';
    std::string text(static_cast<size_t>(line.indent), ' ');
    text += code[k];
    if (!line.comment.empty()) {
      if (!code[k].empty()) {
        size_t width = display_width(code[k]);
        text.append(comment_column[k] > width ? comment_column[k] - width : 0, ' ');
        text += ' ';
      }
      text += line.comment;
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
    out += text;
    out += '\n';
  }
  return out;
}

}  // namespace flow::format
