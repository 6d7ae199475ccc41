#include "artifact/artifact_file.h"

#include <nettle/sha2.h>

#include <cstring>

#include "base/byte_codec.h"

namespace flow::artifact {

namespace {

// Nettle's SHA-256 needs no set-up: OpenSSL's EVP would load its
// configuration and fetch a provider first, a millisecond of every start.
std::string raw_sha256(std::string_view bytes) {
  sha256_ctx context;
  sha256_init(&context);
  sha256_update(&context, bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data()));
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&context, sizeof digest, digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string to_hex(std::string_view raw) {
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

constexpr size_t kHashBytes = 32;

}  // namespace

const Section* ContainerFile::find(uint32_t kind) const {
  for (const auto& s : sections) {
    if (s.kind == kind) return &s;
  }
  return nullptr;
}

std::string sha256_hex(std::string_view bytes) {
  return to_hex(raw_sha256(bytes));
}

namespace {

/// The container's bytes before the seal, with or without its location
/// sections.
std::string container_body(const ContainerFile& file, bool with_location) {
  bytes::Writer out;
  out.bytes().assign(kMagic, sizeof kMagic);
  out.u32(file.format_version);
  size_t count = 0;
  for (const auto& section : file.sections) count += with_location || !(section.kind & kLocationBit);
  out.u32(static_cast<uint32_t>(count));
  for (const auto& section : file.sections) {
    if (!with_location && (section.kind & kLocationBit)) continue;
    out.u32(section.kind);
    out.u64(section.bytes.size());
    out.bytes() += section.bytes;
  }
  return std::move(out.bytes());
}

bool has_location(const ContainerFile& file) {
  for (const auto& section : file.sections) {
    if (section.kind & kLocationBit) return true;
  }
  return false;
}

}  // namespace

std::string serialize_container(ContainerFile& file) {
  std::string out = container_body(file, true);
  std::string digest = raw_sha256(out);
  file.content_hash = to_hex(has_location(file) ? raw_sha256(container_body(file, false)) : digest);
  out += digest;
  return out;
}

bool parse_container(std::string_view bytes, ContainerFile& out, std::string& error) {
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    error = bytes.empty() ? "empty file: not a Flow artifact" : "not a Flow artifact (bad magic bytes)";
    return false;
  }
  bytes::Reader reader(bytes.substr(sizeof kMagic));
  uint32_t version = 0, count = 0;
  if (!reader.u32(version)) {
    error = "truncated artifact: the header is cut short";
    return false;
  }
  if (bytes.size() < sizeof kMagic + 8 + kHashBytes) {
    error = "truncated artifact: " + std::to_string(bytes.size()) + " bytes is too short to be one";
    return false;
  }
  // The hash first: any flipped bit anywhere is reported as corruption,
  // whatever field it happens to land in.
  std::string_view body = bytes.substr(0, bytes.size() - kHashBytes);
  std::string_view stored = bytes.substr(bytes.size() - kHashBytes);
  std::string digest = raw_sha256(body);
  bool intact = digest == stored;
  if (version != kFormatVersion) {
    error = "artifact format version " + std::to_string(version) + ", but this tool reads version " +
            std::to_string(kFormatVersion) + (intact ? ": rebuild it with this flowc" : " (or the file is corrupt)");
    return false;
  }
  if (!intact) {
    error = "content hash mismatch: the artifact is corrupt or truncated";
    return false;
  }
  reader = bytes::Reader(body.substr(sizeof kMagic + 4));
  if (!reader.u32(count)) {
    error = "truncated artifact: no section count";
    return false;
  }
  out.format_version = version;
  out.sections.clear();
  for (uint32_t i = 0; i < count; ++i) {
    Section section;
    uint64_t length = 0;
    std::string_view payload;
    if (!reader.u32(section.kind) || !reader.u64(length) || !reader.take(length, payload)) {
      error = "malformed artifact: section " + std::to_string(i) + " runs past the end";
      return false;
    }
    section.bytes.assign(payload);
    out.sections.push_back(std::move(section));
  }
  if (reader.remaining() != 0) {
    error = "malformed artifact: " + std::to_string(reader.remaining()) + " unexpected bytes after the sections";
    return false;
  }
  out.content_hash = to_hex(has_location(out) ? raw_sha256(container_body(out, false)) : digest);
  return true;
}

}  // namespace flow::artifact
