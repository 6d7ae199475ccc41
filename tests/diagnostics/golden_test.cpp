// Golden tests for diagnostics: every `.flow` case in tests/diagnostics/
// states, in `// expect:` comments, exactly which diagnostics the compiler
// must report (code, line, column); any difference fails the case and prints
// expected against actual. Also: every registered code has a case, case names
// match what they expect, every example under examples/ checks clean,
// docs/diagnostics.md documents every code with an example that reports it
// and prints what the page shows, and a code the page lists as retired is
// neither registered nor expected. The conventions are described in
// tests/diagnostics/README.md.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "check/program.h"
#include "diag/diagnostic_printer.h"

namespace fs = std::filesystem;

namespace {

const fs::path kCasesDir = FLOW_TESTS_DIR;
const fs::path kExamplesDir = FLOW_EXAMPLES_DIR;
const fs::path kDocsDir = FLOW_DOCS_DIR;

/// One diagnostic, expected or actual: where and which code. Ordered so the
/// two sides compare as multisets and print in source order.
struct Key {
  std::string file;  // the path as the compiler saw it
  uint32_t line = 0;
  uint32_t column = 0;
  std::string code;

  auto tie() const { return std::tie(file, line, column, code); }
  bool operator<(const Key& other) const { return tie() < other.tie(); }
  bool operator==(const Key& other) const { return tie() == other.tie(); }
};

/// `E0102 @4:23 in fail_x.flow`: the expectation syntax, so a line of the
/// report can be pasted back into a case after checking it is right.
std::string describe(const Key& k) {
  std::string file = k.file;
  std::error_code ec;
  fs::path relative = fs::relative(k.file, kCasesDir, ec);
  if (!ec && !relative.empty() && relative.native().rfind("..", 0) != 0) file = relative.string();
  return k.code + " @" + std::to_string(k.line) + ":" + std::to_string(k.column) + " in " + file;
}

/// Expectations of one source text: `// expect: CODE @POS [, CODE @POS]...`
/// where POS is `+N:C` or `-N:C` (N lines after/before the comment's line)
/// or `L:C` (absolute). A malformed expectation is an error, so a typo can
/// never silently expect nothing.
void parse_expectations(const std::string& path, std::string_view text, std::vector<Key>& out,
                        std::vector<std::string>& errors) {
  static const std::regex kComment(R"(//\s*expect:(.*)$)");
  static const std::regex kItem(R"(^[\s,]*([EW][0-9]{4})\s*@([+-]?)([0-9]+):([0-9]+))");
  long line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.find('\n', start), text.size());
    std::string line(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    std::smatch comment;
    if (!std::regex_search(line, comment, kComment)) continue;
    std::string rest = comment[1].str();
    std::smatch item;
    bool any = false;
    while (std::regex_search(rest, item, kItem)) {
      Key k;
      k.file = path;
      k.code = item[1].str();
      long n = std::stol(item[3].str());
      std::string sign = item[2].str();
      long target = sign == "+" ? line_number + n : sign == "-" ? line_number - n : n;
      k.line = static_cast<uint32_t>(std::max(0L, target));
      k.column = static_cast<uint32_t>(std::stoul(item[4].str()));
      out.push_back(k);
      any = true;
      rest = item.suffix().str();
    }
    if (!any || rest.find_first_not_of(" \t\r,") != std::string::npos) {
      errors.push_back(path + ":" + std::to_string(line_number) + ": malformed expectation: " + line);
    }
  }
}

struct CaseResult {
  std::vector<Key> expected;
  std::vector<Key> actual;
  std::map<Key, std::vector<std::string>> messages;  // actual key -> "error: message" lines
  std::vector<std::string> problems;                 // malformed expectations, unreadable case
};

const char* severity_word(flow::Severity s) {
  switch (s) {
    case flow::Severity::Error: return "error";
    case flow::Severity::Warning: return "warning";
    case flow::Severity::Note: return "note";
  }
  return "?";
}

/// Compiles `root` as flowc check does (its imports resolve next to it and
/// in the cases folder).
std::unique_ptr<flow::Program> compile_case(const fs::path& root, flow::DiagnosticEngine& diags) {
  flow::CompileOptions options;
  options.include_dirs.push_back(kCasesDir.string());
  return flow::compile_files({root.string()}, options, diags);
}

/// Compiles one root file in-process and gathers expectations from every
/// file it loaded.
CaseResult run_case(const fs::path& root) {
  CaseResult result;
  flow::DiagnosticEngine diags;
  auto program = compile_case(root, diags);
  if (!program) {
    result.problems.push_back("the case could not be read");
  } else {
    std::set<std::string> seen;
    for (const auto& module : program->modules) {
      const flow::SourceFile* file = module->file;
      if (!file || !seen.insert(file->path()).second) continue;
      parse_expectations(file->path(), std::string(file->text()), result.expected, result.problems);
    }
  }
  for (const auto& d : diags.diagnostics()) {
    Key k;
    k.code = flow::diag_info(d.kind).code;
    if (d.range.file) {
      flow::LineColumn lc = d.range.file->line_column(d.range.begin);
      k.file = d.range.file->path();
      k.line = lc.line;
      k.column = lc.column;
    } else {
      k.file = d.file_path;
    }
    result.actual.push_back(k);
    std::string text = std::string(severity_word(d.severity)) + ": " + d.message;
    if (!d.help.empty()) text += "  (help: " + d.help + ")";
    result.messages[k].push_back(text);
  }
  std::sort(result.expected.begin(), result.expected.end());
  std::sort(result.actual.begin(), result.actual.end());
  return result;
}

/// Empty when the case passes; otherwise a readable report of what differs.
std::string compare(const fs::path& root, const CaseResult& r) {
  std::vector<Key> missing, unexpected;
  std::set_difference(r.expected.begin(), r.expected.end(), r.actual.begin(), r.actual.end(),
                      std::back_inserter(missing));
  std::set_difference(r.actual.begin(), r.actual.end(), r.expected.begin(), r.expected.end(),
                      std::back_inserter(unexpected));
  if (missing.empty() && unexpected.empty() && r.problems.empty()) return "";
  std::ostringstream out;
  out << "case " << fs::relative(root, kCasesDir).string() << " differs from its expectations\n";
  for (const auto& p : r.problems) out << "  problem:    " << p << "\n";
  for (const auto& k : missing) out << "  missing:    " << describe(k) << "\n";
  for (const auto& k : unexpected) {
    out << "  unexpected: " << describe(k);
    for (const auto& m : r.messages.at(k)) out << "\n                " << m;
    out << "\n";
  }
  out << "  expected (" << r.expected.size() << "):\n";
  for (const auto& k : r.expected) out << "    " << describe(k) << "\n";
  out << "  actual (" << r.actual.size() << "):\n";
  std::set<Key> printed;
  for (const auto& k : r.actual) {
    if (!printed.insert(k).second) continue;
    for (const auto& m : r.messages.at(k)) out << "    " << describe(k) << "  " << m << "\n";
  }
  return out.str();
}

/// The case files: `.flow` files directly in the cases folder. Files in
/// subfolders are modules that cases import, never cases of their own.
std::vector<fs::path> case_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCasesDir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".flow") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// FLOW_GOLDEN_FILTER=text runs only the cases whose name contains it.
bool selected(const fs::path& file) {
  const char* filter = std::getenv("FLOW_GOLDEN_FILTER");
  return !filter || !*filter || file.filename().string().find(filter) != std::string::npos;
}

/// The case's kind and code from its name: fail_E0102_..., warn_W0201_..., ok_...
struct CaseName {
  std::string kind;  // "fail", "warn", "ok" or "" (badly named)
  std::string code;
};

CaseName parse_name(const fs::path& file) {
  static const std::regex kName(R"(^(fail|warn)_([EW][0-9]{4})_[A-Za-z0-9_]+$|^ok_[A-Za-z0-9_]+$)");
  std::string stem = file.stem().string();
  std::smatch m;
  if (!std::regex_match(stem, m, kName)) return {};
  if (m[1].matched) return {m[1].str(), m[2].str()};
  return {"ok", ""};
}

/// What `flowc check` prints for the case (no colour), with the cases
/// folder left out of the paths so that the text is the same on any machine.
std::string printed_messages(const fs::path& root) {
  flow::DiagnosticEngine diags;
  auto program = compile_case(root, diags);
  diags.sort();
  std::ostringstream printed;
  for (const auto& d : diags.diagnostics()) flow::print_human(printed, d, flow::PrintOptions{false});
  std::string text = printed.str();
  // The cases folder goes, and the checkout's own folder (the standard
  // library is looked for there) becomes <repo>.
  auto replace_all = [&text](const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  };
  replace_all(kCasesDir.string() + "/", "");
  replace_all(fs::weakly_canonical(kCasesDir / ".." / "..").string() + "/", "<repo>/");
  return text;
}

}  // namespace

TEST_CASE("every diagnostics case reports exactly what it expects", "[golden]") {
  auto files = case_files();
  REQUIRE_FALSE(files.empty());
  size_t run = 0;
  for (const auto& file : files) {
    if (!selected(file)) continue;
    ++run;
    std::string report = compare(file, run_case(file));
    if (report.empty()) continue;
    // Printed whole rather than through Catch, which wraps at 80 columns.
    std::cout << report << "\n";
    FAIL_CHECK("case " << file.filename().string() << " differs from its expectations (details above)");
  }
  CHECK(run > 0);
}

// The message text, help and notes of every case, as the user reads them:
// tests/diagnostics/messages/<case>.txt. FLOW_UPDATE_GOLDEN=1 rewrites them.
TEST_CASE("every case prints the messages of its golden file", "[golden]") {
  const char* update_env = std::getenv("FLOW_UPDATE_GOLDEN");
  const bool update = update_env && std::string(update_env) == "1";
  const fs::path folder = kCasesDir / "messages";
  std::set<std::string> cases;
  for (const auto& file : case_files()) {
    if (!selected(file)) continue;
    cases.insert(file.stem().string());
    const fs::path golden = folder / (file.stem().string() + ".txt");
    const std::string actual = printed_messages(file);
    if (update) {
      fs::create_directories(folder);
      std::ofstream(golden, std::ios::binary) << actual;
      continue;
    }
    std::ifstream in(golden, std::ios::binary);
    std::ostringstream expected;
    expected << in.rdbuf();
    if (!in || expected.str() != actual) {
      std::cout << "case " << file.filename().string() << " prints:\n"
                << actual << "\nbut " << golden.string()
                << (in ? " holds:\n" + expected.str() : std::string(" is missing")) << "\n";
      FAIL_CHECK("case " << file.filename().string() << ": messages differ (FLOW_UPDATE_GOLDEN=1 to rewrite)");
    }
  }
  // A golden file without its case is left over from a renamed case.
  if (!std::getenv("FLOW_GOLDEN_FILTER") && fs::is_directory(folder)) {
    for (const auto& entry : fs::directory_iterator(folder)) {
      INFO(entry.path().string());
      CHECK(cases.count(entry.path().stem().string()) == 1);
    }
  }
}

TEST_CASE("case names agree with their expectations", "[golden]") {
  for (const auto& file : case_files()) {
    if (!selected(file)) continue;
    CaseName name = parse_name(file);
    INFO("case " << file.filename().string());
    if (name.kind.empty()) {
      FAIL_CHECK("a case is named fail_<code>_<what>.flow, warn_<code>_<what>.flow or ok_<what>.flow");
      continue;
    }
    CaseResult r = run_case(file);
    bool has_code =
        std::any_of(r.expected.begin(), r.expected.end(), [&](const Key& k) { return k.code == name.code; });
    bool expects_error =
        std::any_of(r.expected.begin(), r.expected.end(), [](const Key& k) { return k.code[0] == 'E'; });
    if (name.kind == "ok") {
      CHECK(r.expected.empty());
    } else if (name.kind == "fail") {
      CHECK(name.code[0] == 'E');
      CHECK(has_code);
    } else {
      // A warning case shows the warning alone: errors would hide the
      // flow-graph warnings anyway.
      CHECK(name.code[0] == 'W');
      CHECK(has_code);
      CHECK_FALSE(expects_error);
    }
  }
}

TEST_CASE("every registered diagnostic code has a golden case", "[golden]") {
  std::set<std::string> covered;
  for (const auto& file : case_files()) {
    CaseName name = parse_name(file);
    if (name.kind == "ok" || name.kind.empty()) continue;
    for (const auto& k : run_case(file).expected) covered.insert(k.code);
  }
  std::vector<std::string> uncovered;
  for (flow::DiagKind kind : flow::all_diag_kinds()) {
    const auto& info = flow::diag_info(kind);
    if (!covered.count(info.code)) uncovered.push_back(std::string(info.code) + " (" + info.name + ")");
  }
  std::string list;
  for (const auto& u : uncovered) list += "\n  " + u;
  INFO("codes in compiler/diag/diagnostic_kinds.def that no case expects:" << list);
  CHECK(uncovered.empty());
}

TEST_CASE("every example checks without any diagnostic", "[golden][examples]") {
  std::error_code ec;
  if (!fs::is_directory(kExamplesDir, ec)) {
    SUCCEED("no examples folder");
    return;
  }
  std::vector<fs::path> examples;
  for (auto it = fs::recursive_directory_iterator(kExamplesDir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".flow") examples.push_back(it->path());
  }
  std::sort(examples.begin(), examples.end());
  for (const auto& example : examples) {
    flow::DiagnosticEngine diags;
    auto program = flow::compile_files({example.string()}, flow::CompileOptions{}, diags);
    std::ostringstream out;
    for (const auto& d : diags.diagnostics()) {
      out << "\n  " << flow::diag_info(d.kind).code << " ";
      if (d.range.file) {
        flow::LineColumn lc = d.range.file->line_column(d.range.begin);
        out << d.range.file->path() << ":" << lc.line << ":" << lc.column;
      } else {
        out << d.file_path;
      }
      out << ": " << d.message;
    }
    INFO("example " << example.string() << out.str());
    CHECK(program != nullptr);
    CHECK(diags.diagnostics().empty());
  }
}

namespace {

/// One `### CODE Name` section of docs/diagnostics.md: its ```flow blocks
/// (the example's files) and its ```text blocks (what flowc prints).
struct DocSection {
  std::string code;
  std::vector<std::string> flow_blocks;
  std::vector<std::string> text_blocks;
};

std::vector<DocSection> read_doc_sections(const fs::path& path) {
  std::ifstream in(path);
  std::vector<DocSection> sections;
  static const std::regex kHeading(R"(^### ([EW][0-9]{4}) )");
  std::string line;
  std::string* block = nullptr;
  while (std::getline(in, line)) {
    std::smatch m;
    if (block) {
      if (line == "```")
        block = nullptr;
      else
        *block += line + "\n";
    } else if (std::regex_search(line, m, kHeading)) {
      sections.push_back({m[1].str(), {}, {}});
    } else if (!sections.empty() && line == "```flow") {
      block = &sections.back().flow_blocks.emplace_back();
    } else if (!sections.empty() && line == "```text") {
      block = &sections.back().text_blocks.emplace_back();
    }
  }
  return sections;
}

/// The page's notations: `<0xC3>` is one raw byte, `<300×(>` 300 copies.
std::string expand_notations(const std::string& text) {
  static const std::regex kNotation(R"(<0x([0-9A-F]{2})>|<([0-9]+)×(.+?)>)");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), kNotation);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    out += text.substr(last, m.position() - last);
    if (m[1].matched) {
      out += static_cast<char>(std::stoi(m[1].str(), nullptr, 16));
    } else {
      for (int i = std::stoi(m[2].str()); i > 0; --i) out += m[3].str();
    }
    last = m.position() + m.length();
  }
  return out + text.substr(last);
}

}  // namespace

TEST_CASE("docs/diagnostics.md documents every code with a working example", "[golden][docs]") {
  auto sections = read_doc_sections(kDocsDir / "diagnostics.md");
  REQUIRE_FALSE(sections.empty());
  std::set<std::string> documented;
  for (const auto& section : sections) {
    documented.insert(section.code);
    INFO("docs/diagnostics.md, section " << section.code);
    REQUIRE_FALSE(section.flow_blocks.empty());
    // Each block is one file: `// file: NAME.flow` on its first line, or
    // orders.flow. Every file is a root, as with `flowc check a.flow b.flow`.
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& block : section.flow_blocks) {
      std::string name = "orders.flow";
      if (block.rfind("// file: ", 0) == 0) name = block.substr(9, block.find('\n') - 9);
      files.push_back({name, expand_notations(block)});
    }
    flow::DiagnosticEngine diags;
    // The program owns the source files the diagnostics point into.
    auto program = flow::compile_sources(files, flow::CompileOptions{}, diags);
    diags.sort();
    std::ostringstream printed;
    bool reports_code = false;
    for (const auto& d : diags.diagnostics()) {
      flow::print_human(printed, d, flow::PrintOptions{false});
      reports_code |= section.code == flow::diag_info(d.kind).code;
    }
    INFO("flowc prints:\n" << printed.str());
    CHECK(reports_code);
    for (const auto& text : section.text_blocks) {
      INFO("the page shows:\n" << text);
      CHECK(printed.str().find(expand_notations(text)) != std::string::npos);
    }
  }
  std::string undocumented;
  for (flow::DiagKind kind : flow::all_diag_kinds()) {
    if (!documented.count(flow::diag_info(kind).code)) undocumented += std::string(" ") + flow::diag_info(kind).code;
  }
  INFO("codes with no section in docs/diagnostics.md:" << undocumented);
  CHECK(undocumented.empty());
}

namespace {

/// The codes in the table of the `## Retired codes` section of
/// docs/diagnostics.md (rows `| CODE | Name | ... |`), with their names.
std::map<std::string, std::string> read_retired_codes(const fs::path& path) {
  std::ifstream in(path);
  std::map<std::string, std::string> retired;
  static const std::regex kRow(R"(^\| ([EW][0-9]{4}) \| ([A-Za-z0-9]+) \|)");
  bool inside = false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) inside = line == "## Retired codes";
    std::smatch m;
    if (inside && std::regex_search(line, m, kRow)) retired[m[1].str()] = m[2].str();
  }
  return retired;
}

}  // namespace

TEST_CASE("a retired code is neither registered, documented as current nor expected", "[golden][docs]") {
  auto retired = read_retired_codes(kDocsDir / "diagnostics.md");
  REQUIRE_FALSE(retired.empty());
  for (flow::DiagKind kind : flow::all_diag_kinds()) {
    const auto& info = flow::diag_info(kind);
    INFO("registered code " << info.code << " (" << info.name << ")");
    CHECK(retired.count(info.code) == 0);
    for (const auto& [code, name] : retired) CHECK(name != info.name);
  }
  for (const auto& section : read_doc_sections(kDocsDir / "diagnostics.md")) {
    INFO("docs/diagnostics.md, section " << section.code);
    CHECK(retired.count(section.code) == 0);
  }
  for (const auto& file : case_files()) {
    INFO("case " << file.filename().string());
    CHECK(retired.count(parse_name(file).code) == 0);
    for (const auto& k : run_case(file).expected) CHECK(retired.count(k.code) == 0);
  }
}
