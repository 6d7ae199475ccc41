// The dead-letter record (records/journal_records.h): its reason survives
// the round trip, and records of journals from before reasons still decode.
#include <catch2/catch.hpp>

#include "records/journal_records.h"
#include "records/varint.h"

using namespace flow::runtime;

namespace {

DeadLetterRecord sample(DeadLetterReason reason) {
  return {"d-e7.0.0", "e7", "order-42", "shop.Orders", "shop.Charge", 3, "no answer within 1 s", 1'767'225'600'000'000,
          reason};
}

/// A dead letter as journals wrote it before reasons: encoding version 2,
/// the same fields, nothing after the time.
std::string version_2(const DeadLetterRecord& r) {
  std::string out(1, '\x02');
  auto str = [&](const std::string& s) {
    varint::append(out, s.size());
    out += s;
  };
  str(r.delivery);
  str(r.event);
  str(r.instance);
  str(r.flow);
  str(r.service);
  varint::append(out, varint::zigzag(r.attempts));
  str(r.error);
  varint::append(out, varint::zigzag(r.time_us));
  return out;
}

}  // namespace

TEST_CASE("a dead letter's reason survives the round trip, for every reason", "[records]") {
  for (auto value = static_cast<uint8_t>(DeadLetterReason::Error); value <= static_cast<uint8_t>(kLastDeadLetterReason);
       ++value) {
    const auto reason = static_cast<DeadLetterReason>(value);
    INFO(to_string(reason));
    const DeadLetterRecord r = sample(reason);
    DeadLetterRecord back;
    REQUIRE(decode(encode(r), back));
    CHECK(back.reason == reason);
    CHECK(back.delivery == r.delivery);
    CHECK(back.event == r.event);
    CHECK(back.instance == r.instance);
    CHECK(back.flow == r.flow);
    CHECK(back.service == r.service);
    CHECK(back.attempts == r.attempts);
    CHECK(back.error == r.error);
    CHECK(back.time_us == r.time_us);
  }
}

TEST_CASE("reasons have stable snake_case names", "[records]") {
  const std::pair<DeadLetterReason, const char*> names[] = {
      {DeadLetterReason::Error, "error"},
      {DeadLetterReason::Timeout, "timeout"},
      {DeadLetterReason::ProcessDied, "process_died"},
      {DeadLetterReason::InvalidOutput, "invalid_output"},
      {DeadLetterReason::UndeclaredEvent, "undeclared_event"},
      {DeadLetterReason::InvalidEvent, "invalid_event"},
      {DeadLetterReason::StartFailed, "start_failed"},
      {DeadLetterReason::HttpStatus, "http_status"},
      {DeadLetterReason::ServiceRemoved, "service_removed"},
      {DeadLetterReason::ChainTooLong, "chain_too_long"},
      {DeadLetterReason::SinkFailed, "sink_failed"},
      {DeadLetterReason::UnknownBuiltin, "unknown_builtin"},
      {DeadLetterReason::ShutDown, "shut_down"},
      {DeadLetterReason::TransformFailed, "transform_failed"},
      {DeadLetterReason::Unknown, "unknown"},
      {DeadLetterReason::Unreachable, "unreachable"},
  };
  for (const auto& [reason, name] : names) CHECK(to_string(reason) == name);
}

TEST_CASE("a dead letter of an earlier journal, without a reason, decodes with reason Unknown", "[records]") {
  const DeadLetterRecord r = sample(DeadLetterReason::Timeout);
  const std::string old = version_2(r);
  DeadLetterRecord back;
  back.reason = DeadLetterReason::Timeout;
  REQUIRE(decode(old, back));
  CHECK(back.reason == DeadLetterReason::Unknown);
  CHECK(back.delivery == r.delivery);
  CHECK(back.error == r.error);
  CHECK(back.time_us == r.time_us);
  // Written now, the same record is the old one with a new version and the reason after it.
  const std::string now = encode(r);
  CHECK(now.substr(1, old.size() - 1) == old.substr(1));
  CHECK(now.size() == old.size() + 1);
}

TEST_CASE("a dead letter with a reason out of range, or cut short, does not decode", "[records]") {
  std::string payload = encode(sample(DeadLetterReason::Error));
  DeadLetterRecord back;
  payload.back() = static_cast<char>(static_cast<uint8_t>(kLastDeadLetterReason) + 1);
  CHECK_FALSE(decode(payload, back));
  payload.pop_back();  // version 4 without its reason
  CHECK_FALSE(decode(payload, back));
  payload += "\x01\x01";  // a byte too many
  CHECK_FALSE(decode(payload, back));
}
