// RunStats: what `flowrt run` reports when it ends (run_summary.h) and the
// progress line it shows on a terminal while it runs.
//
// Why a part of its own: every part counts something, and counting must
// stay a few increments on the hot path: events are counted by type index
// in flat vectors and named only once, at the end.
//
// Limits: the progress line assumes a terminal (carriage returns).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "engine/run_summary.h"
#include "ingress/event_catalog.h"

namespace flow::runtime {

class RunStats {
 public:
  /// Starts the run's clock.
  RunStats();

  /// The counters, for the parts to increment.
  RunSummary& counts() { return summary_; }
  const RunSummary& summary() const { return summary_; }
  /// An event of `type` taken from outside, or emitted by a service.
  void count_in(const EventType& type) { count(events_in_, type); }
  void count_out(const EventType& type) { count(events_out_, type); }

  /// Every 4096 lines, at most twice a second: the progress line on `log`.
  void progress(std::ostream& log) {
    if (summary_.lines % 4096 == 0) progress_line(log);
  }
  /// Names the counts by type (from `catalog`) and stops the clock.
  void finish(const EventCatalog& catalog);
  void print(std::ostream& out) const;

 private:
  static void count(std::vector<uint64_t>& counts, const EventType& type) {
    if (counts.size() <= static_cast<size_t>(type.index)) counts.resize(static_cast<size_t>(type.index) + 1);
    ++counts[static_cast<size_t>(type.index)];
  }
  void progress_line(std::ostream& log);

  RunSummary summary_;
  std::vector<uint64_t> events_in_, events_out_;  // by EventType::index
  int64_t started_us_ = 0;
  int64_t last_progress_us_ = 0;
};

}  // namespace flow::runtime
