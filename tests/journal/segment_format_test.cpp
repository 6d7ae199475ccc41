// Segment file names, the segment header codec and record framing.
#include <catch2/catch.hpp>

#include <cstring>

#include "journal/crc32c.h"
#include "journal/journal_problem.h"
#include "journal/segment_format.h"
#include "test_support.h"

using namespace flow::journal;
using flow::journal::test::TempDir;

TEST_CASE("segment file names", "[format]") {
  CHECK(segment_file_name(1) == "segment-000001.fj");
  CHECK(segment_file_name(999999) == "segment-999999.fj");
  CHECK(segment_file_name(1000000) == "segment-1000000.fj");

  CHECK(parse_segment_file_name("segment-000001.fj") == 1u);
  CHECK(parse_segment_file_name("segment-000042.fj") == 42u);
  CHECK(parse_segment_file_name("segment-1000000.fj") == 1000000u);
  CHECK(parse_segment_file_name("segment-4294967295.fj") == 4294967295u);
  CHECK_FALSE(parse_segment_file_name("segment-4294967296.fj"));  // overflows u32
  CHECK_FALSE(parse_segment_file_name("segment-00001.fj"));       // too few digits
  CHECK_FALSE(parse_segment_file_name("segment-0000001.fj"));     // two spellings of 1
  CHECK_FALSE(parse_segment_file_name("segment-00000a.fj"));
  CHECK_FALSE(parse_segment_file_name("segment-000001.fj.tmp"));
  CHECK_FALSE(parse_segment_file_name("segment-000001.fj.dropped-40"));
  CHECK_FALSE(parse_segment_file_name("xsegment-000001.fj"));
  CHECK_FALSE(parse_segment_file_name(""));
  for (std::uint32_t n : {0u, 1u, 9u, 123456u, 999999u, 1000000u, 4294967295u}) {
    CHECK(parse_segment_file_name(segment_file_name(n)) == n);
  }
}

TEST_CASE("list_segments orders by number and ignores other files", "[format]") {
  TempDir dir;
  const std::byte nothing[1] = {};
  for (const char* name : {"segment-000010.fj", "segment-000002.fj", "segment-1000000.fj", "segment-000001.fj",
                           "segment-000003.fj.tmp", "notes.txt", "segment-000002.fj.dropped-32"}) {
    test::write_file(dir / name, std::span<const std::byte>(nothing, 0));
  }
  const auto segments = list_segments(dir.path());
  REQUIRE(segments.size() == 4);
  CHECK(segments[0].number == 1);
  CHECK(segments[1].number == 2);
  CHECK(segments[2].number == 10);
  CHECK(segments[3].number == 1000000);
  CHECK(segments[3].path.filename() == "segment-1000000.fj");

  CHECK_THROWS_AS(list_segments(dir / "does-not-exist"), JournalError);
}

TEST_CASE("segment header round-trips and rejects any damaged byte", "[format]") {
  const SegmentHeader header{7, 123456789012345ull};
  const auto bytes = encode_segment_header(header);
  REQUIRE(bytes.size() == kSegmentHeaderSize);
  CHECK(std::memcmp(bytes.data(), "FLOWJRNL", 8) == 0);
  CHECK(load_u16_le(bytes.data() + 8) == kFormatVersion);
  CHECK(load_u16_le(bytes.data() + 10) == kSegmentHeaderSize);
  CHECK(load_u32_le(bytes.data() + 12) == 7u);
  CHECK(load_u64_le(bytes.data() + 16) == 123456789012345ull);
  CHECK(load_u32_le(bytes.data() + 24) == 0u);
  CHECK(crc32c_unmask(load_u32_le(bytes.data() + 28)) == crc32c(bytes.data(), 28));

  std::string error;
  const auto decoded = decode_segment_header(bytes, &error);
  REQUIRE(decoded);
  CHECK(decoded->segment_number == 7u);
  CHECK(decoded->first_sequence == 123456789012345ull);

  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      auto damaged = bytes;
      damaged[i] ^= static_cast<std::byte>(1 << bit);
      error.clear();
      REQUIRE_FALSE(decode_segment_header(damaged, &error));
      CHECK_FALSE(error.empty());
    }
  }
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    REQUIRE_FALSE(decode_segment_header(std::span<const std::byte>(bytes.data(), size), &error));
  }
}

TEST_CASE("record frame layout", "[format]") {
  const std::string payload = "hello, journal";
  std::byte frame[kRecordHeaderSize];
  encode_record_header(frame, 5, test::as_bytes(payload));
  CHECK(load_u32_le(frame) == payload.size());
  CHECK(std::to_integer<int>(frame[8]) == 5);
  // The checksum covers the type byte followed by the payload.
  std::string covered = std::string(1, '\x05') + payload;
  CHECK(crc32c_unmask(load_u32_le(frame + 4)) == crc32c(covered.data(), covered.size()));
  CHECK(record_crc(5, test::as_bytes(payload)) == crc32c(covered.data(), covered.size()));
}

TEST_CASE("little-endian helpers", "[format]") {
  std::byte buffer[8];
  store_u32_le(buffer, 0x11223344u);
  CHECK(std::to_integer<int>(buffer[0]) == 0x44);
  CHECK(std::to_integer<int>(buffer[3]) == 0x11);
  CHECK(load_u32_le(buffer) == 0x11223344u);
  store_u64_le(buffer, 0x0102030405060708ull);
  CHECK(std::to_integer<int>(buffer[0]) == 0x08);
  CHECK(std::to_integer<int>(buffer[7]) == 0x01);
  CHECK(load_u64_le(buffer) == 0x0102030405060708ull);
  store_u16_le(buffer, 0xABCD);
  CHECK(load_u16_le(buffer) == 0xABCD);
}
