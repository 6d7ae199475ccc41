// Modules and imports: std.* from stdlib/, relative modules, -I, aliases.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "check/program.h"

using namespace flow;
namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("flow-modules-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& relative, const std::string& text) const {
    fs::path file = path / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file.string();
  }
};

std::vector<std::string> codes(const DiagnosticEngine& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.diagnostics()) out.push_back(diag_info(d.kind).code);
  return out;
}
}  // namespace

TEST_CASE("std modules are found in the standard library") {
  TempDir dir;
  std::string main = dir.write("alerts.flow", R"(
import std.runtime
event Alerted { key instance: string }
service Page { consumes d: DeliveryDeadLettered publishes Alerted emit Alerted { instance: d.instance } }
flow Alerting { start std.runtime.DeliveryDeadLettered end Alerted on DeliveryDeadLettered when TimedOut -> Page }
)");
  DiagnosticEngine diags;
  auto program = compile_files({main}, {}, diags);
  REQUIRE(program);
  CHECK(codes(diags).empty());
  CHECK(program->ok);
  CHECK(program->find("std.runtime.DeliveryDeadLettered"));
}

TEST_CASE("relative modules, -I folders and aliases resolve") {
  TempDir dir;
  dir.write("shared/common.flow", "event Ping { key id: string }\nrule Always(p: Ping) = true\n");
  dir.write("lib/extra.flow", "event Pong { key id: string }\n");
  std::string main = dir.write("app.flow", R"(
import shared.common as c
import extra
service Echo { consumes p: c.Ping publishes extra.Pong emit Pong { id: p.id } }
flow F { start Ping end Pong on Ping when c.Always -> Echo }
)");
  DiagnosticEngine diags;
  CompileOptions options;
  options.include_dirs = {(dir.path / "lib").string()};
  auto program = compile_files({main}, options, diags);
  REQUIRE(program);
  CHECK(codes(diags).empty());
}

TEST_CASE("an unknown module and an unreadable file are reported") {
  TempDir dir;
  std::string main = dir.write("app.flow", "import nowhere.to.be.found\nevent E { a: int }\n");
  DiagnosticEngine diags;
  auto program = compile_files({main}, {}, diags);
  REQUIRE(program);
  CHECK(codes(diags) == std::vector<std::string>{"E0106"});

  DiagnosticEngine missing;
  CHECK_FALSE(compile_files({(dir.path / "absent.flow").string()}, {}, missing));
  REQUIRE(missing.diagnostics().size() == 1);
}
