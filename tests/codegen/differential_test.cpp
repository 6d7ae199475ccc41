// The differential test in ctest: at least 100,000 random (rule, event)
// cases, JIT against interpreter, results and errors identical. A fixed seed
// keeps it reproducible; differential_nightly runs more with any seed.
#include <catch2/catch.hpp>

#include <iostream>

#include "differential.h"

using namespace flow::difftest;

TEST_CASE("JIT and interpreter agree on 100,000 random rule evaluations") {
  DiffOptions options;
  options.seed = 20260131;
  options.cases = 100'000;
  DiffReport report = run_differential(options);
  INFO(report.first_failure);
  CHECK(report.failures == 0);
  CHECK(report.cases >= 100'000);
  // Both value and error paths must be exercised, or the test proves little.
  CHECK(report.agreeing_errors > report.cases / 100);
  std::cout << "differential: " << report.cases << " cases in " << report.batches << " batches ("
            << report.agreeing_errors << " agreeing errors), " << report.seconds << " s\n";
}
