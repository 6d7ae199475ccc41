// Lines, blank lines and comment placement for the Printer.
#include <algorithm>
#include <cstring>

#include "format/printer.h"

namespace flow::format {

namespace {

std::string trimmed(const std::string& text) {
  size_t end = text.size();
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) --end;
  return text.substr(0, end);
}

}  // namespace

// ---- Source queries --------------------------------------------------------

bool Printer::has_newline(uint32_t begin, uint32_t end) const {
  // On one line, no line break of the source is kept.
  if (begin >= end || layout_ == Layout::kOneLine) return false;
  return std::memchr(file_.text().data() + begin, '\n', end - begin) != nullptr;
}

bool Printer::has_blank_line(uint32_t begin, uint32_t end) const {
  std::string_view source = file_.text();
  bool seen_newline = false;
  bool only_space = false;
  for (uint32_t i = begin; i < end && i < source.size(); ++i) {
    char c = source[i];
    if (c == '\n') {
      if (seen_newline && only_space) return true;
      seen_newline = true;
      only_space = true;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\f') {
      only_space = false;
    }
  }
  return false;
}

bool Printer::inside_comment(uint32_t offset) const {
  auto after = std::upper_bound(comments_.begin(), comments_.end(), offset,
                                [](uint32_t value, const Comment& c) { return value < c.range.begin; });
  return after != comments_.begin() && offset < std::prev(after)->range.end;
}

bool Printer::comments_in(uint32_t begin, uint32_t end) const {
  auto first = std::lower_bound(comments_.begin(), comments_.end(), begin,
                                [](const Comment& c, uint32_t value) { return c.range.begin < value; });
  return first != comments_.end() && first->range.begin < end;
}

uint32_t Printer::find_forward(uint32_t begin, uint32_t end, char ch) const {
  std::string_view source = file_.text();
  for (uint32_t i = begin; i < end; ++i) {
    if (source[i] == ch && !inside_comment(i)) return i;
  }
  return end;
}

uint32_t Printer::find_backward(uint32_t begin, uint32_t end, char ch) const {
  std::string_view source = file_.text();
  for (uint32_t i = end; i > begin; --i) {
    if (source[i - 1] == ch && !inside_comment(i - 1)) return i - 1;
  }
  return end;
}

std::string Printer::joined_tokens(SourceRange range) const {
  std::string_view source = file_.text();
  std::string out;
  bool separate = false;
  uint32_t i = range.begin;
  while (i < range.end) {
    char c = source[i];
    if (inside_comment(i)) {
      ++i;
      separate = true;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
      ++i;
      separate = true;
    } else {
      if (separate && !out.empty()) out += ' ';
      separate = false;
      if (c == '"') {  // a string literal, spaces and escapes included
        uint32_t j = i + 1;
        while (j < range.end && source[j] != '"') j += source[j] == '\\' ? 2 : 1;
        j = std::min(j + 1, range.end);
        out += source.substr(i, j - i);
        i = j;
      } else {
        out += c;
        ++i;
      }
    }
  }
  return out;
}

// ---- Lines -----------------------------------------------------------------

void Printer::push_line(int indent) {
  Line line;
  line.indent = indent;
  line.blank_before = blank_pending_ && !lines_.empty() && !body_start_;
  blank_pending_ = false;
  body_start_ = false;
  lines_.push_back(std::move(line));
}

size_t Printer::begin_item(uint32_t begin, int indent, Align align) {
  flush_between_items(begin, indent);
  if (has_blank_line(last_end_, begin)) blank_pending_ = true;
  push_line(indent);
  lines_.back().align = align;
  lines_.back().whole_item = true;
  open_ = true;
  item_indent_ = indent;
  brackets_.clear();
  return lines_.size() - 1;
}

void Printer::end_item(size_t first_line, uint32_t end) {
  if (lines_.size() - 1 != first_line) {
    lines_[first_line].whole_item = false;
    lines_.back().whole_item = false;
  }
  last_end_ = std::max(last_end_, end);
  open_ = false;
}

void Printer::write(std::string_view text) {
  if (!open_) {
    push_line(continuation_indent());
    open_ = true;
  }
  Line& line = lines_.back();
  if (line.cells.size() == 1 && line.cells.back().empty()) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  }
  line.cells.back() += text;
}

void Printer::open_bracket(std::string_view bracket) {
  write(bracket);
  brackets_.push_back(lines_.back().indent);
}

void Printer::close_bracket(std::string_view bracket, bool own_line) {
  int indent = brackets_.empty() ? item_indent_ : brackets_.back();
  if (!brackets_.empty()) brackets_.pop_back();
  if (own_line || !open_) {
    push_line(indent);
    open_ = true;
  }
  write(bracket);
}

void Printer::next_cell() {
  if (!open_) return;  // the item already spans lines: no alignment
  lines_.back().cells.emplace_back();
}

void Printer::break_line() {
  open_ = false;
}

void Printer::open_body(uint32_t brace) {
  body_start_ = true;
  blank_pending_ = false;
  last_end_ = brace + 1;
  open_ = false;
}

void Printer::close_body(uint32_t brace, int inner, int outer) {
  flush_between_items(brace, inner);
  blank_pending_ = false;
  push_line(outer);
  lines_.back().cells.back() = "}";
  open_ = true;
  item_indent_ = outer;
  brackets_.clear();
  last_end_ = brace + 1;
}

// ---- Comments --------------------------------------------------------------

bool Printer::own_line(const Comment& c) const {
  std::string_view source = file_.text();
  for (uint32_t i = c.range.begin; i > 0; --i) {
    char ch = source[i - 1];
    if (ch == '\n') return true;
    if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\f') return false;
  }
  return true;
}

bool Printer::ends_line(const Comment& c) const {
  if (c.kind != Comment::Kind::Block) return true;
  std::string_view source = file_.text();
  for (uint32_t i = c.range.end; i < source.size(); ++i) {
    char ch = source[i];
    if (ch == '\n') return true;
    if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\f') return false;
  }
  return true;
}

bool Printer::can_trail() const {
  return !lines_.empty() && !lines_.back().comment_only && !lines_.back().ends_in_line_comment;
}

void Printer::add_trailing(const Comment& comment) {
  Line& line = lines_.back();
  if (!line.comment.empty()) line.comment += ' ';
  line.comment += trimmed(comment.text);
  line.ends_in_line_comment = comment.kind != Comment::Kind::Block;
  if (line.ends_in_line_comment) open_ = false;
}

void Printer::add_comment_line(const Comment& comment, int indent) {
  push_line(indent);
  Line& line = lines_.back();
  line.cells.back() = trimmed(comment.text);
  line.comment_only = true;
  line.ends_in_line_comment = comment.kind != Comment::Kind::Block;
  open_ = false;
}

void Printer::flush_between_items(uint32_t before, int indent) {
  while (next_comment_ < comments_.size() && comments_[next_comment_].range.begin < before) {
    const Comment& c = comments_[next_comment_++];
    if (!own_line(c) && can_trail()) {
      add_trailing(c);
    } else {
      if (has_blank_line(last_end_, c.range.begin)) blank_pending_ = true;
      add_comment_line(c, indent);
    }
    last_end_ = std::max(last_end_, c.range.end);
  }
}

void Printer::flush_inline(uint32_t before) {
  if (layout_ == Layout::kOneLine) return;  // comments dropped
  while (next_comment_ < comments_.size() && comments_[next_comment_].range.begin < before) {
    const Comment& c = comments_[next_comment_++];
    bool own = own_line(c);
    bool ends = ends_line(c);
    if (own && ends) {
      add_comment_line(c, continuation_indent());
    } else if (own) {
      // A block comment with code after it on its line stays before that code.
      open_ = false;
      write(trimmed(c.text));
      write(" ");
    } else if (!open_ || ends) {
      // After code on its line: it ends that line (the line was maybe already
      // ended, by a line break kept from the source).
      if (can_trail())
        add_trailing(c);
      else
        add_comment_line(c, continuation_indent());
      open_ = false;
    } else {
      write(trimmed(c.text));
      write(" ");
    }
    last_end_ = std::max(last_end_, c.range.end);
  }
}

}  // namespace flow::format
