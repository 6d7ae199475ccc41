// records/record_views.h against records/journal_records.h: the views decode
// the same fields, and accept exactly the payloads decode() accepts (every
// truncation and many byte changes of real encodings).
#include <catch2/catch.hpp>

#include <random>

#include "records/journal_records.h"
#include "records/record_views.h"

using namespace flow::runtime;

namespace {

EventRecord sample_event(std::mt19937_64& random) {
  auto text = [&](size_t max) {
    std::string s(random() % (max + 1), ' ');
    for (auto& c : s) c = static_cast<char>('a' + random() % 26);
    return s;
  };
  EventRecord e;
  e.id = text(12);
  e.type = "m." + text(10);
  e.instance = text(8);
  e.key = text(8);
  e.causation = text(12);
  e.delivery = text(12);
  e.service = text(10);
  e.source = text(10);
  e.subject = text(4);
  e.time_us = static_cast<int64_t>(random());
  e.dispatched_us = -static_cast<int64_t>(random() >> 1);
  e.input_line = static_cast<int64_t>(random() % 1000);
  e.definition = text(64);
  e.data_json = "{\"a\":\"" + text(40) + "\"}";
  return e;
}

DecisionRecord sample_decision(std::mt19937_64& random) {
  DecisionRecord d;
  d.event = "o-" + std::to_string(random() % 1000);
  d.flow = "m.Flow";
  d.subscription = static_cast<int64_t>(random() % 9);
  d.result = static_cast<int64_t>(random() % 3) - 1;
  d.error = d.result < 0 ? "division by zero" : "";
  for (size_t i = 0, n = random() % 4; i < n; ++i) {
    d.rules.push_back({"m.Rule" + std::to_string(i), i % 2 ? "true" : "12.5"});
  }
  return d;
}

void check_event(const EventRecord& r, const EventView& v) {
  CHECK(v.id == r.id);
  CHECK(v.type == r.type);
  CHECK(v.instance == r.instance);
  CHECK(v.key == r.key);
  CHECK(v.causation == r.causation);
  CHECK(v.delivery == r.delivery);
  CHECK(v.service == r.service);
  CHECK(v.source == r.source);
  CHECK(v.subject == r.subject);
  CHECK(v.time_us == r.time_us);
  CHECK(v.dispatched_us == r.dispatched_us);
  CHECK(v.input_line == r.input_line);
  CHECK(v.definition == r.definition);
  CHECK(v.data_json == r.data_json);
}

void check_decision(const DecisionRecord& r, const DecisionView& v) {
  CHECK(v.event == r.event);
  CHECK(v.flow == r.flow);
  CHECK(v.subscription == r.subscription);
  CHECK(v.result == r.result);
  CHECK(v.error == r.error);
  CHECK(v.rule_count == r.rules.size());
  std::vector<RuleValue> rules{{"stale", "value"}};
  decode_rules(v, rules);
  REQUIRE(rules.size() == r.rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    CHECK(rules[i].name == r.rules[i].name);
    CHECK(rules[i].value == r.rules[i].value);
  }
}

/// Every prefix, and every single-byte change among the first bytes of
/// each field, decodes (or fails) alike both ways.
template <typename Record, typename View>
void check_damage(const std::string& payload, std::mt19937_64& random) {
  auto agree = [](const std::string& bytes) {
    Record r;
    View v;
    const bool full = decode(bytes, r);
    const bool view = decode_view(bytes, v);
    if (full != view) FAIL("decode " << full << ", decode_view " << view << " on " << bytes.size() << " bytes");
  };
  for (size_t n = 0; n <= payload.size() + 1; ++n) {
    agree(n <= payload.size() ? payload.substr(0, n) : payload + "x");
  }
  for (size_t i = 0; i < payload.size(); ++i) {
    std::string changed = payload;
    changed[i] = static_cast<char>(random());
    agree(changed);
  }
}

}  // namespace

TEST_CASE("event views decode what decode() decodes", "[record-views]") {
  std::mt19937_64 random(11);
  for (int i = 0; i < 200; ++i) {
    const EventRecord e = sample_event(random);
    const std::string payload = encode(e);
    EventView v;
    REQUIRE(decode_view(payload, v));
    check_event(e, v);
    if (i < 20) check_damage<EventRecord, EventView>(payload, random);
  }
}

TEST_CASE("decision views decode what decode() decodes", "[record-views]") {
  std::mt19937_64 random(12);
  for (int i = 0; i < 200; ++i) {
    const DecisionRecord d = sample_decision(random);
    const std::string payload = encode(d);
    DecisionView v;
    REQUIRE(decode_view(payload, v));
    check_decision(d, v);
    if (i < 20) check_damage<DecisionRecord, DecisionView>(payload, random);
  }
}

TEST_CASE("views refuse other encoding versions and other record kinds", "[record-views]") {
  std::mt19937_64 random(13);
  std::string payload = encode(sample_event(random));
  EventView e;
  DecisionView d;
  CHECK_FALSE(decode_view(std::string_view(), e));
  CHECK_FALSE(decode_view(std::string_view(), d));
  CHECK_FALSE(decode_view(payload, d));
  payload[0] = 2;
  CHECK_FALSE(decode_view(payload, e));
}
