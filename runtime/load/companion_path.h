// Where the runtime finds the programs and modules that ship beside it
// (flowc, the JIT module): an environment variable names one explicitly,
// else the first candidate that exists relative to the running executable
// (the installed layout first, then the build tree's).
//
// Limits: the executable's folder comes from /proc/self/exe (Linux).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

namespace flow::runtime {

/// $`env_var` when `env_var` is not null and the variable is set and
/// non-empty; else the first of `relative_paths`
/// (relative to the folder of the running executable) that is accessible
/// with `access_mode` (access(2): X_OK, R_OK); else nullopt.
std::optional<std::string> companion_path(const char* env_var, std::initializer_list<const char*> relative_paths,
                                          int access_mode);

}  // namespace flow::runtime
