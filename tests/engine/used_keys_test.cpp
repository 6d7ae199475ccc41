// UsedKeys (runtime/engine/used_keys.h): a key added is always "maybe
// used"; keys never added are nearly always "never used".
#include <catch2/catch.hpp>

#include <string>

#include "engine/used_keys.h"

using flow::runtime::UsedKeys;

TEST_CASE("UsedKeys: an empty filter has seen no key") {
  UsedKeys keys;
  CHECK_FALSE(keys.maybe_used("42"));
  CHECK_FALSE(keys.maybe_used(""));
}

TEST_CASE("UsedKeys: every key added is remembered, others are not") {
  UsedKeys keys;
  for (int i = 0; i < 200000; ++i) keys.add("order-" + std::to_string(i));
  for (int i = 0; i < 200000; ++i) REQUIRE(keys.maybe_used("order-" + std::to_string(i)));
  // 200,000 keys in 8 MiB: false positives are far rarer than 1 in 10,000.
  int wrong = 0;
  for (int i = 0; i < 200000; ++i) wrong += keys.maybe_used("other-" + std::to_string(i)) ? 1 : 0;
  CHECK(wrong < 20);
}

TEST_CASE("UsedKeys: insert tells whether the key was there before") {
  UsedKeys keys;
  CHECK_FALSE(keys.insert("42"));
  CHECK(keys.insert("42"));
  CHECK(keys.maybe_used("42"));
  CHECK_FALSE(keys.insert("43"));
}
