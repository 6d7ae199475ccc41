// JournalSink, EventIds and delivery ids (runtime/engine): a remembered
// encoding written under another event id is byte for byte the record
// written the full way, names are listed first in the segment, ids count
// from the journal's next sequence.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/event_ids.h"
#include "engine/instance_tracker.h"
#include "engine/journal_sink.h"
#include "journal/journal_reader.h"
#include "test_support.h"

using flow::journal::test::TempDir;
using namespace flow::runtime;

namespace {

struct ReadRecord {
  uint8_t type = 0;
  std::string payload;
};

std::vector<ReadRecord> read_all(const std::filesystem::path& dir) {
  std::vector<ReadRecord> out;
  flow::journal::JournalReader reader(dir);
  flow::journal::Record record;
  while (reader.next(record)) {
    out.push_back(
        {record.type, std::string(reinterpret_cast<const char*>(record.payload.data()), record.payload.size())});
  }
  return out;
}

}  // namespace

TEST_CASE("JournalSink: a remembered record written under another id is the record written the full way") {
  TempDir dir;
  std::ostringstream log;
  JournalSink sink;
  sink.open(dir.path().string(), flow::journal::FsyncMode::Never, log);
  const std::string flow = "shop.Orders", rule = "shop.Big", yes = "true";
  const std::vector<std::string_view> names{flow, rule, yes};
  sink.list_names(names);

  const std::vector<std::string_view> flows{flow};
  const std::vector<RuleValueView> values{{rule, yes}};
  const std::vector<uint32_t> rules{0};
  const std::vector<SubscriptionDecisionView> decisions{{0, 1, 1, "", rules}};
  auto view = [&](std::string_view id) { return DecisionSetView{id, flows, values, decisions}; };

  const std::string remembered = sink.encode_detached(view(""));
  REQUIRE(sink.write_with_id(RecordKind::Decisions, remembered, "e1234"));
  sink.write(RecordKind::Decisions, view("e1234"));
  sink.commit();

  const auto records = read_all(dir.path());
  REQUIRE(records.size() == 3);
  CHECK(records[0].type == static_cast<uint8_t>(RecordKind::Names));  // the segment's names come first
  CHECK(records[1].type == static_cast<uint8_t>(RecordKind::Decisions));
  CHECK(records[1].payload == records[2].payload);
  CHECK(records[1].payload.find("e1234") != std::string::npos);
  CHECK(records[1].payload.find("shop.") == std::string::npos);  // names by number: no flow or rule text
  CHECK(log.str().empty());
}

TEST_CASE("EventIds: ids and numbers count from the journal's next sequence, one counter for both") {
  EventIds ids;
  ids.start_at(100);
  CHECK(ids.next() == "e100");
  CHECK(ids.take_number() == 101);
  CHECK(ids.peek_number() == 102);
  std::string id = "a longer string that keeps its storage";
  ids.assign_new(id);
  CHECK(id == "e102");
}

TEST_CASE("InstanceTracker: a start joins the unfinished instance of its key; a finished key begins anew") {
  TempDir dir;
  std::ostringstream log;
  JournalSink sink;
  sink.open(dir.path().string(), flow::journal::FsyncMode::Never, log);
  EventIds ids;
  ids.start_at(50);
  InstanceTracker tracker(sink, ids);
  const std::string orders = "shop.Orders";

  std::string id;
  Instance& first = tracker.start("k1", "e1", id);
  CHECK(id == "k1");
  tracker.enter_flow(first, orders, "e1", 10);
  std::string again;
  CHECK(&tracker.start("k1", "e2", again) == &first);  // unfinished: joined
  CHECK(again == "k1");
  CHECK(tracker.joinable("k1") == &first);
  CHECK(tracker.joinable("") == nullptr);
  CHECK(tracker.joinable("other") == nullptr);

  tracker.set_status(first, orders, InstanceStatus::Completed, "e3", 11);
  tracker.set_status(first, orders, InstanceStatus::Active, "e4", 12);  // never reopened
  CHECK(tracker.joinable("k1") == nullptr);
  CHECK(tracker.running_count() == 0);
  tracker.release_if_done("k1");
  CHECK(tracker.find("k1") == nullptr);

  std::string next;
  tracker.start("k1", "e5", next);
  CHECK(next == "k1~50");  // a later instance of the key, numbered uniquely
  std::string keyless;
  tracker.start("", "e6", keyless);
  CHECK(keyless == "e6");  // no key: the event names its instance

  sink.commit();
  size_t instance_records = 0;
  for (const auto& r : read_all(dir.path())) instance_records += r.type == static_cast<uint8_t>(RecordKind::Instance);
  CHECK(instance_records == 2);  // entered, completed
}
