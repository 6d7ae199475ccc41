// queries/replay/ordered_string_set.h: first-insertion order, no duplicates,
// growth, and merging (replay's instance lists depend on all three).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "queries/replay/ordered_string_set.h"

using flow::runtime::queries::OrderedStringSet;

namespace {

std::vector<std::string> items(const OrderedStringSet& set) {
  return {set.begin(), set.end()};
}

}  // namespace

TEST_CASE("an ordered string set keeps first-insertion order without duplicates", "[ordered-set]") {
  OrderedStringSet set;
  CHECK(set.size() == 0);
  for (const char* s : {"b", "a", "b", "", "c", "a", ""}) set.insert(s);
  CHECK(items(set) == std::vector<std::string>{"b", "a", "", "c"});

  // Past several growths, with every string inserted twice.
  OrderedStringSet many;
  std::vector<std::string> expected;
  for (int i = 0; i < 5000; ++i) {
    expected.push_back("instance-" + std::to_string(i * 7919 % 5000));
    many.insert(expected.back());
    many.insert(expected[static_cast<size_t>(i) / 2]);
  }
  CHECK(many.size() == 5000);
  CHECK(items(many) == expected);
}

TEST_CASE("merging ordered string sets appends what is new, in order", "[ordered-set]") {
  OrderedStringSet first, second, empty;
  for (const char* s : {"x", "y"}) first.insert(s);
  for (const char* s : {"z", "y", "w"}) second.insert(s);
  first.merge(std::move(second));
  CHECK(items(first) == std::vector<std::string>{"x", "y", "z", "w"});
  first.insert("x");
  first.insert("v");
  CHECK(items(first) == std::vector<std::string>{"x", "y", "z", "w", "v"});

  empty.merge(std::move(first));
  CHECK(items(empty) == std::vector<std::string>{"x", "y", "z", "w", "v"});
  empty.insert("w");
  empty.insert("u");
  CHECK(items(empty) == std::vector<std::string>{"x", "y", "z", "w", "v", "u"});
}
