// `flowc fmt`: rewrites Flow files in canonical form (compiler/format/).
#pragma once

#include <string>
#include <vector>

namespace flow {

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;      // write nothing; list unformatted files, exit 1 if any
  bool to_stdout = false;  // print the formatted text instead of rewriting
  bool colour = false;     // colour diagnostics
};

/// Formats every file; returns the exit status (0 ok, 1 syntax errors, an
/// internal error or — with --check — a file not formatted, 2 a file that
/// cannot be read or written).
int run_fmt(const FmtOptions& options);

}  // namespace flow
