// Names by number (records/name_list.h): version-3 records refer to their
// segment's list of names; both decoders resolve them alike, refuse them
// without the list or past its end, and a damaged list is refused whole.
#include <catch2/catch.hpp>

#include <random>

#include "records/journal_records.h"
#include "records/name_list.h"
#include "records/record_views.h"

using namespace flow::runtime;

namespace {

// The strings the "engine" listed; the encoder finds them by address.
const std::string kHash(64, 'f');
const std::string kOrderPlaced = "shop.OrderPlaced";
const std::string kOrders = "shop.Orders";
const std::string kCheck = "shop.Check";
const std::string kSmall = "shop.Small";
const std::string kTrue = "true";
const std::string kFalse = "false";

struct Listed {
  std::vector<std::string_view> names{kCheck, kFalse, kHash, kOrderPlaced, kOrders, kSmall, kTrue};
  NameRefs refs{names.size()};
  NameList list;
  Listed() {
    for (size_t i = 0; i < names.size(); ++i) refs.add(names[i], static_cast<uint32_t>(i));
    REQUIRE(list.assign(encode_names(names)));
  }
};

template <class View>
std::string encode_named(const View& view, const NameRefs* refs) {
  std::string out(encoded_bound(view), '\0');
  out.resize(static_cast<size_t>(encode_to(out.data(), view, refs) - out.data()));
  return out;
}

EventRecordView sample_event() {
  EventRecordView e;
  e.id = "e7";
  e.type = kOrderPlaced;
  e.instance = "1001";
  e.key = "1001";
  e.causation = "o-1";
  e.delivery = "d-o-1.0.0";
  e.service = "shop.NotListed";  // written out: the encoder does not know it
  e.source = "shop";
  e.time_us = 1700000000000000;
  e.dispatched_us = 1700000000000001;
  e.definition = kHash;
  e.data_json = R"({"order_id":"1001"})";
  return e;
}

}  // namespace

TEST_CASE("a names payload lists its names and refuses damage", "[names]") {
  const std::vector<std::string_view> names{"a", "", "shop.Orders", std::string_view("x\0y", 3)};
  const std::string payload = encode_names(names);
  NameList list;
  REQUIRE(list.assign(payload));
  REQUIRE(list.size() == names.size());
  for (size_t i = 0; i < names.size(); ++i) CHECK(*list.at(i) == names[i]);
  CHECK_FALSE(list.at(names.size()).has_value());
  CHECK(list.payload() == payload);
  // Every truncation, trailing bytes, another encoding version: refused,
  // and the list is empty afterwards (nothing half-read is used).
  for (size_t n = 0; n < payload.size(); ++n) {
    INFO("prefix of " << n << " bytes");
    CHECK_FALSE(list.assign(payload.substr(0, n)));
    CHECK(list.size() == 0);
  }
  CHECK_FALSE(list.assign(payload + "x"));
  std::string other = payload;
  other[0] = 3;
  CHECK_FALSE(list.assign(other));
  // A count far beyond the bytes that follow is refused before anything is reserved for it.
  CHECK_FALSE(list.assign(std::string("\x02\xff\xff\xff\xff\x0f", 6)));
  CHECK(list.assign(encode_names({})));
  CHECK(list.size() == 0);
}

TEST_CASE("version-3 events, attempts and instance changes refer to the list", "[names]") {
  Listed listed;
  const EventRecordView view = sample_event();
  const std::string named = encode_named(view, &listed.refs);
  const std::string plain = encode_named(view, nullptr);
  CHECK(named[0] == 3);
  CHECK(plain[0] == 2);
  // The type and the hash take a byte each instead of their text.
  CHECK(named.size() + kOrderPlaced.size() + kHash.size() == plain.size());

  EventRecord full;
  REQUIRE(decode(named, full, &listed.list));
  CHECK(full.type == kOrderPlaced);
  CHECK(full.service == "shop.NotListed");
  CHECK(full.definition == kHash);
  CHECK(full.data_json == view.data_json);
  EventView borrowed;
  REQUIRE(decode_view(named, borrowed, &listed.list));
  CHECK(borrowed.type == kOrderPlaced);
  CHECK(borrowed.definition == kHash);
  CHECK(borrowed.service == "shop.NotListed");
  // Without the list, or with a list that ends too soon: not decodable.
  CHECK_FALSE(decode(named, full));
  CHECK_FALSE(decode_view(named, borrowed));
  NameList shorter;
  REQUIRE(shorter.assign(encode_names(std::vector<std::string_view>(listed.names.begin(), listed.names.begin() + 3))));
  CHECK_FALSE(decode(named, full, &shorter));
  CHECK_FALSE(decode_view(named, borrowed, &shorter));
  // Version 2 needs no list, with or without one.
  REQUIRE(decode(plain, full, &listed.list));
  CHECK(full.type == kOrderPlaced);

  const std::vector<std::string> emitted{"e8", "e9"};
  const AttemptRecordView attempt{"d-1", "e7", "1001", kOrders, kCheck, 2, 10, 20, AttemptOutcomeKind::Ok, "", emitted};
  AttemptRecord attempt_back;
  const std::string attempt_payload = encode_named(attempt, &listed.refs);
  REQUIRE(decode(attempt_payload, attempt_back, &listed.list));
  CHECK(attempt_back.flow == kOrders);
  CHECK(attempt_back.service == kCheck);
  CHECK(attempt_back.emitted == emitted);
  CHECK_FALSE(decode(attempt_payload, attempt_back));

  const InstanceRecordView change{"1001", "1001", kOrders, InstanceStatus::Completed, "e9", 30};
  InstanceRecord change_back;
  const std::string change_payload = encode_named(change, &listed.refs);
  REQUIRE(decode(change_payload, change_back, &listed.list));
  CHECK(change_back.flow == kOrders);
  CHECK(change_back.status == InstanceStatus::Completed);
  CHECK_FALSE(decode(change_payload, change_back));
}

TEST_CASE("version-3 decisions refer to the list for flows, rules and values", "[names]") {
  Listed listed;
  const std::string_view flows[] = {kOrders, "shop.Unlisted"};
  const RuleValueView values[] = {{kSmall, kTrue}, {kSmall, kFalse}, {"shop.Other", "12.5"}};
  const uint32_t rules_a[] = {0, 2};
  const uint32_t rules_b[] = {1};
  const SubscriptionDecisionView entries[] = {{0, 0, 1, "", rules_a}, {1, 3, 0, "", rules_b}};
  const DecisionSetView set{"o-1", flows, values, entries};
  const std::string payload = encode_named(set, &listed.refs);
  const auto kind = static_cast<uint8_t>(RecordKind::Decisions);

  std::vector<DecisionRecord> decoded;
  REQUIRE(decode_decisions(kind, payload, decoded, &listed.list));
  REQUIRE(decoded.size() == 2);
  CHECK(decoded[0].flow == kOrders);
  CHECK(decoded[1].flow == "shop.Unlisted");
  REQUIRE(decoded[0].rules.size() == 2);
  CHECK(decoded[0].rules[0].name == kSmall);
  CHECK(decoded[0].rules[0].value == "true");
  CHECK(decoded[0].rules[1].name == "shop.Other");
  CHECK(decoded[0].rules[1].value == "12.5");
  REQUIRE(decoded[1].rules.size() == 1);
  CHECK(decoded[1].rules[0].value == "false");

  std::vector<DecisionView> views;
  REQUIRE(decode_decision_views(kind, payload, views, &listed.list));
  REQUIRE(views.size() == 2);
  CHECK(views[0].flow == kOrders);
  CHECK(views[1].flow == "shop.Unlisted");
  std::vector<RuleValue> rules;
  decode_rules(views[0], rules);
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].name == kSmall);
  CHECK(rules[0].value == "true");
  CHECK(rules[1].value == "12.5");

  CHECK_FALSE(decode_decisions(kind, payload, decoded));
  CHECK_FALSE(decode_decision_views(kind, payload, views));
  CHECK(views.size() == 2);  // a refused payload appends nothing
}

TEST_CASE("damaged version-3 payloads are refused alike by both decoders", "[names]") {
  Listed listed;
  std::mt19937_64 random(25);
  const std::string payload = encode_named(sample_event(), &listed.refs);
  auto agree = [&](const std::string& bytes) {
    EventRecord full;
    EventView view;
    const bool a = decode(bytes, full, &listed.list);
    const bool b = decode_view(bytes, view, &listed.list);
    if (a != b) FAIL("decode " << a << ", decode_view " << b << " on " << bytes.size() << " bytes");
  };
  for (size_t n = 0; n <= payload.size(); ++n) agree(payload.substr(0, n));
  agree(payload + "x");
  for (int round = 0; round < 20; ++round) {
    for (size_t i = 0; i < payload.size(); ++i) {
      std::string changed = payload;
      changed[i] = static_cast<char>(random());
      agree(changed);
    }
  }
}

TEST_CASE("a reader going through segments uses each segment's own list", "[names]") {
  const std::string first = encode_names(std::vector<std::string_view>{"a", "b"});
  const std::string second = encode_names(std::vector<std::string_view>{"c"});
  SegmentNames names;
  const auto kind = static_cast<uint8_t>(RecordKind::Names);
  const auto event = static_cast<uint8_t>(RecordKind::Event);
  CHECK(names.observe(1, event, "x") == nullptr);  // no list yet
  const NameList* list = names.observe(1, kind, first);
  REQUIRE(list);
  CHECK(*list->at(1) == "b");
  CHECK(names.observe(1, event, "x") == list);
  // The next segment starts without a list until its own arrives.
  CHECK(names.observe(2, event, "x") == nullptr);
  list = names.observe(2, kind, second);
  REQUIRE(list);
  CHECK(list->size() == 1);
  CHECK(*list->at(0) == "c");
  // A damaged list leaves its segment without one.
  CHECK(names.observe(3, kind, "\x02\x05") == nullptr);
  CHECK(names.observe(3, event, "x") == nullptr);
}
