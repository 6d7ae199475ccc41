// Running `flowc build` for the runtime (see flowc_adapter.h).
#include "load/flowc_adapter.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "load/companion_path.h"
#include "load/temp_folder.h"

extern char** environ;

namespace flow::runtime {

namespace {

namespace fs = std::filesystem;

std::string flowc_path() {
  return companion_path("FLOWC", {"flowc", "../compiler/flowc"}, X_OK).value_or("flowc");  // else on PATH
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

}  // namespace

FlowcResult run_flowc_build(const std::string& input, const std::vector<std::string>& include_dirs,
                            DiagnosticFormat format) {
  FlowcResult result;
  TempFolder temp("flowrt-build");
  if (temp.path().empty()) {
    result.error = "cannot create a temporary folder to compile '" + input + "'";
    return result;
  }
  const std::string flowc = flowc_path();
  const std::string output = (temp.path() / "app.flowc").string();
  const std::string messages = (temp.path() / "messages").string();
  std::vector<std::string> args = {flowc, "build", "--quiet", input, "-o", output};
  if (format == DiagnosticFormat::Json) {
    args.push_back("--diagnostics");
    args.push_back("json");
  }
  for (const auto& dir : include_dirs) {
    args.push_back("-I");
    args.push_back(dir);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, messages.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, flowc.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    result.error = "cannot run the compiler '" + flowc + "' to compile '" + input + "' (set FLOWC to its path)";
    return result;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.diagnostics = read_file(messages);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (WIFSIGNALED(status)) {
      result.error = "the compiler '" + flowc + "' was killed by signal " + std::to_string(WTERMSIG(status)) +
                     " while compiling '" + input + "'";
    } else if (code == 127) {
      result.error = "cannot run the compiler '" + flowc + "' (set FLOWC to its path)";
    } else {
      result.error = code == 1 ? input + ": the program has errors" : "cannot compile '" + input + "'";
    }
    return result;
  }
  result.artifact = read_file(output);
  result.ok = true;
  return result;
}

}  // namespace flow::runtime
