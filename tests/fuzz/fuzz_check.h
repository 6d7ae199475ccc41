// What the fuzz targets share: a check that stops the run on a broken
// invariant. A fuzz target must not throw or return an error to report a
// bug; it aborts, which libFuzzer records as a crash (with the input saved)
// and which fails the regression test (replay_main.cpp) under ctest.
#pragma once

#include <cstdio>
#include <cstdlib>

/// Aborts with `what` and the failed condition when `condition` is false.
#define FLOW_FUZZ_CHECK(condition, what)                                                                    \
  do {                                                                                                      \
    if (!(condition)) {                                                                                     \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n  (%s)\n", __FILE__, __LINE__, #condition, what); \
      std::abort();                                                                                         \
    }                                                                                                       \
  } while (false)
