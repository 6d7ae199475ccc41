// Finding the files that ship beside the runtime (see companion_path.h).
#include "load/companion_path.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace flow::runtime {

std::optional<std::string> companion_path(const char* env_var, std::initializer_list<const char*> relative_paths,
                                          int access_mode) {
  if (const char* env = env_var ? std::getenv(env_var) : nullptr; env && *env) return std::string(env);
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  for (const char* relative : relative_paths) {
    const std::filesystem::path candidate = self.parent_path() / relative;
    if (access(candidate.c_str(), access_mode) == 0) return candidate.lexically_normal().string();
  }
  return std::nullopt;
}

}  // namespace flow::runtime
