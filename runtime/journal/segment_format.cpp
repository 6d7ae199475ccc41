// Encoding and decoding of segment headers, record frames and segment file
// names. See segment_format.h for the layouts.
#include "journal/segment_format.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "journal/crc32c.h"
#include "journal/journal_problem.h"

namespace flow::journal {
namespace {

constexpr std::size_t kHeaderCrcOffset = kSegmentHeaderSize - 4;
constexpr std::string_view kSegmentPrefix = "segment-";
constexpr std::string_view kSegmentSuffix = ".fj";
constexpr std::size_t kMinDigits = 6;

}  // namespace

std::array<std::byte, kSegmentHeaderSize> encode_segment_header(const SegmentHeader& header) {
  std::array<std::byte, kSegmentHeaderSize> out{};
  std::memcpy(out.data(), kSegmentMagic.data(), kSegmentMagic.size());
  store_u16_le(out.data() + 8, kFormatVersion);
  store_u16_le(out.data() + 10, static_cast<std::uint16_t>(kSegmentHeaderSize));
  store_u32_le(out.data() + 12, header.segment_number);
  store_u64_le(out.data() + 16, header.first_sequence);
  // bytes 24..27 stay zero (reserved)
  store_u32_le(out.data() + kHeaderCrcOffset, crc32c_mask(crc32c(out.data(), kHeaderCrcOffset)));
  return out;
}

std::optional<SegmentHeader> decode_segment_header(std::span<const std::byte> bytes, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<SegmentHeader> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  if (bytes.size() < kSegmentHeaderSize) {
    return fail("file is shorter than a segment header (" + std::to_string(bytes.size()) + " of " +
                std::to_string(kSegmentHeaderSize) + " bytes)");
  }
  if (std::memcmp(bytes.data(), kSegmentMagic.data(), kSegmentMagic.size()) != 0) {
    return fail("bad magic (not a Flow journal segment)");
  }
  // Check the checksum before trusting any field: a version number read from
  // damaged bytes would give a misleading message.
  const std::uint32_t stored = load_u32_le(bytes.data() + kHeaderCrcOffset);
  const std::uint32_t actual = crc32c(bytes.data(), kHeaderCrcOffset);
  if (crc32c_unmask(stored) != actual) return fail("segment header checksum mismatch");
  const std::uint16_t version = load_u16_le(bytes.data() + 8);
  if (version != kFormatVersion) {
    return fail("unsupported format version " + std::to_string(version));
  }
  const std::uint16_t header_size = load_u16_le(bytes.data() + 10);
  if (header_size != kSegmentHeaderSize) {
    return fail("unexpected header size " + std::to_string(header_size));
  }
  if (load_u32_le(bytes.data() + 24) != 0) return fail("reserved header bytes are not zero");
  SegmentHeader header;
  header.segment_number = load_u32_le(bytes.data() + 12);
  header.first_sequence = load_u64_le(bytes.data() + 16);
  return header;
}

std::uint32_t record_crc(RecordType type, std::span<const std::byte> payload) {
  const std::uint32_t crc = crc32c(&type, 1);
  return crc32c_extend(crc, payload.data(), payload.size());
}

void encode_record_header(std::byte* out, RecordType type, std::span<const std::byte> payload) {
  store_u32_le(out, static_cast<std::uint32_t>(payload.size()));
  store_u32_le(out + kRecordCrcOffset, crc32c_mask(record_crc(type, payload)));
  out[kRecordTypeOffset] = static_cast<std::byte>(type);
}

std::string segment_file_name(std::uint32_t number) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "segment-%06u.fj", static_cast<unsigned>(number));
  return buffer;
}

std::optional<std::uint32_t> parse_segment_file_name(std::string_view name) {
  if (!name.starts_with(kSegmentPrefix) || !name.ends_with(kSegmentSuffix)) return std::nullopt;
  const std::string_view digits =
      name.substr(kSegmentPrefix.size(), name.size() - kSegmentPrefix.size() - kSegmentSuffix.size());
  if (digits.size() < kMinDigits) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  // Exactly the spelling segment_file_name() produces, so two names can never
  // stand for one number ("segment-0000001.fj" beside "segment-000001.fj").
  if (digits.size() > kMinDigits && digits.front() == '0') return std::nullopt;
  std::uint32_t number = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return number;
}

std::vector<SegmentFile> list_segments(const std::filesystem::path& dir) {
  std::vector<SegmentFile> segments;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) throw JournalError("cannot list journal folder " + dir.string() + ": " + ec.message());
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const auto number = parse_segment_file_name(it->path().filename().string());
    if (number) segments.push_back(SegmentFile{*number, it->path()});
  }
  if (ec) throw JournalError("cannot list journal folder " + dir.string() + ": " + ec.message());
  std::sort(segments.begin(), segments.end(),
            [](const SegmentFile& a, const SegmentFile& b) { return a.number < b.number; });
  return segments;
}

}  // namespace flow::journal
