// PUT /definitions (serve.md §1 "Changing definitions without stopping"),
// up to the switch: the body is compiled or checked the way flowrt loads an
// app (runtime/load), and the answer is either
//   - 400 / 415 for a bad request (parameters, content type),
//   - 422 with the diagnostics as JSON when the definitions have errors
//     (flowc's `--diagnostics json` objects: code, severity, file, line,
//     column, end, message, help, notes),
//   - for ?dry_run=1, the replay report of the journal under the new
//     definitions (LiveQueries::dry_run: running instances first), or
//   - the loaded app, ready for the server to journal and switch to, with a
//     200 answer it may complete.
// Nothing here changes the journal or the running definitions.
//
// A `.flow` source (text/plain) is compiled as the file the server was
// started with would be: under its file name (a module without a `module`
// clause is named after its file), with imports looked up in its folder,
// and recorded as built there, so its exec services run where the running
// version's do. An artifact (application/octet-stream) is never run as it
// came: its bitcode and plan are ignored and flowc rebuilds it from the
// sources it embeds (`flowc build APP.flowc`, which also checks that they
// still compile to the definitions it declares); an artifact without its
// sources is refused. What is journaled is the rebuilt artifact (its hash is
// the uploaded one's when the same flowc built both). No bitcode verifier
// is used: flowrt links no LLVM (docs/serve.md "Deploying").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "load/app_loader.h"
#include "serve/query_answer.h"

namespace flow::runtime::serve {

class LiveQueries;

struct DeployRequest {
  std::string_view content_type;  // the Content-Type header
  std::string_view body;
  std::string_view query_string;  // as in the URL: dry_run=1
};

struct DeployOptions {
  /// The file the server was started with (FILE.flow or APP.flowc): an
  /// uploaded source takes its name and folder. Empty: "definitions.flow"
  /// in the working directory.
  std::string root_file;
  std::vector<std::string> include_dirs;  // -I, for sources
  unsigned replay_threads = 1;            // for dry runs
};

struct DeployCheck {
  Answer answer;
  /// The definitions to switch to: set only when they load and this is not
  /// a dry run. Its source_path names the deploy ("orders.flow (PUT
  /// /definitions)"); its artifact is what to journal.
  std::unique_ptr<LoadedApp> app;
  bool dry_run = false;
};

/// `live` answers the dry run (the journal being served).
DeployCheck deploy_check(const DeployRequest& request, const DeployOptions& options, LiveQueries& live);

}  // namespace flow::runtime::serve
