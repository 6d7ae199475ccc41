#include "artifact/artifact_file.h"

#include <openssl/evp.h>

#include <cstring>

namespace flow::artifact {

namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  bool u32(uint32_t& v) {
    if (remaining() < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
    pos_ += 4;
    return true;
  }
  bool u64(uint64_t& v) {
    if (remaining() < 8) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
    pos_ += 8;
    return true;
  }
  bool take(uint64_t n, std::string_view& out) {
    if (remaining() < n) return false;
    out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  size_t remaining() const { return bytes_.size() - pos_; }
  size_t position() const { return pos_; }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

std::string raw_sha256(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(digest), length);
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
  std::string out(kMagic, sizeof kMagic);
  put_u32(out, file.format_version);
  size_t count = 0;
  for (const auto& section : file.sections) count += with_location || !(section.kind & kLocationBit);
  put_u32(out, static_cast<uint32_t>(count));
  for (const auto& section : file.sections) {
    if (!with_location && (section.kind & kLocationBit)) continue;
    put_u32(out, section.kind);
    put_u64(out, section.bytes.size());
    out += section.bytes;
  }
  return out;
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
  ByteReader reader(bytes.substr(sizeof kMagic));
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
  reader = ByteReader(body.substr(sizeof kMagic + 4));
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
