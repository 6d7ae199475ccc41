// The journal's on-disk format: segment file names, the segment header and
// record framing. Everything that must agree between the writer, the reader
// and docs/journal.md lives here.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flow::journal {

/// A record's type byte. Its meaning belongs to the runtime; the journal
/// only reserves 0, so that zero-filled bytes never pass as a record.
using RecordType = std::uint8_t;
inline constexpr RecordType kInvalidRecordType = 0;

// --- Segment header -------------------------------------------------------
//
//   offset size  field
//   0      8     magic "FLOWJRNL"
//   8      2     format version (1)
//   10     2     header size in bytes (32)
//   12     4     segment number (matches the file name)
//   16     8     sequence number of the segment's first record
//   24     4     reserved, zero
//   28     4     masked CRC32C of bytes 0..27
inline constexpr std::array<char, 8> kSegmentMagic = {'F', 'L', 'O', 'W', 'J', 'R', 'N', 'L'};
inline constexpr std::uint16_t kFormatVersion = 1;
inline constexpr std::size_t kSegmentHeaderSize = 32;

// --- Record framing -------------------------------------------------------
//
//   u32 payload length | u32 masked CRC32C | u8 type | payload
//
// The CRC covers the type byte and the payload, which are contiguous, so one
// checksum pass covers bytes [8, 9 + length) of the frame.
inline constexpr std::size_t kRecordHeaderSize = 9;
inline constexpr std::size_t kRecordCrcOffset = 4;
inline constexpr std::size_t kRecordTypeOffset = 8;

/// Larger lengths are corruption, not records: the cap keeps a flipped bit
/// in a length field from being read as a plausible gigantic record.
inline constexpr std::uint32_t kMaxPayloadSize = 1u << 30;

inline constexpr std::uint64_t kDefaultSegmentSize = 64ull << 20;

/// Where a record is. `sequence` numbers all records of a journal from 0 in
/// append order, across segments: a segment header stores its first record's
/// sequence number, so it needs no scan of earlier segments.
struct RecordPosition {
  std::uint32_t segment = 0;
  std::uint64_t offset = 0;    ///< byte offset of the record's frame in its segment file
  std::uint64_t sequence = 0;  ///< global record index, from 0

  friend auto operator<=>(const RecordPosition&, const RecordPosition&) = default;
};

/// One record as read back. `payload` points into the reader's buffer and is
/// valid until the reader moves on.
struct Record {
  RecordType type = kInvalidRecordType;
  std::span<const std::byte> payload;
  RecordPosition position;
};

struct SegmentHeader {
  std::uint32_t segment_number = 0;
  std::uint64_t first_sequence = 0;
};

// --- Little-endian fields -------------------------------------------------

inline void store_u16_le(std::byte* out, std::uint16_t value) {
  for (int i = 0; i < 2; ++i) out[i] = static_cast<std::byte>(value >> (8 * i));
}
inline void store_u32_le(std::byte* out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::byte>(value >> (8 * i));
}
inline void store_u64_le(std::byte* out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::byte>(value >> (8 * i));
}
inline std::uint16_t load_u16_le(const std::byte* in) {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(in[0]) | (std::to_integer<unsigned>(in[1]) << 8));
}
inline std::uint32_t load_u32_le(const std::byte* in) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | std::to_integer<std::uint32_t>(in[i]);
  return value;
}
inline std::uint64_t load_u64_le(const std::byte* in) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | std::to_integer<std::uint64_t>(in[i]);
  return value;
}

// --- Codec ----------------------------------------------------------------

std::array<std::byte, kSegmentHeaderSize> encode_segment_header(const SegmentHeader& header);

/// Decodes and checks a segment header (magic, version, size, checksum,
/// reserved bytes). On failure returns nullopt and says why in `error`.
std::optional<SegmentHeader> decode_segment_header(std::span<const std::byte> bytes, std::string* error);

/// The unmasked CRC32C a record of this type and payload must carry.
std::uint32_t record_crc(RecordType type, std::span<const std::byte> payload);

/// Writes the 9-byte frame header for a record into `out`.
void encode_record_header(std::byte* out, RecordType type, std::span<const std::byte> payload);

// --- Segment files --------------------------------------------------------

/// "segment-000001.fj": six digits at least, more once numbers need them.
std::string segment_file_name(std::uint32_t number);

/// The segment number named by a file name, or nullopt for any other file
/// (temporary files, saved tails, anything a person left in the folder).
std::optional<std::uint32_t> parse_segment_file_name(std::string_view name);

struct SegmentFile {
  std::uint32_t number = 0;
  std::filesystem::path path;
};

/// The segment files in `dir`, by number. Throws JournalError when the
/// folder cannot be listed.
std::vector<SegmentFile> list_segments(const std::filesystem::path& dir);

}  // namespace flow::journal
