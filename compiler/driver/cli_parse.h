// Command-line parsing shared by flowc and flowrt: CLI11 with the exit
// statuses of runtime.md §1 — help and --version exit 0, any usage error 2.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>

namespace flow {

inline constexpr int kExitUsageError = 2;

/// Parses; returns an exit status when the program should stop now (help,
/// version, or a usage error already printed), nothing when it should run.
inline std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsageError;
  }
  return std::nullopt;
}

}  // namespace flow
