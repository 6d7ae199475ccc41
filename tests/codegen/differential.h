// The differential test of the two back ends: batches of random rules
// (random_program.h) compiled once each with the interpreter and the JIT,
// evaluated on random events; every result and every evaluation error must
// agree (backend_compare.h). A disagreement is reported as a reproducer: the
// seeds, the rule source (shrunk when possible), the event's field values,
// now() and both results.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace flow::difftest {

struct DiffOptions {
  uint64_t seed = 1;
  uint64_t cases = 100'000;  // at least this many (rule, event) evaluations
  int rules_per_batch = 60;
  int events_per_batch = 40;
  int opt_level = 2;
  bool shrink = true;
  /// Run only the batch with this seed (from a failure report); 0: all.
  uint64_t batch_seed = 0;
  std::ostream* progress = nullptr;
};

struct DiffReport {
  uint64_t cases = 0;
  uint64_t batches = 0;
  uint64_t agreeing_errors = 0;  // cases where both back ends failed the same way
  uint64_t failures = 0;
  std::string first_failure;  // the reproducer of the first disagreement
  double seconds = 0;
};

DiffReport run_differential(const DiffOptions& options);

}  // namespace flow::difftest
