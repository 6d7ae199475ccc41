// The journal's record types (runtime.md §5) and their payload encoding.
// The storage layer (runtime/journal) frames and checksums records; this
// file says what is inside. docs/journal.md "Record types" documents it.
//
// Encoding: a payload starts with a one-byte encoding version, then the
// record's fields in a fixed order. Version 2 (written now): integers as
// zigzag LEB128 varints, strings as a varint length and bytes, lists as a
// varint count and elements. Version 1 (read, no longer written): 8-byte
// little-endian integers and u32 lengths and counts. Version 3 (events,
// decisions, attempts, instance changes): version 2 whose name fields may
// refer to the segment's list of names (name_list.h). Version 4 (dead
// letters): version 2 with the reason after the last field.
// Decoding checks every length against the payload and never reads past it;
// a payload that does not decode is reported by its position, not trusted.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace flow::runtime {

class NameList;
class NameRefs;

enum class RecordKind : uint8_t {
  Definition = 1,  // a definition version became active
  Event = 2,       // an event was dispatched (ingress or emitted)
  Decision = 3,    // a subscription's condition was evaluated (read; no longer written)
  Attempt = 4,     // one delivery attempt to a service, and its outcome
  DeadLetter = 5,  // a delivery failed for good
  Rejected = 6,    // an input line was refused
  Instance = 7,    // an instance entered a flow or changed status in it
  Decisions = 8,   // the conditions of an event's subscriptions were evaluated
  Names = 9,       // the names version-3 records of its segment refer to (name_list.h)
};
const char* to_string(RecordKind kind);

struct DefinitionRecord {
  std::string hash;          // content hash of the artifact
  int64_t activated_us = 0;  // when it became active
  std::string source;        // the file it was loaded from
  std::string artifact;      // the full .flowc bytes
};

struct EventRecord {
  std::string id;             // event id (CloudEvents id)
  std::string type;           // qualified event type name
  std::string instance;       // process instance id
  std::string key;            // the event's key value ("" when none)
  std::string causation;      // the event that caused it ("" for ingress)
  std::string delivery;       // the delivery whose service emitted it ("" for ingress)
  std::string service;        // that service ("" for ingress)
  std::string source;         // CloudEvents source
  std::string subject;        // CloudEvents subject ("" when none)
  int64_t time_us = 0;        // CloudEvents time
  int64_t dispatched_us = 0;  // now() for its decisions
  int64_t input_line = 0;     // line number of an ingress event; 0 when emitted
  std::string definition;     // definition hash it was dispatched under
  std::string data_json;      // the `data` object
};

struct RuleValue {
  std::string name;   // rule or decision, qualified
  std::string value;  // its value as Flow text, or "error: ..." when it failed
};

struct DecisionRecord {
  std::string event;             // event id
  std::string flow;              // qualified flow name
  int64_t subscription = 0;      // index in the flow
  int64_t result = 0;            // 1 fired, 0 did not, -1 evaluation error (treated as not fired)
  std::string error;             // the evaluation error, when result is -1
  std::vector<RuleValue> rules;  // every rule and decision the condition used
};

enum class AttemptOutcomeKind : uint8_t { Ok = 0, Error = 1, Timeout = 2, Malformed = 3, Died = 4, Invalid = 5 };
const char* to_string(AttemptOutcomeKind kind);

struct AttemptRecord {
  std::string delivery;  // delivery id (stable across retries)
  std::string event;     // the event delivered
  std::string instance;
  std::string flow;  // the flow whose subscription made the delivery
  std::string service;
  int64_t attempt = 1;  // 1-based
  int64_t started_us = 0;
  int64_t ended_us = 0;
  AttemptOutcomeKind outcome = AttemptOutcomeKind::Ok;
  std::string error;
  std::vector<std::string> emitted;  // ids of the events it produced (on Ok)
};

/// Why a delivery was dead-lettered, for rules and queries to test (the
/// error text is for people). Journaled as one byte: values never change.
enum class DeadLetterReason : uint8_t {
  Error = 0,        // the service answered with an error
  Timeout,          // no answer within the service's timeout
  ProcessDied,      // the service's process exited or was killed while it was in flight
  InvalidOutput,    // a malformed answer
  UndeclaredEvent,  // emitted an event the service does not publish
  InvalidEvent,     // emitted an event that fails validation
  StartFailed,      // the service's process could not be started
  HttpStatus,       // an HTTP service answered with a failure status
  ServiceRemoved,   // the service is no longer in the definition
  ChainTooLong,     // the causal chain exceeded its limit
  SinkFailed,       // a built-in sink could not write
  UnknownBuiltin,   // a built-in service name the runtime does not know
  ShutDown,         // the runtime ended before the delivery settled
  TransformFailed,  // an emit service's expressions could not be evaluated
  Unknown,          // journals from before reasons were recorded
  Unreachable,      // an http service could not be reached, or dropped the connection
};
/// The highest reason a dead letter may hold (decoding refuses others).
inline constexpr DeadLetterReason kLastDeadLetterReason = DeadLetterReason::Unreachable;
/// Stable snake_case names (`timeout`, `process_died`, ...), as queries show them.
std::string_view to_string(DeadLetterReason reason);

struct DeadLetterRecord {
  std::string delivery;
  std::string event;
  std::string instance;
  std::string flow;
  std::string service;
  int64_t attempts = 0;
  std::string error;  // the last attempt's, for people
  int64_t time_us = 0;
  DeadLetterReason reason = DeadLetterReason::Unknown;
};

struct RejectedRecord {
  int64_t line = 0;
  std::string reason;
  std::string raw;
  int64_t time_us = 0;
};

enum class InstanceStatus : uint8_t { Active = 0, Completed = 1, Failed = 2 };
const char* to_string(InstanceStatus status);

struct InstanceRecord {
  std::string instance;
  std::string key;
  std::string flow;
  InstanceStatus status = InstanceStatus::Active;
  std::string event;  // the event that caused the change
  int64_t time_us = 0;
};

std::string encode(const DefinitionRecord& r);
std::string encode(const EventRecord& r);
std::string encode(const DecisionRecord& r);
std::string encode(const AttemptRecord& r);
std::string encode(const DeadLetterRecord& r);
std::string encode(const RejectedRecord& r);
std::string encode(const InstanceRecord& r);

bool decode(std::string_view payload, DefinitionRecord& r);
/// Events, attempts and instance changes of encoding version 3 may refer
/// to their segment's list of names: `names` is that list (SegmentNames,
/// or the segment's first record); without it such a record does not
/// decode.
bool decode(std::string_view payload, EventRecord& r, const NameList* names = nullptr);
bool decode(std::string_view payload, DecisionRecord& r);
/// A `decision` (kind 3, one subscription) or `decisions` record (kind 8,
/// every conditional subscription of an event): one DecisionRecord per
/// subscription, in journal order, in `out` (whose elements are reused).
/// False for another kind or a payload that does not decode.
bool decode_decisions(uint8_t kind, std::string_view payload, std::vector<DecisionRecord>& out,
                      const NameList* names = nullptr);
/// The decisions of one `decision` or `decisions` record.
struct DecisionSet {
  std::vector<DecisionRecord> decisions;
};
inline bool is_decision_kind(uint8_t kind) {
  return kind == static_cast<uint8_t>(RecordKind::Decision) || kind == static_cast<uint8_t>(RecordKind::Decisions);
}
bool decode(std::string_view payload, AttemptRecord& r, const NameList* names = nullptr);
bool decode(std::string_view payload, DeadLetterRecord& r);
bool decode(std::string_view payload, RejectedRecord& r);
bool decode(std::string_view payload, InstanceRecord& r, const NameList* names = nullptr);

// Views of the records the runtime writes on its hot path: the same
// encoding as encode() above (which is defined through them, so the field
// order lives in one place), from borrowed text, appended to a buffer the
// caller reuses — no allocation once the buffer has grown.

struct EventRecordView {
  std::string_view id, type, instance, key, causation, delivery, service, source, subject;
  int64_t time_us = 0, dispatched_us = 0, input_line = 0;
  std::string_view definition, data_json;
};

struct RuleValueView {
  std::string_view name, value;
};

struct DecisionRecordView {
  std::string_view event, flow;
  int64_t subscription = 0, result = 0;
  std::string_view error;
  std::span<const RuleValueView> rules;
};

/// One subscription's decision inside a `decisions` record.
struct SubscriptionDecisionView {
  uint32_t flow = 0;  // index into DecisionSetView::flows
  int64_t subscription = 0, result = 0;
  std::string_view error;
  std::span<const uint32_t> rules;  // indexes into DecisionSetView::values, in trace order
};

/// A `decisions` record: every conditional subscription evaluated on one
/// event, in route order. Flow names and (rule, value) pairs are written
/// once each and referred to by index: the subscriptions of one event
/// mostly share both.
struct DecisionSetView {
  std::string_view event;
  std::span<const std::string_view> flows;
  std::span<const RuleValueView> values;
  std::span<const SubscriptionDecisionView> decisions;
};

struct AttemptRecordView {
  std::string_view delivery, event, instance, flow, service;
  int64_t attempt = 1, started_us = 0, ended_us = 0;
  AttemptOutcomeKind outcome = AttemptOutcomeKind::Ok;
  std::string_view error;
  std::span<const std::string> emitted;
};

struct InstanceRecordView {
  std::string_view instance, key, flow;
  InstanceStatus status = InstanceStatus::Active;
  std::string_view event;
  int64_t time_us = 0;
};

/// The hot records in two steps, for writing straight into a buffer:
/// encoded_bound() is at least the size of the encoding, and encode_to()
/// writes it at `out` (which has that much room) and returns its end.
size_t encoded_bound(const EventRecordView& r);
size_t encoded_bound(const DecisionSetView& r);
size_t encoded_bound(const AttemptRecordView& r);
size_t encoded_bound(const InstanceRecordView& r);
/// With `names`, the records are written in version 3, referring to the
/// segment's list (name_list.h).
char* encode_to(char* out, const EventRecordView& r, const NameRefs* names = nullptr);
char* encode_to(char* out, const DecisionSetView& r, const NameRefs* names = nullptr);
char* encode_to(char* out, const AttemptRecordView& r, const NameRefs* names = nullptr);
char* encode_to(char* out, const InstanceRecordView& r, const NameRefs* names = nullptr);

/// Append the encoding of `r` to `out`.
void encode_into(std::string& out, const EventRecord& r);
void encode_into(std::string& out, const EventRecordView& r);
void encode_into(std::string& out, const DecisionRecordView& r);
void encode_into(std::string& out, const DecisionSetView& r);
void encode_into(std::string& out, const AttemptRecordView& r);
void encode_into(std::string& out, const InstanceRecordView& r);

}  // namespace flow::runtime
