// Delivery ids (runtime/records/delivery_id.h): the documented form, for
// short ids and for ids too long for the stack buffer.
#include <catch2/catch.hpp>
#include <string>

#include "records/delivery_id.h"

using namespace flow::runtime;

TEST_CASE("a delivery id is d-<event>.<route>.<service>", "[records][delivery]") {
  CHECK(delivery_id("e7", 0, 1) == "d-e7.0.1");
  CHECK(delivery_id("", 12, 345) == "d-.12.345");
  std::string out = "left over";
  write_delivery_id(out, "o-1", 2, 0);
  CHECK(out == "d-o-1.2.0");
  const std::string long_id(200, 'x');
  write_delivery_id(out, long_id, 3, 4);
  CHECK(out == "d-" + long_id + ".3.4");
  CHECK(delivery_id("e", SIZE_MAX, SIZE_MAX) == "d-e." + std::to_string(SIZE_MAX) + "." + std::to_string(SIZE_MAX));
}
