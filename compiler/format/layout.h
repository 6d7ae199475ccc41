// The formatter's output before it becomes text: one Line per output line,
// its code split into cells where alignment may pad. Rendering aligns
// cells and trailing comments over runs of neighbouring lines, as gofmt
// does (a blank line or a line of a multi-line item ends a run; a comment
// line does not), so the result depends on the content only, never on the
// input's spacing, and formatting twice changes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace flow::format {

/// Lines of one kind in a run align their cells (`=` of rules, `{` of
/// one-line events, `=>` of decision arms, the names after
/// start/accepts/end, `->` of subscriptions).
enum class Align : uint8_t { None, Rule, Event, Arm, FlowKeyword, On };

struct Line {
  int indent = 0;
  std::vector<std::string> cells{std::string()};  // joined by one space, or padded in an aligned run
  std::string comment;                            // trailing comment(s) after the code
  Align align = Align::None;
  bool whole_item = false;            // a whole item on this one line: may join alignment runs
  bool comment_only = false;          // a comment on a line of its own
  bool ends_in_line_comment = false;  // `comment` ends with a `//` comment: nothing may follow it
  bool blank_before = false;          // an empty line precedes this one
};

/// The text of `lines`, with cells and trailing comments aligned.
std::string render(const std::vector<Line>& lines);

/// Display width: UTF-8 code points (continuation bytes do not count).
size_t display_width(const std::string& text);

}  // namespace flow::format
