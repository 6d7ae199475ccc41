// Fuzz target: the artifact loader (runtime/load) on arbitrary bytes, as
// `flowrt run APP.flowc` and the journal's definition records use it. Each
// input is loaded twice: as given, and "sealed" — its last 32 bytes
// replaced by the SHA-256 of the rest — so that mutations get past the
// content hash into the sections, the embedded sources (compiled again)
// and the definitions check. Nothing is JIT-compiled: loading only reads,
// checks and lowers. Invariants: no crash or sanitizer report; an artifact
// is loaded whole or refused with a one-line reason; a loaded artifact is
// the bytes given, hashed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "artifact/artifact_file.h"
#include "fuzz_check.h"
#include "load/app_loader.h"

namespace flow::fuzz {

namespace {

constexpr size_t kHashBytes = 32;

void load(std::string_view bytes) {
  std::string error;
  auto app = runtime::load_app_from_bytes(bytes, "fuzz.flowc", error);
  if (!app) {
    FLOW_FUZZ_CHECK(!error.empty(), "an artifact refused without a reason");
    FLOW_FUZZ_CHECK(error.find('\n') == std::string::npos, ("a reason of more than one line: " + error).c_str());
    return;
  }
  FLOW_FUZZ_CHECK(app->plan && app->plan->module, "an artifact loaded half");
  FLOW_FUZZ_CHECK(app->artifact_bytes == bytes, "the loaded artifact is not the bytes given");
  FLOW_FUZZ_CHECK(app->content_hash == artifact::sha256_hex(bytes.substr(0, bytes.size() - kHashBytes)),
                  "the content hash is not the hash of the artifact");
}

}  // namespace

void artifact_one_input(std::string_view bytes) {
  load(bytes);
  if (bytes.size() < kHashBytes) return;
  std::string sealed(bytes.substr(0, bytes.size() - kHashBytes));
  const std::string hex = artifact::sha256_hex(sealed);
  for (size_t i = 0; i < kHashBytes; ++i)
    sealed.push_back(static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16)));
  if (sealed != bytes) load(sealed);
}

}  // namespace flow::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  flow::fuzz::artifact_one_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
