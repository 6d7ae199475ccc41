// Reading artifacts (see artifact.h): the container, then each section.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "artifact/artifact.h"
#include "base/byte_codec.h"

namespace flow::artifact {

namespace {

using nlohmann::json;

bool decode_sources(std::string_view bytes, std::vector<SourceEntry>& out) {
  bytes::Reader in(bytes);
  uint32_t count;
  if (!in.count(count, 13)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    SourceEntry e;
    uint8_t flags;
    if (!in.str(e.module) || !in.str(e.path) || !in.str(e.text) || !in.u8(flags)) return false;
    e.root = flags & 1;
    e.stdlib = flags & 2;
    out.push_back(std::move(e));
  }
  return in.empty();
}

/// Fills the sources' paths and the build folder from the location section.
bool decode_location(std::string_view bytes, ArtifactContents& out) {
  json location = json::parse(bytes, nullptr, false);
  if (location.is_discarded() || !location.is_object() || !location["folder"].is_string() ||
      !location["paths"].is_array() || location["paths"].size() != out.sources.size()) {
    return false;
  }
  for (size_t i = 0; i < out.sources.size(); ++i) {
    if (!location["paths"][i].is_string()) return false;
    out.sources[i].path = location["paths"][i].get<std::string>();
  }
  out.source_folder = location["folder"].get<std::string>();
  out.has_location = true;
  return true;
}

}  // namespace

bool read_artifact(std::string_view bytes, ArtifactContents& out, std::string& error) {
  ContainerFile file;
  if (!parse_container(bytes, file, error)) return false;
  const Section* meta = file.find(kMeta);
  const Section* sources = file.find(kSources);
  const Section* definitions = file.find(kDefinitions);
  if (!meta || !sources || !definitions) {
    error = "malformed artifact: a required section is missing";
    return false;
  }
  json meta_json = json::parse(meta->bytes, nullptr, false);
  if (meta_json.is_discarded() || !meta_json.contains("flowc_version") || !meta_json["flowc_version"].is_string()) {
    error = "malformed artifact: unreadable metadata";
    return false;
  }
  out.flowc_version = meta_json["flowc_version"].get<std::string>();
  if (!decode_sources(sources->bytes, out.sources)) {
    error = "malformed artifact: unreadable sources section";
    return false;
  }
  if (const Section* location = file.find(kLocation); location && !decode_location(location->bytes, out)) {
    error = "malformed artifact: unreadable location section";
    return false;
  }
  for (auto& source : out.sources) {
    if (source.path.empty()) source.path = source.module + ".flow";  // no location: name it by its module
  }
  out.definitions_json = definitions->bytes;
  if (const Section* ir = file.find(kIrText)) out.ir_text = ir->bytes;
  if (const Section* bc = file.find(kBitcode)) out.bitcode = bc->bytes;
  if (const Section* plan = file.find(kPlan)) out.plan = plan->bytes;
  out.content_hash = file.content_hash;
  return true;
}

bool read_artifact_file(const std::string& path, ArtifactContents& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read '" + path + "'";
    return false;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!read_artifact(bytes.str(), out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

}  // namespace flow::artifact
