// CRC32C: published check values, agreement of the hardware and portable
// paths on many lengths and alignments, extension, and masking.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "journal/crc32c.h"

using namespace flow::journal;

namespace {

using Path = std::uint32_t (*)(std::uint32_t, const void*, std::size_t);

std::uint32_t one_shot(Path path, const void* data, std::size_t size) {
  return path(0, data, size);
}

}  // namespace

TEST_CASE("crc32c matches published check values", "[crc32c]") {
  const std::string_view check = "123456789";
  CHECK(crc32c(check.data(), check.size()) == 0xE3069283u);
  CHECK(one_shot(&crc32c_extend_portable, check.data(), check.size()) == 0xE3069283u);
  CHECK(one_shot(&crc32c_extend_hardware, check.data(), check.size()) == 0xE3069283u);
  CHECK(crc32c(nullptr, 0) == 0u);

  // RFC 3720 (iSCSI) appendix B.4 vectors.
  std::array<unsigned char, 32> buffer{};
  for (const Path path : {Path{&crc32c_extend_portable}, Path{&crc32c_extend_hardware}}) {
    buffer.fill(0x00);
    CHECK(one_shot(path, buffer.data(), buffer.size()) == 0x8A9136AAu);
    buffer.fill(0xFF);
    CHECK(one_shot(path, buffer.data(), buffer.size()) == 0x62A8AB43u);
    for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<unsigned char>(i);
    CHECK(one_shot(path, buffer.data(), buffer.size()) == 0x46DD794Eu);
    for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<unsigned char>(31 - i);
    CHECK(one_shot(path, buffer.data(), buffer.size()) == 0x113FDB5Cu);
  }
}

TEST_CASE("crc32c hardware and portable paths agree", "[crc32c]") {
  // Says which path crc32c() takes here, so a run on a machine without
  // SSE4.2 is visible in the test output rather than silently weaker.
  WARN("hardware CRC32C available: " << (crc32c_hardware_available() ? "yes" : "no"));

  std::mt19937_64 random(20240601);
  std::vector<unsigned char> data(4096 + 64);
  for (auto& byte : data) byte = static_cast<unsigned char>(random());

  // Every length up to a few hundred (all head/body/tail splits of the
  // 8-byte loop), then longer ones, each at every alignment within 16 bytes.
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 300; ++n) lengths.push_back(n);
  for (std::size_t n : {511u, 512u, 513u, 1000u, 1023u, 1024u, 2047u, 4095u, 4096u}) lengths.push_back(n);
  for (const std::size_t length : lengths) {
    for (std::size_t align = 0; align < 16; ++align) {
      const unsigned char* p = data.data() + align;
      const std::uint32_t seed = static_cast<std::uint32_t>(random());
      const std::uint32_t portable = crc32c_extend_portable(seed, p, length);
      const std::uint32_t hardware = crc32c_extend_hardware(seed, p, length);
      if (portable != hardware) {
        FAIL("length " << length << " align " << align << ": portable " << portable << " hardware " << hardware);
      }
      CHECK(crc32c_extend(seed, p, length) == portable);
    }
  }
}

TEST_CASE("crc32c_extend continues a checksum", "[crc32c]") {
  std::mt19937_64 random(7);
  std::vector<unsigned char> data(777);
  for (auto& byte : data) byte = static_cast<unsigned char>(random());
  const std::uint32_t whole = crc32c(data.data(), data.size());
  for (std::size_t split = 0; split <= data.size(); ++split) {
    const std::uint32_t head = crc32c(data.data(), split);
    REQUIRE(crc32c_extend(head, data.data() + split, data.size() - split) == whole);
    REQUIRE(crc32c_extend_portable(head, data.data() + split, data.size() - split) == whole);
  }
}

TEST_CASE("crc32c masking round-trips and changes the value", "[crc32c]") {
  std::mt19937 random(3);
  for (int i = 0; i < 10000; ++i) {
    const std::uint32_t crc = random();
    REQUIRE(crc32c_unmask(crc32c_mask(crc)) == crc);
  }
  const std::uint32_t crc = 0xE3069283u;
  CHECK(crc32c_mask(crc) != crc);
  CHECK(crc32c_mask(crc32c_mask(crc)) != crc32c_mask(crc));
  static_assert(crc32c_unmask(crc32c_mask(0)) == 0);
}

namespace {

// The definition itself, one bit at a time: slow, obviously right, and
// shares no code with either path under test.
std::uint32_t bitwise_crc32c(std::uint32_t crc, const unsigned char* data, std::size_t size) {
  std::uint32_t state = ~crc;
  for (std::size_t i = 0; i < size; ++i) {
    state ^= data[i];
    for (int bit = 0; bit < 8; ++bit) state = (state & 1u) ? (state >> 1) ^ 0x82F63B78u : state >> 1;
  }
  return ~state;
}

}  // namespace

TEST_CASE("crc32c matches a bitwise reference for every length up to 4096", "[crc32c]") {
  // Every split of the interleaved path (three lanes of every width, the
  // multi-round case past 1536 bytes, every tail) against the definition.
  std::mt19937_64 random(4096);
  std::vector<unsigned char> data(4096 + 8);
  for (auto& byte : data) byte = static_cast<unsigned char>(random());
  for (std::size_t length = 0; length <= 4096; ++length) {
    const std::size_t align = length % 8;
    const unsigned char* p = data.data() + align;
    const std::uint32_t seed = length % 3 == 0 ? 0u : static_cast<std::uint32_t>(random());
    const std::uint32_t expected = bitwise_crc32c(seed, p, length);
    const std::uint32_t hardware = crc32c_extend_hardware(seed, p, length);
    const std::uint32_t chosen = crc32c_extend(seed, p, length);
    if (hardware != expected || chosen != expected) {
      FAIL("length " << length << ": expected " << expected << " hardware " << hardware << " crc32c_extend " << chosen);
    }
  }
  // Long runs of equal bytes are where a wrong shift constant would cancel out least.
  for (unsigned char fill : {0x00, 0xFF}) {
    std::vector<unsigned char> same(5000, fill);
    for (std::size_t length : {96u, 97u, 1535u, 1536u, 1537u, 5000u}) {
      CHECK(crc32c_extend_hardware(0, same.data(), length) == bitwise_crc32c(0, same.data(), length));
    }
  }
}
