// flowc fmt (compiler/format/): golden cases, idempotence and faithfulness
// on every example, the standard library and every diagnostics case that
// parses, the parse layer's comments, and the safety net that refuses
// output which does not mean what the input meant.
//   cases/NAME/input.flow -> cases/NAME/expected.flow
//   FLOW_UPDATE_GOLDEN=1 ./tests/format_tests   rewrites the expected files
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "format/formatter.h"
#include "parse/parser.h"

using namespace flow;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Formats `text`; fails the test unless formatting succeeded.
std::string format_text(const std::string& path, const std::string& text) {
  SourceFile file(path, text);
  DiagnosticEngine diags;
  format::FormatResult result = format::format_source(file, diags);
  INFO(path << ": " << result.message);
  REQUIRE(result.status == format::FormatResult::Status::Ok);
  return result.text;
}

bool parses_cleanly(const std::string& path, const std::string& text) {
  SourceFile file(path, text);
  DiagnosticEngine diags;
  parse_module(file, diags);
  return !diags.has_errors();
}

size_t comment_count(const std::string& text) {
  SourceFile file("count.flow", text);
  DiagnosticEngine diags;
  std::vector<Comment> comments;
  parse_module(file, diags, &comments);
  return comments.size();
}

std::vector<fs::path> flow_files(const fs::path& dir, bool recursive) {
  std::vector<fs::path> out;
  auto take = [&](const fs::directory_entry& entry) {
    if (entry.is_regular_file() && entry.path().extension() == ".flow") out.push_back(entry.path());
  };
  if (recursive) {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) take(entry);
  } else {
    for (const auto& entry : fs::directory_iterator(dir)) take(entry);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// fmt(x) parses to the same program with the same comments (checked by
/// verify_formatting, independently of format_source's own check), and
/// fmt(fmt(x)) == fmt(x).
void check_faithful_and_idempotent(const fs::path& path, const std::string& text) {
  std::string once = format_text(path.string(), text);
  SourceFile original(path.string(), text);
  INFO(path.string());
  CHECK(format::verify_formatting(original, once) == "");
  CHECK(comment_count(once) == comment_count(text));
  std::string twice = format_text(path.string(), once);
  CHECK(twice == once);
}

}  // namespace

TEST_CASE("golden cases: input.flow formats to expected.flow, which is stable") {
  bool update = std::getenv("FLOW_UPDATE_GOLDEN") && std::string(std::getenv("FLOW_UPDATE_GOLDEN")) == "1";
  size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(FLOW_FORMAT_CASES_DIR)) {
    if (!entry.is_directory()) continue;
    ++cases;
    fs::path input = entry.path() / "input.flow";
    fs::path expected_path = entry.path() / "expected.flow";
    INFO("case " << entry.path().filename().string());
    REQUIRE(fs::exists(input));
    std::string source = read(input);
    std::string formatted = format_text(input.string(), source);
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << formatted;
      continue;
    }
    REQUIRE(fs::exists(expected_path));
    std::string expected = read(expected_path);
    CHECK(formatted == expected);
    CHECK(format_text(expected_path.string(), expected) == expected);
    check_faithful_and_idempotent(input, source);
  }
  CHECK(cases >= 5);
}

TEST_CASE("every example and the standard library are formatted, faithfully and stably") {
  // examples/*/*.flow and stdlib/std/*.flow are kept formatted (flowc fmt
  // --check passes on them); deeper files need only format faithfully.
  std::vector<fs::path> formatted;
  for (const auto& entry : fs::directory_iterator(FLOW_EXAMPLES_DIR)) {
    if (entry.is_directory()) {
      for (const auto& path : flow_files(entry.path(), false)) formatted.push_back(path);
    }
  }
  for (const auto& path : flow_files(fs::path(FLOW_STDLIB_DIR) / "std", false)) formatted.push_back(path);
  REQUIRE(formatted.size() >= 4);
  for (const auto& path : formatted) {
    std::string text = read(path);
    INFO(path.string() << " is not formatted: run flowc fmt on it");
    CHECK(format_text(path.string(), text) == text);
  }
  std::vector<fs::path> all = flow_files(FLOW_EXAMPLES_DIR, true);
  for (const auto& path : flow_files(FLOW_STDLIB_DIR, true)) all.push_back(path);
  for (const auto& path : all) {
    std::string text = read(path);
    if (parses_cleanly(path.string(), text)) check_faithful_and_idempotent(path, text);
  }
}

TEST_CASE("every diagnostics case that parses formats faithfully and stably") {
  size_t formatted = 0;
  for (const auto& path : flow_files(FLOW_DIAGNOSTICS_DIR, true)) {
    std::string text = read(path);
    if (!parses_cleanly(path.string(), text)) continue;
    check_faithful_and_idempotent(path, text);
    ++formatted;
  }
  CHECK(formatted >= 50);
}

TEST_CASE("a file with syntax errors is not formatted") {
  SourceFile file("broken.flow", "event E { key id: string\nrule R(e: E) = e.id ==\n");
  DiagnosticEngine diags;
  format::FormatResult result = format::format_source(file, diags);
  CHECK(result.status == format::FormatResult::Status::SyntaxErrors);
  CHECK(diags.has_errors());
  CHECK(result.text.empty());
}

TEST_CASE("the parse layer hands out every comment with its position") {
  SourceFile file("c.flow", "// one\n/// doc\nevent E { /* two */ key id: string } // three\n");
  DiagnosticEngine diags;
  std::vector<Comment> comments;
  auto module = parse_module(file, diags, &comments);
  REQUIRE(!diags.has_errors());
  REQUIRE(comments.size() == 4);
  CHECK(comments[0].kind == Comment::Kind::Line);
  CHECK(comments[0].text == "// one");
  CHECK(comments[1].kind == Comment::Kind::Doc);
  CHECK(comments[2].kind == Comment::Kind::Block);
  CHECK(comments[2].text == "/* two */");
  CHECK(comments[2].start.line == 3);
  CHECK(comments[2].start.column == 11);
  CHECK(comments[2].range.begin == 25);
  CHECK(comments[3].text == "// three");
  // Comments stay out of the parser's way: the doc comment is still the event's.
  REQUIRE(module->decls.size() == 1);
  CHECK(module->decls[0]->doc == "doc");
}

TEST_CASE("the safety net refuses output that changes the program or its comments") {
  SourceFile original("o.flow", "// head\nevent E { key id: string, n: int }\nrule R(e: E) = e.n + 1 > 2 * 3 // why\n");
  CHECK(format::verify_formatting(original,
                                  "// head\nevent E { key id: string, n: int }\n"
                                  "rule R(e: E) = e.n + 1 > 2 * 3 // why\n") == "");
  // A comment lost, or changed.
  CHECK(format::verify_formatting(original,
                                  "event E { key id: string, n: int }\n"
                                  "rule R(e: E) = e.n + 1 > 2 * 3 // why\n") != "");
  CHECK(format::verify_formatting(original,
                                  "// head\nevent E { key id: string, n: int }\n"
                                  "rule R(e: E) = e.n + 1 > 2 * 3 // who\n") != "");
  // Parentheses that change the meaning.
  CHECK(format::verify_formatting(original,
                                  "// head\nevent E { key id: string, n: int }\n"
                                  "rule R(e: E) = e.n + (1 > 2) * 3 // why\n") != "");
  // A literal, an operator, a name.
  CHECK(format::verify_formatting(original,
                                  "// head\nevent E { key id: string, n: int }\n"
                                  "rule R(e: E) = e.n + 1 > 2 * 4 // why\n") != "");
  CHECK(format::verify_formatting(original,
                                  "// head\nevent E { key id: string, n: int }\n"
                                  "rule R(e: E) = e.n - 1 > 2 * 3 // why\n") != "");
  CHECK(format::verify_formatting(original,
                                  "// head\nevent E { key id: string, m: int }\n"
                                  "rule R(e: E) = e.n + 1 > 2 * 3 // why\n") != "");
  // Output that does not parse.
  CHECK(format::verify_formatting(original,
                                  "// head\nevent E { key id: string, n: int }\n"
                                  "rule R(e: E) = e.n + 1 > // why\n") != "");
}

TEST_CASE("literals keep their spelling and redundant parentheses stay") {
  std::string source =
      "const A = 1_000\nconst B = 1.50e3\nconst C = 2d\nconst D = \"caf\\u{E9}\\t\"\n"
      "const E = @2026-01-31T12:00:00.5+01:00\nconst F = (A + 1) * 2 + (A * 2)\n";
  CHECK(format_text("l.flow", source) == source);
  CHECK(format_text("p.flow", "const X = -  ( 1+2 )*3\nconst Y=- 9223372036854775808\n") ==
        "const X = -(1 + 2) * 3\nconst Y = -9223372036854775808\n");
}
