// base/short_copy.h: copies and comparisons of every size up to past the
// inline limit, at every offset, agree with memcpy and memcmp.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <vector>

#include "base/short_copy.h"

TEST_CASE("short_copy copies exactly the bytes asked for", "[base][short-copy]") {
  std::mt19937_64 random(7);
  for (size_t size = 0; size <= 48; ++size) {
    for (size_t offset = 0; offset < 8; ++offset) {
      std::vector<char> from(size + 16), to(size + 32, 'z'), expected(size + 32, 'z');
      for (auto& c : from) c = static_cast<char>(random());
      flow::short_copy(to.data() + offset, from.data() + 1, size);
      std::memcpy(expected.data() + offset, from.data() + 1, size);
      INFO("size " << size << ", offset " << offset);
      CHECK(to == expected);  // nothing before or after the range is touched
    }
  }
}

TEST_CASE("short_equal agrees with memcmp", "[base][short-copy]") {
  std::mt19937_64 random(8);
  for (size_t size = 0; size <= 40; ++size) {
    std::vector<char> a(size + 1), b;
    for (auto& c : a) c = static_cast<char>(random());
    b = a;
    INFO("size " << size);
    CHECK(flow::short_equal(a.data(), b.data(), size));
    for (size_t at = 0; at < size; ++at) {
      b = a;
      b[at] = static_cast<char>(b[at] ^ (1 << (random() % 8)));
      INFO("differs at " << at);
      CHECK_FALSE(flow::short_equal(a.data(), b.data(), size));
    }
  }
}
