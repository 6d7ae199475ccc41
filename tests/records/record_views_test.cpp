// records/record_views.h against records/journal_records.h: the views decode
// the same fields, and accept exactly the payloads decode() accepts (every
// truncation and many byte changes of real encodings).
#include <catch2/catch.hpp>

#include <random>

#include "records/journal_records.h"
#include "records/record_fields.h"
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
  e.source = "s" + text(10);  // empty would mean "the service" (below)
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
    CHECK(encoded_bound(v) >= payload.size());
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
  payload[0] = 3;
  CHECK_FALSE(decode_view(payload, e));
  EventRecord full;
  CHECK_FALSE(decode(payload, full));
}

namespace {

/// Encoding version 1, as journals written before varints hold it: 8-byte
/// integers and 4-byte lengths, little-endian.
struct FixedWriter {
  std::string out = std::string(1, '\x01');
  FixedWriter& i64(int64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF));
    return *this;
  }
  FixedWriter& u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return *this;
  }
  FixedWriter& str(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    out.append(s);
    return *this;
  }
  FixedWriter& name(std::string_view s) { return str(s); }  // version 1 has no list of names
};

}  // namespace

TEST_CASE("version-1 payloads of earlier journals still decode, both ways", "[record-views]") {
  std::mt19937_64 random(14);
  for (int i = 0; i < 50; ++i) {
    const EventRecord e = sample_event(random);
    FixedWriter w;
    flow::runtime::record_fields::event(w, e);
    EventRecord back;
    REQUIRE(decode(w.out, back));
    EventView v;
    REQUIRE(decode_view(w.out, v));
    check_event(e, v);
    CHECK(encode(back) == encode(e));
    CHECK(encode(e).size() < w.out.size());  // version 2 is the smaller
    if (i < 5) check_damage<EventRecord, EventView>(w.out, random);

    const DecisionRecord d = sample_decision(random);
    FixedWriter dw;
    flow::runtime::record_fields::decision_head(dw, d).u32(static_cast<uint32_t>(d.rules.size()));
    for (const auto& rule : d.rules) dw.str(rule.name).str(rule.value);
    DecisionView dv;
    REQUIRE(decode_view(dw.out, dv));
    check_decision(d, dv);
    if (i < 5) check_damage<DecisionRecord, DecisionView>(dw.out, random);
  }
}

TEST_CASE("varint integers keep every 64-bit value and refuse overlong forms", "[record-views]") {
  std::mt19937_64 random(15);
  EventRecord e = sample_event(random);
  for (int64_t v : {INT64_MIN, INT64_MIN + 1, int64_t{-64}, int64_t{-1}, int64_t{0}, int64_t{63}, int64_t{64},
                    int64_t{1} << 56, INT64_MAX}) {
    e.time_us = v;
    e.input_line = v / -3;
    EventRecord back;
    REQUIRE(decode(encode(e), back));
    CHECK(back.time_us == v);
    CHECK(back.input_line == v / -3);
  }
  // An instance record whose last field (time) is re-encoded with a
  // needless continuation byte: the same number, an overlong form.
  InstanceRecord r{"i", "k", "m.F", InstanceStatus::Active, "e1", 5};
  std::string payload = encode(r);
  REQUIRE(payload.back() == 10);  // zigzag(5)
  InstanceRecord back;
  REQUIRE(decode(payload, back));
  payload.back() = static_cast<char>(0x8A);
  payload.push_back('\0');
  CHECK_FALSE(decode(payload, back));
  payload.back() = 1;  // now a different, canonical number: 10 + 128
  REQUIRE(decode(payload, back));
  CHECK(back.time_us == 69);
}

namespace {

/// A `decisions` record of 1–5 subscriptions over 2 flows, sharing a
/// handful of (rule, value) pairs, and the DecisionRecords it stands for.
std::string sample_decision_set(std::mt19937_64& random, std::vector<DecisionRecord>& expected) {
  static const std::string_view flows[] = {"m.Orders", "m.Billing"};
  static const RuleValueView values[] = {{"m.A", "true"}, {"m.B", "false"}, {"m.C", "12.5"}, {"m.A", "false"}};
  static std::vector<uint32_t> rule_store;
  static std::vector<SubscriptionDecisionView> entries;
  rule_store.assign(64, 0);
  entries.clear();
  expected.clear();
  size_t used = 0;
  for (size_t i = 0, n = 1 + random() % 5; i < n; ++i) {
    SubscriptionDecisionView& d = entries.emplace_back();
    d.flow = static_cast<uint32_t>(random() % 2);
    d.subscription = static_cast<int64_t>(i * 3 + random() % 3);
    d.result = static_cast<int64_t>(random() % 3) - 1;
    d.error = d.result < 0 ? "division by zero" : "";
    const size_t count = random() % 4;
    for (size_t r = 0; r < count; ++r) rule_store[used + r] = static_cast<uint32_t>(random() % 4);
    d.rules = std::span<const uint32_t>(rule_store.data() + used, count);
    used += count;
    DecisionRecord& e = expected.emplace_back();
    e.event = "o-7";
    e.flow = flows[d.flow];
    e.subscription = d.subscription;
    e.result = d.result;
    e.error = d.error;
    for (uint32_t r : d.rules) e.rules.push_back({std::string(values[r].name), std::string(values[r].value)});
  }
  const DecisionSetView view{"o-7", flows, values, entries};
  std::string payload;
  encode_into(payload, view);
  REQUIRE(encoded_bound(view) >= payload.size());
  std::string direct(encoded_bound(view), '\0');
  direct.resize(static_cast<size_t>(encode_to(direct.data(), view) - direct.data()));
  REQUIRE(direct == payload);
  return payload;
}

}  // namespace

TEST_CASE("decisions records decode to one decision per subscription, both ways", "[record-views]") {
  std::mt19937_64 random(16);
  const auto kind = static_cast<uint8_t>(RecordKind::Decisions);
  for (int i = 0; i < 200; ++i) {
    std::vector<DecisionRecord> expected;
    const std::string payload = sample_decision_set(random, expected);
    std::vector<DecisionRecord> decoded{DecisionRecord{"stale", "x", 1, 1, "", {}}};
    REQUIRE(decode_decisions(kind, payload, decoded));
    REQUIRE(decoded.size() == expected.size());
    std::vector<DecisionView> views(1);  // views are appended
    REQUIRE(decode_decision_views(kind, payload, views));
    REQUIRE(views.size() == expected.size() + 1);
    for (size_t d = 0; d < expected.size(); ++d) {
      CHECK(decoded[d].event == expected[d].event);
      CHECK(decoded[d].flow == expected[d].flow);
      CHECK(decoded[d].subscription == expected[d].subscription);
      CHECK(decoded[d].result == expected[d].result);
      CHECK(decoded[d].error == expected[d].error);
      REQUIRE(decoded[d].rules.size() == expected[d].rules.size());
      for (size_t r = 0; r < expected[d].rules.size(); ++r) {
        CHECK(decoded[d].rules[r].name == expected[d].rules[r].name);
        CHECK(decoded[d].rules[r].value == expected[d].rules[r].value);
      }
      check_decision(expected[d], views[d + 1]);
    }
    if (i < 20) {
      // Every prefix and many byte changes: both decoders agree, and a
      // refused payload leaves the appended views as they were.
      auto agree = [&](const std::string& bytes) {
        std::vector<DecisionRecord> full;
        std::vector<DecisionView> some(2);
        const bool a = decode_decisions(kind, bytes, full);
        const bool b = decode_decision_views(kind, bytes, some);
        if (a != b) FAIL("decode_decisions " << a << ", decode_decision_views " << b);
        if (!b && some.size() != 2) FAIL("a refused payload changed the views");
      };
      for (size_t n = 0; n <= payload.size(); ++n) agree(payload.substr(0, n));
      agree(payload + "x");
      for (size_t b = 0; b < payload.size(); ++b) {
        std::string changed = payload;
        changed[b] = static_cast<char>(random());
        agree(changed);
      }
    }
  }
  // Only decision kinds decode as decisions.
  std::vector<DecisionRecord> out;
  std::vector<DecisionView> views;
  CHECK_FALSE(decode_decisions(static_cast<uint8_t>(RecordKind::Event), encode(sample_event(random)), out));
  CHECK_FALSE(decode_decision_views(static_cast<uint8_t>(RecordKind::Event), encode(sample_event(random)), views));
  // A single `decision` record of earlier journals: one decision.
  const DecisionRecord single = sample_decision(random);
  REQUIRE(decode_decisions(static_cast<uint8_t>(RecordKind::Decision), encode(single), out));
  REQUIRE(out.size() == 1);
  CHECK(out[0].subscription == single.subscription);
  const std::string single_payload = encode(single);  // the views borrow it
  REQUIRE(decode_decision_views(static_cast<uint8_t>(RecordKind::Decision), single_payload, views));
  REQUIRE(views.size() == 1);
  check_decision(single, views[0]);
}

TEST_CASE("an emitted event's source is written empty and read back as its service", "[record-views]") {
  std::mt19937_64 random(17);
  EventRecord e = sample_event(random);
  e.service = "m.CheckOrder";
  e.source = "";
  const std::string payload = encode(e);
  EventRecord back;
  REQUIRE(decode(payload, back));
  CHECK(back.source == "m.CheckOrder");
  EventView view;
  REQUIRE(decode_view(payload, view));
  CHECK(view.source == "m.CheckOrder");
  e.service = "";  // an ingress event keeps what it has
  REQUIRE(decode(encode(e), back));
  CHECK(back.source.empty());
}
