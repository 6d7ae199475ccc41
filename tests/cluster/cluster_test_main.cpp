// The Catch2 main of cluster_tests. Tests tagged [nats] start nats-server
// themselves; when it is not installed, a run asking for them prints why
// and exits 77, which ctest reports as skipped (SKIP_RETURN_CODE).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <iostream>
#include <string_view>

#include "nats_fixture.h"

int main(int argc, char** argv) {
  bool wants_nats = false;
  for (int i = 1; i < argc; ++i)
    wants_nats = wants_nats || std::string_view(argv[i]).find("[nats]") != std::string_view::npos;
  if (wants_nats && !flow::cluster::test::find_nats_server()) {
    std::cout << "SKIP: nats-server is not on PATH (Debian: apt-get install nats-server, or scripts/install-deps)\n";
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
