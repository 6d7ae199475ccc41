// The `.flowc` container: a versioned file of typed sections sealed by a
// SHA-256 content hash. This layer knows nothing of what the sections mean
// (artifact.h does); it only guarantees that what is read back is exactly
// what was written, or says clearly why not.
//
// Layout (little-endian):
//   magic "FLOWAPP\0" (8 bytes) | u32 format version | u32 section count
//   | section count × { u32 kind | u64 length | length bytes }
//   | 32-byte SHA-256 of everything before it
//
// Two hashes: the trailing one seals every byte (integrity); the content
// hash, the artifact's identity, leaves out the location sections (kinds
// with kLocationBit set): where a program was built is not what it means,
// so the same sources built in another folder are the same definitions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flow::artifact {

inline constexpr char kMagic[8] = {'F', 'L', 'O', 'W', 'A', 'P', 'P', '\0'};
/// Bumped whenever the layout of any section changes; a reader refuses
/// other versions instead of guessing.
inline constexpr uint32_t kFormatVersion = 1;

/// Sections of a kind with this bit are not part of the content hash.
inline constexpr uint32_t kLocationBit = 0x80000000u;

struct Section {
  uint32_t kind = 0;
  std::string bytes;
};

struct ContainerFile {
  uint32_t format_version = kFormatVersion;
  std::vector<Section> sections;
  /// Hex SHA-256 of the file without its location sections (the seal of
  /// a file that has none), filled by read/serialize.
  std::string content_hash;

  const Section* find(uint32_t kind) const;
};

/// The bytes of a container file (and sets `file.content_hash`).
std::string serialize_container(ContainerFile& file);

/// Parses and verifies. On failure returns false with a one-line reason
/// ("truncated: ...", "not a Flow artifact", "version 7, this runtime reads 1",
/// "content hash mismatch: the file is corrupt").
bool parse_container(std::string_view bytes, ContainerFile& out, std::string& error);

/// Hex SHA-256 of arbitrary bytes.
std::string sha256_hex(std::string_view bytes);

}  // namespace flow::artifact
