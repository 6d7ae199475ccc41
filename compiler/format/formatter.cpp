#include "format/formatter.h"

#include "format/ast_shape.h"
#include "format/printer.h"
#include "parse/parser.h"

namespace flow::format {

namespace {

struct Parsed {
  std::unique_ptr<ast::Module> module;
  std::vector<Comment> comments;
  bool ok = false;
};

Parsed parse(const SourceFile& file, DiagnosticEngine& diags) {
  Parsed parsed;
  size_t errors_before = diags.error_count();
  parsed.module = parse_module(file, diags, &parsed.comments);
  parsed.ok = diags.error_count() == errors_before;
  return parsed;
}

std::string comment_text(const Comment& c) {
  std::string text = c.text;
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.pop_back();
  return text;
}

/// The first line where `a` and `b` differ, for the internal error.
std::string first_difference(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  size_t line_start = a.rfind('\n', i == 0 ? 0 : i - 1);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  auto line_at = [&](const std::string& s) {
    size_t end = s.find('\n', line_start);
    return line_start >= s.size() ? std::string("(end)") : s.substr(line_start, end - line_start);
  };
  return "'" + line_at(a) + "' became '" + line_at(b) + "'";
}

std::string verify(const SourceFile& original, const Parsed& before, const std::string& formatted) {
  SourceFile output(original.path(), formatted);
  DiagnosticEngine diags;
  Parsed after = parse(output, diags);
  if (!after.ok) {
    for (const auto& d : diags.diagnostics()) {
      if (d.severity == Severity::Error) {
        LineColumn at = output.line_column(d.range.begin);
        return "the output does not parse (" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
               d.message + ")";
      }
    }
    return "the output does not parse";
  }
  std::string shape_before = ast_shape(*before.module);
  std::string shape_after = ast_shape(*after.module);
  if (shape_before != shape_after) {
    return "the output parses to a different program: " + first_difference(shape_before, shape_after);
  }
  if (before.comments.size() != after.comments.size()) {
    return "the output has " + std::to_string(after.comments.size()) + " comments instead of " +
           std::to_string(before.comments.size());
  }
  for (size_t i = 0; i < before.comments.size(); ++i) {
    if (comment_text(before.comments[i]) != comment_text(after.comments[i])) {
      return "comment " + std::to_string(i + 1) + " changed: '" + comment_text(before.comments[i]) + "' became '" +
             comment_text(after.comments[i]) + "'";
    }
  }
  return "";
}

}  // namespace

FormatResult format_source(const SourceFile& file, DiagnosticEngine& diags) {
  FormatResult result;
  Parsed parsed = parse(file, diags);
  if (!parsed.ok) {
    result.status = FormatResult::Status::SyntaxErrors;
    return result;
  }
  Printer printer(file, parsed.comments);
  result.text = printer.print(*parsed.module);
  result.message = verify(file, parsed, result.text);
  if (!result.message.empty()) result.status = FormatResult::Status::InternalError;
  return result;
}

std::string verify_formatting(const SourceFile& original, const std::string& formatted) {
  DiagnosticEngine diags;
  Parsed before = parse(original, diags);
  if (!before.ok) return "the original does not parse";
  return verify(original, before, formatted);
}

}  // namespace flow::format
