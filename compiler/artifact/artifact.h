// What a `.flowc` artifact holds and how it is written and read back
// (runtime.md §1 `flowc build`). The container (artifact_file.h) seals the
// sections; this file gives them meaning:
//   Meta         JSON: flowc version, format, root files
//   Sources      every module's path, name and text (roots, imports, std.*)
//   Definitions  JSON: events with layouts, services, flows, the dispatch table
//   IrText       the lowered IR, printed (for people and `--emit=ir`)
//   Bitcode      LLVM bitcode of the predicate module (when built with the JIT)
//   Plan         the runtime plan (plan/plan_format.h): what flowrt executes
//   Location     JSON: the folder the root files were in when built, and
//                each module's path relative to it (not part of the
//                content hash: artifact_file.h)
// The runtime reads the plan and never the sources: they are there for
// people, for `explain`, and for `flowc` to rebuild an artifact that has no
// plan (one built before plans existed; artifact_writer.h). Writing is the
// compiler's (artifact_writer.h); reading is here, free of the front end.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "artifact/artifact_file.h"

namespace flow::artifact {

enum SectionKind : uint32_t {
  kMeta = 1,
  kSources = 2,
  kDefinitions = 3,
  kIrText = 4,
  kBitcode = 5,
  kPlan = 6,
  kLocation = kLocationBit | 1,
};

struct SourceEntry {
  std::string module;  // module name
  /// Relative to the build folder (ArtifactContents::source_folder); in
  /// artifacts without a location section, as it was loaded.
  std::string path;
  std::string text;
  bool root = false;
  bool stdlib = false;
};

struct ArtifactContents {
  std::string flowc_version;
  std::vector<SourceEntry> sources;
  std::string definitions_json;
  std::string ir_text;
  std::string bitcode;  // empty when none
  std::string plan;     // the plan section; empty in artifacts built before plans
  std::string content_hash;
  /// The absolute folder of the root files when the artifact was built;
  /// empty for artifacts without a location section.
  std::string source_folder;
  /// It has a location section; artifacts without one were built when a
  /// root without a `module` clause named its declarations after its file.
  bool has_location = false;
};

/// Reads and verifies; on failure returns false with a one-line reason.
bool read_artifact(std::string_view bytes, ArtifactContents& out, std::string& error);
bool read_artifact_file(const std::string& path, ArtifactContents& out, std::string& error);

}  // namespace flow::artifact
