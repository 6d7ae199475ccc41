#include "records/journal_records.h"

#include "records/record_fields.h"

#include <cstring>

namespace flow::runtime {

namespace {

constexpr uint8_t kEncodingVersion = 1;

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) { out_.push_back(static_cast<char>(kEncodingVersion)); }
  Writer& i64(int64_t v) {
    char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
    out_.append(bytes, 8);
    return *this;
  }
  Writer& u32(uint32_t v) {
    char bytes[4];
    for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    out_.append(bytes, 4);
    return *this;
  }
  Writer& str(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
    return *this;
  }
  Writer& byte(uint8_t b) {
    out_.push_back(static_cast<char>(b));
    return *this;
  }

 private:
  std::string& out_;
};

// Reads fields in order; the first failure sticks, so a chain of reads can
// be checked once at the end (or step by step: a Reader tests as its state).
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {
    uint8_t version = 0;
    ok_ = byte(version) && version == kEncodingVersion;
  }
  Reader& i64(int64_t& v) {
    if (!ok_ || in_.size() < 8) return fail();
    uint64_t u = 0;
    for (int i = 0; i < 8; ++i) u |= static_cast<uint64_t>(static_cast<unsigned char>(in_[i])) << (8 * i);
    v = static_cast<int64_t>(u);
    in_.remove_prefix(8);
    return *this;
  }
  Reader& u32(uint32_t& v) {
    if (!ok_ || in_.size() < 4) return fail();
    v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(in_[i])) << (8 * i);
    in_.remove_prefix(4);
    return *this;
  }
  Reader& str(std::string& s) {
    uint32_t n = 0;
    if (!u32(n) || in_.size() < n) return fail();
    s.assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return *this;
  }
  Reader& byte(uint8_t& b) {
    if (in_.empty()) return fail();
    b = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return *this;
  }
  explicit operator bool() const { return ok_; }
  /// True when every read succeeded and the payload was consumed exactly.
  bool done() const { return ok_ && in_.empty(); }

 private:
  Reader& fail() {
    ok_ = false;
    return *this;
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

const char* to_string(RecordKind kind) {
  switch (kind) {
    case RecordKind::Definition: return "definition";
    case RecordKind::Event: return "event";
    case RecordKind::Decision: return "decision";
    case RecordKind::Attempt: return "attempt";
    case RecordKind::DeadLetter: return "dead-letter";
    case RecordKind::Rejected: return "rejected";
    case RecordKind::Instance: return "instance";
  }
  return "unknown";
}

const char* to_string(AttemptOutcomeKind kind) {
  switch (kind) {
    case AttemptOutcomeKind::Ok: return "ok";
    case AttemptOutcomeKind::Error: return "error";
    case AttemptOutcomeKind::Timeout: return "timeout";
    case AttemptOutcomeKind::Malformed: return "malformed";
    case AttemptOutcomeKind::Died: return "died";
    case AttemptOutcomeKind::Invalid: return "invalid";
  }
  return "unknown";
}

const char* to_string(InstanceStatus status) {
  switch (status) {
    case InstanceStatus::Active: return "active";
    case InstanceStatus::Completed: return "completed";
    case InstanceStatus::Failed: return "failed";
  }
  return "unknown";
}

std::string encode(const DefinitionRecord& r) {
  std::string out;
  Writer(out).str(r.hash).i64(r.activated_us).str(r.source).str(r.artifact);
  return out;
}

void encode_into(std::string& out, const EventRecordView& r) {
  Writer w(out);
  record_fields::event(w, r);
}

void encode_into(std::string& out, const EventRecord& r) {
  encode_into(out, EventRecordView{r.id, r.type, r.instance, r.key, r.causation, r.delivery, r.service, r.source,
                                   r.subject, r.time_us, r.dispatched_us, r.input_line, r.definition, r.data_json});
}

std::string encode(const EventRecord& r) {
  std::string out;
  encode_into(out, r);
  return out;
}

void encode_into(std::string& out, const DecisionRecordView& r) {
  Writer w(out);
  record_fields::decision_head(w, r).u32(static_cast<uint32_t>(r.rules.size()));
  for (const auto& rule : r.rules) w.str(rule.name).str(rule.value);
}

std::string encode(const DecisionRecord& r) {
  std::vector<RuleValueView> rules;
  rules.reserve(r.rules.size());
  for (const auto& rule : r.rules) rules.push_back({rule.name, rule.value});
  std::string out;
  encode_into(out, DecisionRecordView{r.event, r.flow, r.subscription, r.result, r.error, rules});
  return out;
}

void encode_into(std::string& out, const AttemptRecordView& r) {
  Writer w(out);
  w.str(r.delivery)
      .str(r.event)
      .str(r.instance)
      .str(r.flow)
      .str(r.service)
      .i64(r.attempt)
      .i64(r.started_us)
      .i64(r.ended_us)
      .byte(static_cast<uint8_t>(r.outcome))
      .str(r.error)
      .u32(static_cast<uint32_t>(r.emitted.size()));
  for (const auto& e : r.emitted) w.str(e);
}

std::string encode(const AttemptRecord& r) {
  std::string out;
  encode_into(out, AttemptRecordView{r.delivery, r.event, r.instance, r.flow, r.service, r.attempt, r.started_us,
                                     r.ended_us, r.outcome, r.error, r.emitted});
  return out;
}

std::string encode(const DeadLetterRecord& r) {
  std::string out;
  Writer(out)
      .str(r.delivery)
      .str(r.event)
      .str(r.instance)
      .str(r.flow)
      .str(r.service)
      .i64(r.attempts)
      .str(r.error)
      .i64(r.time_us);
  return out;
}

std::string encode(const RejectedRecord& r) {
  std::string out;
  Writer(out).i64(r.line).str(r.reason).str(r.raw).i64(r.time_us);
  return out;
}

void encode_into(std::string& out, const InstanceRecordView& r) {
  Writer(out).str(r.instance).str(r.key).str(r.flow).byte(static_cast<uint8_t>(r.status)).str(r.event).i64(r.time_us);
}

std::string encode(const InstanceRecord& r) {
  std::string out;
  encode_into(out, InstanceRecordView{r.instance, r.key, r.flow, r.status, r.event, r.time_us});
  return out;
}

bool decode(std::string_view payload, DefinitionRecord& r) {
  Reader in(payload);
  in.str(r.hash) && in.i64(r.activated_us) && in.str(r.source) && in.str(r.artifact);
  return in.done();
}

bool decode(std::string_view payload, EventRecord& r) {
  Reader in(payload);
  record_fields::event(in, r);
  return in.done();
}

bool decode(std::string_view payload, DecisionRecord& r) {
  Reader in(payload);
  uint32_t count = 0;
  if (!record_fields::decision_head(in, r).u32(count)) return false;
  r.rules.clear();
  for (uint32_t i = 0; i < count; ++i) {
    RuleValue v;
    if (!in.str(v.name) || !in.str(v.value)) return false;
    r.rules.push_back(std::move(v));
  }
  return in.done();
}

bool decode(std::string_view payload, AttemptRecord& r) {
  Reader in(payload);
  uint8_t outcome = 0;
  uint32_t count = 0;
  if (!(in.str(r.delivery) && in.str(r.event) && in.str(r.instance) && in.str(r.flow) && in.str(r.service) &&
        in.i64(r.attempt) && in.i64(r.started_us) && in.i64(r.ended_us) && in.byte(outcome) && in.str(r.error) &&
        in.u32(count)) ||
      outcome > static_cast<uint8_t>(AttemptOutcomeKind::Invalid)) {
    return false;
  }
  r.outcome = static_cast<AttemptOutcomeKind>(outcome);
  r.emitted.clear();
  for (uint32_t i = 0; i < count; ++i) {
    std::string id;
    if (!in.str(id)) return false;
    r.emitted.push_back(std::move(id));
  }
  return in.done();
}

bool decode(std::string_view payload, DeadLetterRecord& r) {
  Reader in(payload);
  in.str(r.delivery) && in.str(r.event) && in.str(r.instance) && in.str(r.flow) && in.str(r.service) &&
      in.i64(r.attempts) && in.str(r.error) && in.i64(r.time_us);
  return in.done();
}

bool decode(std::string_view payload, RejectedRecord& r) {
  Reader in(payload);
  in.i64(r.line) && in.str(r.reason) && in.str(r.raw) && in.i64(r.time_us);
  return in.done();
}

bool decode(std::string_view payload, InstanceRecord& r) {
  Reader in(payload);
  uint8_t status = 0;
  if (!(in.str(r.instance) && in.str(r.key) && in.str(r.flow) && in.byte(status) && in.str(r.event) &&
        in.i64(r.time_us)) ||
      status > static_cast<uint8_t>(InstanceStatus::Failed)) {
    return false;
  }
  r.status = static_cast<InstanceStatus>(status);
  return in.done();
}

}  // namespace flow::runtime
