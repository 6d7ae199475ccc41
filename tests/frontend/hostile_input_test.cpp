// Hostile input never crashes or hangs the compiler: random bytes, invalid
// UTF-8, unterminated strings and comments, absurd nesting, huge files.
// Each case must end with diagnostics (or none), never a crash.
#include <catch2/catch.hpp>
#include <chrono>
#include <random>

#include "check/program.h"

using namespace flow;

namespace {

std::vector<Diagnostic> check(const std::string& text) {
  DiagnosticEngine diags;
  auto program = compile_sources({{"hostile.flow", text}}, {}, diags);
  REQUIRE(program);
  return diags.diagnostics();
}

bool has_code(const std::vector<Diagnostic>& diags, const char* code) {
  for (const auto& d : diags) {
    if (std::string(diag_info(d.kind).code) == code) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("random bytes produce diagnostics, not crashes") {
  std::mt19937_64 rng(20261125);
  for (int round = 0; round < 200; ++round) {
    std::string text(static_cast<size_t>(rng() % 4096), '\0');
    for (auto& c : text) c = static_cast<char>(rng());
    auto diags = check(text);
    if (!text.empty()) CHECK_FALSE(diags.empty());
    CHECK(diags.size() <= 100);  // capped: no flood of follow-on errors
  }
}

TEST_CASE("random token soup produces diagnostics, not crashes") {
  static const char* kPieces[] = {"event", "rule", "flow", "service", "on", "when", "->", "{", "}", "(", ")",
                                  "[", "]", "X", "y", ":", "int", "=", "1", "2.5", "\"s\"", "and", "not",
                                  "...", "emit", "consumes", "publishes", ",", ";", "if", "then", "else",
                                  "@2026-01-01T00:00:00Z", "15m", "?", "??", "it", ".", "key", "decision"};
  std::mt19937_64 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    size_t n = rng() % 200;
    for (size_t i = 0; i < n; ++i) {
      text += kPieces[rng() % std::size(kPieces)];
      text += ' ';
    }
    check(text);
  }
  SUCCEED("no crash on 300 token soups");
}

TEST_CASE("invalid UTF-8 is reported with E0006") {
  CHECK(has_code(check("event E { a: int }\n\xff\xfe rule"), "E0006"));
  // Inside a string literal and inside a comment too.
  CHECK(has_code(check("const S = \"a\xc3\x28\"\n"), "E0006"));
  CHECK(has_code(check("// comment \xed\xa0\x80 surrogate\nevent E { a: int }\n"), "E0006"));
}

TEST_CASE("unterminated strings and comments are reported once each") {
  auto diags = check("const S = \"abc\nevent E { a: int }\n");
  CHECK(has_code(diags, "E0002"));
  auto comment = check("event E { a: int }\n/* never closed\nrule R(e: E) = true\n");
  CHECK(has_code(comment, "E0003"));
  CHECK(comment.size() == 1);
  // A closed comment is not "unterminated", wherever it is.
  CHECK(check("event A { key id: string } /* x */\n/* a\n * b **/ event B { key id: string } /***/").empty());
}

TEST_CASE("50,000 nested parentheses are bounded with a diagnostic") {
  std::string text = "event E { a: int }\nrule R(e: E) = " + std::string(50000, '(') + "true" +
                     std::string(50000, ')') + "\n";
  auto diags = check(text);
  CHECK(has_code(diags, "E0005"));
  std::string nots = "event E { a: int }\nrule R(e: E) = ";
  for (int i = 0; i < 50000; ++i) nots += "not ";
  nots += "true\n";
  CHECK(has_code(check(nots), "E0005"));
  std::string unclosed = std::string(50000, '[');
  CHECK(has_code(check(unclosed), "E0005"));
}

TEST_CASE("a long left-deep chain is bounded with a diagnostic") {
  std::string text = "event E { a: int }\nrule R(e: E) = e.a";
  for (int i = 0; i < 100000; ++i) text += " + 1";
  text += " > 0\n";
  CHECK(has_code(check(text), "E0005"));
}

TEST_CASE("a 10 MB source file checks, and quickly enough not to look hung") {
  std::string text = "module big\n";
  int i = 0;
  while (text.size() < 10u << 20) {
    std::string n = std::to_string(i++);
    text += "/// Event number " + n + "\nevent Event" + n + " { key id: string, amount: float, note: string? }\n";
    text += "rule Big" + n + "(e: Event" + n + ") = e.amount > " + n + ".0 and e.note == none\n";
  }
  auto started = std::chrono::steady_clock::now();
  auto diags = check(text);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const auto& d : diags) CHECK(d.severity != Severity::Error);
  INFO("10 MB checked in " << seconds << " s");
  CHECK(i > 50000);
}

TEST_CASE("empty and whitespace-only files are valid") {
  CHECK(check("").empty());
  CHECK(check("  \n\t\n// just a comment\n").empty());
}
