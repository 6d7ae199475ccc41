#include "records/journal_records.h"

#include "records/name_list.h"
#include "records/record_encoder.h"
#include "records/record_fields.h"
#include "records/varint.h"

#include <cstring>

namespace flow::runtime {

namespace {

// Version 1 (journals written before 2026-11-25): integers as 8-byte and
// lengths as 4-byte little-endian. Version 2, written now: both as LEB128
// varints (signed integers zigzag-encoded), which halves the framing of the
// small records the runtime writes by the million. Both are read.
constexpr uint8_t kFixedEncoding = 1;
constexpr uint8_t kVarintEncoding = RecordRawWriter::kEncodingVersion;
// Version 3: version 2 with name fields that may refer to the segment's
// list of names (name_list.h). Written for events, decisions, attempts and
// instance changes.
constexpr uint8_t kNamedEncoding = RecordRawWriter::kNamedEncodingVersion;
// Version 4: version 2 with a dead letter's reason as its last field.
// Written for dead letters; one of an earlier version has reason Unknown.
constexpr uint8_t kReasonEncoding = 4;
static_assert(kNamesRecordKind == static_cast<uint8_t>(RecordKind::Names));

class Writer {
 public:
  explicit Writer(std::string& out, uint8_t version = kVarintEncoding) : out_(out) {
    out_.push_back(static_cast<char>(version));
  }
  Writer& i64(int64_t v) {
    varint::append(out_, varint::zigzag(v));
    return *this;
  }
  Writer& u32(uint32_t v) {
    varint::append(out_, v);
    return *this;
  }
  Writer& str(std::string_view s) {
    varint::append(out_, s.size());
    out_.append(s);
    return *this;
  }
  Writer& name(std::string_view s) { return str(s); }
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
  /// Accepts encoding versions 1 to `newest`: 4 only where a record kind
  /// is written in it.
  explicit Reader(std::string_view in, const NameList* names = nullptr, uint8_t newest = kNamedEncoding)
      : in_(in), names_(names) {
    ok_ = byte(version_) && version_ >= kFixedEncoding && version_ <= newest;
    varints_ = version_ != kFixedEncoding;
  }
  Reader& i64(int64_t& v) {
    uint64_t u = 0;
    if (varints_) {
      if (!take_varint(u)) return fail();
      v = varint::unzigzag(u);
      return *this;
    }
    if (!ok_ || in_.size() < 8) return fail();
    for (int i = 0; i < 8; ++i) u |= static_cast<uint64_t>(static_cast<unsigned char>(in_[i])) << (8 * i);
    v = static_cast<int64_t>(u);
    in_.remove_prefix(8);
    return *this;
  }
  Reader& u32(uint32_t& v) {
    if (varints_) {
      uint64_t u = 0;
      if (!take_varint(u) || u > UINT32_MAX) return fail();
      v = static_cast<uint32_t>(u);
      return *this;
    }
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
  /// A name field: in version 3 a reference into the segment's list or
  /// tagged text (name_list.h); a plain string before.
  Reader& name(std::string& s) {
    if (version_ != kNamedEncoding) return str(s);
    std::string_view text;
    if (!ok_ || !take_name(in_, names_, text)) return fail();
    s.assign(text);
    return *this;
  }
  Reader& byte(uint8_t& b) {
    if (!ok_ || in_.empty()) return fail();
    b = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return *this;
  }
  uint8_t version() const { return version_; }
  explicit operator bool() const { return ok_; }
  /// True when every read succeeded and the payload was consumed exactly.
  bool done() const { return ok_ && in_.empty(); }

 private:
  bool take_varint(uint64_t& v) { return ok_ && varint::take(in_, v); }
  Reader& fail() {
    ok_ = false;
    return *this;
  }
  std::string_view in_;
  const NameList* names_;
  uint8_t version_ = 0;
  bool varints_ = false;
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
    case RecordKind::Decisions: return "decisions";
    case RecordKind::Names: return "names";
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

std::string_view to_string(DeadLetterReason reason) {
  switch (reason) {
    case DeadLetterReason::Error: return "error";
    case DeadLetterReason::Timeout: return "timeout";
    case DeadLetterReason::ProcessDied: return "process_died";
    case DeadLetterReason::InvalidOutput: return "invalid_output";
    case DeadLetterReason::UndeclaredEvent: return "undeclared_event";
    case DeadLetterReason::InvalidEvent: return "invalid_event";
    case DeadLetterReason::StartFailed: return "start_failed";
    case DeadLetterReason::HttpStatus: return "http_status";
    case DeadLetterReason::ServiceRemoved: return "service_removed";
    case DeadLetterReason::ChainTooLong: return "chain_too_long";
    case DeadLetterReason::SinkFailed: return "sink_failed";
    case DeadLetterReason::UnknownBuiltin: return "unknown_builtin";
    case DeadLetterReason::ShutDown: return "shut_down";
    case DeadLetterReason::TransformFailed: return "transform_failed";
    case DeadLetterReason::Unknown: return "unknown";
    case DeadLetterReason::Unreachable: return "unreachable";
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

namespace {

// The records the engine writes per event: each field list once, run by
// RecordSizer (the bound) and RecordRawWriter (the bytes).
template <class Codec>
void event_fields(Codec& c, const EventRecordView& r) {
  record_fields::event(c, r);
}

template <class Codec>
void decision_set_fields(Codec& c, const DecisionSetView& r) {
  record_fields::decision_set_head(c, r);
  c.u32(static_cast<uint32_t>(r.flows.size()));
  for (auto flow : r.flows) c.name(flow);
  c.u32(static_cast<uint32_t>(r.values.size()));
  for (const auto& value : r.values) c.name(value.name).name(value.value);
  c.u32(static_cast<uint32_t>(r.decisions.size()));
  for (const auto& d : r.decisions) {
    record_fields::subscription_decision(c, d).u32(static_cast<uint32_t>(d.rules.size()));
    for (uint32_t rule : d.rules) c.u32(rule);
  }
}

template <class Codec>
void attempt_fields(Codec& c, const AttemptRecordView& r) {
  c.str(r.delivery)
      .str(r.event)
      .str(r.instance)
      .name(r.flow)
      .name(r.service)
      .i64(r.attempt)
      .i64(r.started_us)
      .i64(r.ended_us)
      .byte(static_cast<uint8_t>(r.outcome))
      .str(r.error)
      .u32(static_cast<uint32_t>(r.emitted.size()));
  for (const auto& e : r.emitted) c.str(e);
}

template <class Codec>
void instance_fields(Codec& c, const InstanceRecordView& r) {
  c.str(r.instance).str(r.key).name(r.flow).byte(static_cast<uint8_t>(r.status)).str(r.event).i64(r.time_us);
}

struct EncodeFields {
  template <class Codec>
  void operator()(Codec& c, const EventRecordView& r) const {
    event_fields(c, r);
  }
  template <class Codec>
  void operator()(Codec& c, const DecisionSetView& r) const {
    decision_set_fields(c, r);
  }
  template <class Codec>
  void operator()(Codec& c, const AttemptRecordView& r) const {
    attempt_fields(c, r);
  }
  template <class Codec>
  void operator()(Codec& c, const InstanceRecordView& r) const {
    instance_fields(c, r);
  }
};

template <class View>
size_t bound_of(const View& r) {
  RecordSizer sizer;
  EncodeFields{}(sizer, r);
  return sizer.bytes;
}

template <class View>
char* write_to(char* out, const View& r, const NameRefs* names = nullptr) {
  RecordRawWriter writer(out, names);
  EncodeFields{}(writer, r);
  return writer.end();
}

template <class View>
void append_encoding(std::string& out, const View& r) {
  const size_t start = out.size();
  out.resize(start + bound_of(r));
  out.resize(static_cast<size_t>(write_to(out.data() + start, r) - out.data()));
}

}  // namespace

size_t encoded_bound(const EventRecordView& r) {
  return bound_of(r);
}
size_t encoded_bound(const DecisionSetView& r) {
  return bound_of(r);
}
size_t encoded_bound(const AttemptRecordView& r) {
  return bound_of(r);
}
size_t encoded_bound(const InstanceRecordView& r) {
  return bound_of(r);
}
char* encode_to(char* out, const EventRecordView& r, const NameRefs* names) {
  return write_to(out, r, names);
}
char* encode_to(char* out, const DecisionSetView& r, const NameRefs* names) {
  return write_to(out, r, names);
}
char* encode_to(char* out, const AttemptRecordView& r, const NameRefs* names) {
  return write_to(out, r, names);
}
char* encode_to(char* out, const InstanceRecordView& r, const NameRefs* names) {
  return write_to(out, r, names);
}
void encode_into(std::string& out, const EventRecordView& r) {
  append_encoding(out, r);
}
void encode_into(std::string& out, const DecisionSetView& r) {
  append_encoding(out, r);
}
void encode_into(std::string& out, const AttemptRecordView& r) {
  append_encoding(out, r);
}
void encode_into(std::string& out, const InstanceRecordView& r) {
  append_encoding(out, r);
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

std::string encode(const AttemptRecord& r) {
  std::string out;
  encode_into(out, AttemptRecordView{r.delivery, r.event, r.instance, r.flow, r.service, r.attempt, r.started_us,
                                     r.ended_us, r.outcome, r.error, r.emitted});
  return out;
}

std::string encode(const DeadLetterRecord& r) {
  std::string out;
  Writer(out, kReasonEncoding)
      .str(r.delivery)
      .str(r.event)
      .str(r.instance)
      .str(r.flow)
      .str(r.service)
      .i64(r.attempts)
      .str(r.error)
      .i64(r.time_us)
      .byte(static_cast<uint8_t>(r.reason));
  return out;
}

std::string encode(const RejectedRecord& r) {
  std::string out;
  Writer(out).i64(r.line).str(r.reason).str(r.raw).i64(r.time_us);
  return out;
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

bool decode(std::string_view payload, EventRecord& r, const NameList* names) {
  Reader in(payload, names);
  record_fields::event(in, r);
  record_fields::restore_source(r);
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

bool decode_decisions(uint8_t kind, std::string_view payload, std::vector<DecisionRecord>& out, const NameList* names) {
  if (kind == static_cast<uint8_t>(RecordKind::Decision)) {
    out.resize(1);
    return decode(payload, out[0]);
  }
  if (kind != static_cast<uint8_t>(RecordKind::Decisions)) return false;
  Reader in(payload, names);
  struct Head {
    std::string event;
  } head;
  if (!record_fields::decision_set_head(in, head)) return false;
  uint32_t count = 0;
  // Each list element takes at least one byte: a count beyond the bytes
  // left is damage, refused before anything is allocated for it.
  if (!in.u32(count) || count > payload.size()) return false;
  // Scratch tables reused across calls: exports and scans decode millions.
  thread_local std::vector<std::string> flows;
  thread_local std::vector<RuleValue> values;
  flows.resize(count);
  for (auto& flow : flows) {
    if (!in.name(flow)) return false;
  }
  if (!in.u32(count) || count > payload.size()) return false;
  values.resize(count);
  for (auto& value : values) {
    if (!in.name(value.name).name(value.value)) return false;
  }
  if (!in.u32(count) || count > payload.size()) return false;
  out.resize(count);
  for (auto& d : out) {
    struct {
      uint32_t flow = 0;
      int64_t subscription = 0, result = 0;
      std::string error;
    } entry;
    uint32_t rules = 0;
    if (!record_fields::subscription_decision(in, entry).u32(rules) || entry.flow >= flows.size() ||
        rules > payload.size()) {
      return false;
    }
    d.event = head.event;
    d.flow = flows[entry.flow];
    d.subscription = entry.subscription;
    d.result = entry.result;
    d.error = std::move(entry.error);
    d.rules.resize(rules);
    for (auto& rule : d.rules) {
      uint32_t index = 0;
      if (!in.u32(index) || index >= values.size()) return false;
      rule = values[index];
    }
  }
  return in.done();
}

bool decode(std::string_view payload, AttemptRecord& r, const NameList* names) {
  Reader in(payload, names);
  uint8_t outcome = 0;
  uint32_t count = 0;
  if (!(in.str(r.delivery) && in.str(r.event) && in.str(r.instance) && in.name(r.flow) && in.name(r.service) &&
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
  Reader in(payload, nullptr, kReasonEncoding);
  if (!(in.str(r.delivery) && in.str(r.event) && in.str(r.instance) && in.str(r.flow) && in.str(r.service) &&
        in.i64(r.attempts) && in.str(r.error) && in.i64(r.time_us))) {
    return false;
  }
  r.reason = DeadLetterReason::Unknown;
  if (in.version() == kReasonEncoding) {
    uint8_t reason = 0;
    if (!in.byte(reason) || reason > static_cast<uint8_t>(kLastDeadLetterReason)) return false;
    r.reason = static_cast<DeadLetterReason>(reason);
  }
  return in.done();
}

bool decode(std::string_view payload, RejectedRecord& r) {
  Reader in(payload);
  in.i64(r.line) && in.str(r.reason) && in.str(r.raw) && in.i64(r.time_us);
  return in.done();
}

bool decode(std::string_view payload, InstanceRecord& r, const NameList* names) {
  Reader in(payload, names);
  uint8_t status = 0;
  if (!(in.str(r.instance) && in.str(r.key) && in.name(r.flow) && in.byte(status) && in.str(r.event) &&
        in.i64(r.time_us)) ||
      status > static_cast<uint8_t>(InstanceStatus::Failed)) {
    return false;
  }
  r.status = static_cast<InstanceStatus>(status);
  return in.done();
}

}  // namespace flow::runtime
