#include "engine/run_stats.h"

#include <algorithm>

#include "base/wall_clock.h"

namespace flow::runtime {

RunStats::RunStats() : started_us_(wall_clock_us()) {}

void RunStats::progress_line(std::ostream& log) {
  const int64_t now = wall_clock_us();
  if (now - last_progress_us_ <= 500000) return;
  last_progress_us_ = now;
  double seconds = static_cast<double>(now - started_us_) / 1e6;
  log << "\r" << summary_.lines << " lines, " << summary_.events_dispatched << " events, "
      << static_cast<uint64_t>(static_cast<double>(summary_.lines) / std::max(seconds, 1e-9)) << " lines/s   "
      << std::flush;
}

void RunStats::finish(const EventCatalog& catalog) {
  for (const auto& type : catalog.types()) {
    auto index = static_cast<size_t>(type->index);
    if (index < events_in_.size() && events_in_[index]) summary_.events_in[type->name] = events_in_[index];
    if (index < events_out_.size() && events_out_[index]) summary_.events_out[type->name] = events_out_[index];
  }
  summary_.seconds = static_cast<double>(wall_clock_us() - started_us_) / 1e6;
}

void RunStats::print(std::ostream& out) const {
  const RunSummary& s = summary_;
  out << "flowrt: " << s.lines << " input lines: " << s.accepted << " accepted, " << s.rejected << " rejected\n";
  auto by_type = [&](const char* label, const std::map<std::string, uint64_t>& counts) {
    if (counts.empty()) return;
    out << "  " << label << ":";
    for (const auto& [type, n] : counts) out << " " << type << "=" << n;
    out << "\n";
  };
  by_type("events in ", s.events_in);
  by_type("events out", s.events_out);
  out << "  " << s.events_dispatched << " events dispatched, " << s.deliveries << " deliveries, " << s.retries
      << " retries, " << s.failed_attempts << " failed attempts, " << s.dead_lettered << " dead-lettered\n";
  double rate = s.seconds > 0 ? static_cast<double>(s.accepted) / s.seconds : 0;
  out << "  " << s.seconds << " s, " << static_cast<uint64_t>(rate) << " input events/s\n";
}

}  // namespace flow::runtime
