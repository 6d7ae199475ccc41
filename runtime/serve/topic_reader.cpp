// The events of one type after a journal position; see topic_reader.h.
#include "serve/topic_reader.h"

#include <algorithm>

#include "base/json_string.h"
#include "base/time_format.h"
#include "journal/segment_reader.h"
#include "records/record_views.h"
#include "serve/record_follower.h"

namespace flow::runtime::serve {

namespace {

constexpr uint64_t kMarkSpacing = 1u << 20;  // bytes of journal between marks
constexpr size_t kMaxMarks = 1u << 16;

/// `wanted` is the qualified name or its last components (`OrderPlaced`).
bool type_matches(std::string_view qualified, std::string_view wanted) {
  if (qualified == wanted) return true;
  return qualified.size() > wanted.size() && qualified.ends_with(wanted) &&
         qualified[qualified.size() - wanted.size() - 1] == '.';
}

uint64_t parse_position(std::string_view text) {
  uint64_t value = 0;
  for (char c : text) value = value * 10 + static_cast<uint64_t>(c - '0');
  return value;
}

void add_string(std::string& out, std::string_view key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":";
  append_json_string(out, value);
}

std::string cloud_event_json(const EventView& e) {
  std::string out = "{\"specversion\":\"1.0\"";
  add_string(out, "id", e.id);
  add_string(out, "source", e.source.empty() ? std::string_view("flowrt") : e.source);
  add_string(out, "type", e.type);
  if (e.time_us != 0) add_string(out, "time", format_timestamp(e.time_us));
  if (!e.subject.empty()) add_string(out, "subject", e.subject);
  add_string(out, "datacontenttype", "application/json");
  add_string(out, "flowinstance", e.instance);
  if (!e.key.empty()) add_string(out, "flowkey", e.key);
  out += ",\"data\":";
  out += e.data_json.empty() ? std::string_view("null") : e.data_json;
  out += '}';
  return out;
}

}  // namespace

TopicReader::TopicReader(std::string journal_dir) : dir_(std::move(journal_dir)) {}

bool TopicReader::is_position(std::string_view text) {
  // Sequence numbers fit 19 digits; a leading zero would give one record two names.
  return text.empty() || (text.size() <= 19 && (text.size() == 1 || text.front() != '0') &&
                          std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

void TopicReader::learn_segments() {
  for (const auto& file : journal::list_segments(dir_)) {
    if (file.number <= segments_known_) continue;
    journal::SegmentReader reader(file, journal::kSegmentHeaderSize);
    if (!reader.header_ok()) break;  // damage: reading stops there anyway
    const uint64_t first = reader.header().first_sequence;
    marks_.emplace(first, journal::RecordPosition{file.number, journal::kSegmentHeaderSize, first});
    segments_known_ = file.number;
  }
}

void TopicReader::mark(const journal::RecordPosition& position) {
  if (position.segment == 0) return;
  marks_[position.sequence] = position;
  if (marks_.size() > kMaxMarks) {
    // Thin them out evenly: every other one goes.
    bool drop = false;
    for (auto it = marks_.begin(); it != marks_.end();) {
      it = (drop = !drop) ? std::next(it) : marks_.erase(it);
    }
  }
}

std::optional<journal::RecordPosition> TopicReader::start_for(uint64_t sequence) {
  std::lock_guard lock(mutex_);
  auto nearest = [&]() -> std::optional<journal::RecordPosition> {
    auto it = marks_.upper_bound(sequence);
    if (it == marks_.begin()) return std::nullopt;
    return std::prev(it)->second;
  };
  auto found = nearest();
  if (!found || found->sequence != sequence) {
    // Not an exact mark (a subscriber new to this process): a later
    // segment may start closer.
    learn_segments();
    found = nearest();
  }
  return found;
}

std::optional<TopicBatch> TopicReader::read(std::string_view type, std::string_view after, size_t max) {
  if (!is_position(after)) return std::nullopt;
  TopicBatch batch;
  std::optional<uint64_t> last_seen;
  uint64_t target = 0;
  if (!after.empty()) {
    last_seen = parse_position(after);
    target = *last_seen + 1;
  }
  RecordFollower follower(dir_);
  if (target > 0) {
    if (auto start = start_for(target)) follower.seek(*start);
  }
  std::vector<journal::RecordPosition> marks;
  uint32_t mark_segment = 0;
  uint64_t mark_offset = 0;
  size_t scanned = 0;
  journal::Record record;
  const NameList* names = nullptr;
  EventView view;
  for (;;) {
    if (batch.events.size() >= max || scanned >= kTopicScanBytes) {
      batch.more = true;
      break;
    }
    if (!follower.next(record, names)) break;
    const journal::RecordPosition& at = record.position;
    if (at.segment != mark_segment || at.offset >= mark_offset + kMarkSpacing) {
      marks.push_back(at);
      mark_segment = at.segment;
      mark_offset = at.offset;
    }
    if (at.sequence < target) continue;  // still finding the position: less than a segment
    scanned += journal::kRecordHeaderSize + record.payload.size();
    last_seen = at.sequence;
    if (record.type != static_cast<uint8_t>(RecordKind::Event)) continue;
    if (!decode_view(RecordFollower::payload(record), view, names)) continue;
    if (!type_matches(view.type, type)) continue;
    batch.events.push_back({std::to_string(at.sequence), cloud_event_json(view)});
  }
  if (follower.problem()) batch.problem = journal::describe(*follower.problem());
  batch.next = last_seen ? std::to_string(*last_seen) : std::string(after);
  std::lock_guard lock(mutex_);
  for (const auto& m : marks) mark(m);
  mark(follower.position());  // where the next read after `next` begins
  return batch;
}

std::string TopicReader::now() {
  std::optional<journal::RecordPosition> start;
  {
    std::lock_guard lock(mutex_);
    learn_segments();
    if (!marks_.empty()) start = marks_.rbegin()->second;
  }
  RecordFollower follower(dir_);
  if (start) follower.seek(*start);
  journal::Record record;
  const NameList* names = nullptr;
  while (follower.next(record, names)) {
  }
  const journal::RecordPosition end = follower.position();
  {
    std::lock_guard lock(mutex_);
    mark(end);
  }
  return end.segment == 0 || end.sequence == 0 ? std::string() : std::to_string(end.sequence - 1);
}

}  // namespace flow::runtime::serve
