// RunSummary: what one `flowrt run` did — input lines, accepted and
// rejected inputs, events dispatched, deliveries, retries, failures, events
// by type — as the engine reports it at the end (run_stats.h counts it).
//
// Limits: this run's counts only, not the journal's history.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace flow::runtime {

struct RunSummary {
  uint64_t lines = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t events_dispatched = 0;
  uint64_t deliveries = 0;
  uint64_t retries = 0;
  uint64_t failed_attempts = 0;
  uint64_t dead_lettered = 0;
  std::map<std::string, uint64_t> events_in;   // by type, from outside
  std::map<std::string, uint64_t> events_out;  // by type, emitted by services
  double seconds = 0;
};

}  // namespace flow::runtime
