// Topics (serve.md §1 "Topics"): the dispatched events of one type, read
// from the journal as it grows, for the server's Server-Sent Events streams
// (GET /topics/{EventType}); the streaming itself is the server's.
//
// A position is a record's sequence number in the journal, as text ("1234",
// as `journal dump` shows it #1234): stable (the journal is append-only),
// totally ordered, and exact to resume after — read(type, "1234", n) gives
// the events of the type whose records come after record 1234, so a
// subscriber that passes back the id of the last event it got (SSE's
// Last-Event-ID) misses nothing and sees nothing twice. "" is the position
// before the first record (`?from=start`); now() is the last record written
// (a new subscriber that wants only what comes next starts there).
//
// Each event is its structured CloudEvent, one line of JSON:
//   {"specversion":"1.0","id","source","type" (qualified),"time","subject"?,
//    "datacontenttype":"application/json","flowinstance","flowkey"?,"data"}
// with `data` as journaled. Only event records are read: rejected input is
// not dispatched.
//
// Reading starts from the nearest place it knows before the position:
// every segment's start, and marks it leaves about every MiB and at the
// end of each read, so a subscriber that comes back costs a seek, not a
// scan (finding a position no mark is near reads at most the rest of its
// segment). Past the position, one read looks at no more than
// kTopicScanBytes of journal (more = true: call again at once). Thread-safe: reads run in parallel, sharing only the
// marks (under a mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journal/segment_format.h"

namespace flow::runtime::serve {

inline constexpr std::size_t kTopicScanBytes = 16u << 20;

struct TopicEvent {
  std::string id;    // its position: the SSE `id:`
  std::string data;  // the structured CloudEvent: the SSE `data:`
};

struct TopicBatch {
  std::vector<TopicEvent> events;
  /// Where to go on from: the last record looked at, which may lie past
  /// the last event (records of other types); `after` when none was.
  std::string next;
  /// Stopped at `max` events or at the scan bound, not at the end of what
  /// is written: more may be there now.
  bool more = false;
  /// Damage met in the journal (reading cannot go past it); "" when none.
  std::string problem;
};

class TopicReader {
 public:
  explicit TopicReader(std::string journal_dir);

  /// Up to `max` events of `type` (qualified, `shop.orders.OrderPlaced`, or
  /// plain, `OrderPlaced`) dispatched after position `after`. nullopt when
  /// `after` is not a position (a 400).
  std::optional<TopicBatch> read(std::string_view type, std::string_view after, size_t max);

  /// The position of the last record written ("" for an empty journal).
  std::string now();

  /// Whether `text` is a position ("" is: the start).
  static bool is_position(std::string_view text);

 private:
  /// Where to start reading to find the record after `sequence`: the
  /// nearest known record at or before it, or nothing (the first segment).
  std::optional<journal::RecordPosition> start_for(uint64_t sequence);
  void mark(const journal::RecordPosition& position);
  /// Segment starts not known yet (read once from their headers).
  void learn_segments();

  std::filesystem::path dir_;
  std::mutex mutex_;
  std::map<uint64_t, journal::RecordPosition> marks_;  // by sequence number
  uint32_t segments_known_ = 0;                        // segments up to this one have their start marked
};

}  // namespace flow::runtime::serve
