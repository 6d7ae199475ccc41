// differential_nightly [--cases N] [--seed S] [--rules R] [--events E]
//                      [--opt L] [--batch-seed X] [--no-shrink]
// The differential test at any size and seed (not in ctest): exits 1 and
// prints a reproducer on the first disagreement between JIT and interpreter.
#include <cstdlib>
#include <iostream>
#include <string>

#include "differential.h"

int main(int argc, char** argv) {
  flow::difftest::DiffOptions options;
  options.cases = 1'000'000;
  options.progress = &std::cerr;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> uint64_t {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return std::strtoull(argv[++i], nullptr, 10);
    };
    if (arg == "--cases") {
      options.cases = next();
    } else if (arg == "--seed") {
      options.seed = next();
    } else if (arg == "--rules") {
      options.rules_per_batch = static_cast<int>(next());
    } else if (arg == "--events") {
      options.events_per_batch = static_cast<int>(next());
    } else if (arg == "--opt") {
      options.opt_level = static_cast<int>(next());
    } else if (arg == "--batch-seed") {
      options.batch_seed = next();
    } else if (arg == "--no-shrink") {
      options.shrink = false;
    } else {
      std::cerr << "usage: differential_nightly [--cases N] [--seed S] [--rules R] [--events E] [--opt L] "
                   "[--batch-seed X] [--no-shrink]\n";
      return 2;
    }
  }
  auto report = flow::difftest::run_differential(options);
  std::cout << "cases: " << report.cases << "\nbatches: " << report.batches
            << "\nagreeing errors: " << report.agreeing_errors << "\ndisagreements: " << report.failures
            << "\nseconds: " << report.seconds << "\n";
  if (report.failures) {
    std::cout << "\n" << report.first_failure;
    return 1;
  }
  return 0;
}
