// FencedAppender: the one writer of a partition's journal subject
// (flow.journal.<p> in FLOW_JOURNAL). Every append carries
// `Nats-Expected-Last-Subject-Sequence`: JetStream stores it only if the
// subject's last message is the one this appender wrote (or read) last.
// So once another node has appended to the subject, every further append
// of this one is refused with "wrong last sequence" and reported Fenced —
// two owners never interleave, whatever their leases believe.
//
// Take-over protocol (docs/cluster.md): take the lease; replay the subject
// (journal_replay.h) up to its last sequence S; open an appender after S and
// append a first record (the claim) at once. If that claim is Fenced, the
// previous owner slipped a record in after S: replay from S+1 and claim
// again. Once the claim is stored, the previous owner's next append is
// refused.
//
// Every record also carries `Nats-Msg-Id: <owner>.<n>`, so that an append
// whose answer was lost (timeout, reconnect) can be settled: the appender
// reads the subject's last message and finds out whether the record is
// there (Appended), the subject has not moved (it publishes again), or
// someone else wrote (Fenced). If it cannot find out within
// `settle_timeout`, append() throws and the appender refuses every later
// append: the owner must give the partition up and take it over afresh.
//
// Limits: one thread; appends are synchronous (one round trip to the
// stream leader each, replicated before the answer).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "cluster/nats_connection.h"

namespace flow::cluster {

enum class AppendStatus { Appended, Fenced };

struct AppendResult {
  AppendStatus status = AppendStatus::Appended;
  /// Appended: the record's stream sequence. Fenced: the subject's last
  /// sequence as found (written by another owner).
  std::uint64_t sequence = 0;
};

struct FenceOptions {
  std::string stream{"FLOW_JOURNAL"};
  /// How long an append whose outcome is unknown is retried and checked.
  std::chrono::milliseconds settle_timeout{10000};
};

class FencedAppender {
 public:
  /// Appends to `subject`, whose last stored sequence must be
  /// `after_sequence` (0: the subject is empty). `owner` names this
  /// ownership in message ids and must differ for every take-over (e.g.
  /// "<node>.<lease epoch>").
  FencedAppender(const NatsConnection& nats, std::string subject, std::string owner, std::uint64_t after_sequence,
                 FenceOptions options = {});

  /// Appends one record. Throws NatsError when JetStream refuses it for
  /// another reason (stream missing, record too large: nothing stored, the
  /// appender stays usable) or when the outcome stays unknown (see above).
  AppendResult append(std::string_view record);

  /// The sequence of the subject's last record as this appender knows it.
  std::uint64_t last_sequence() const { return last_sequence_; }
  bool fenced() const { return fenced_; }
  const std::string& subject() const { return subject_; }

 private:
  enum class Tail { Unchanged, Ours, Moved, Unknown };
  /// What the subject's last message says about the record `msg_id`
  /// expected after last_sequence_; `sequence` gets the last message's.
  Tail read_tail(const std::string& msg_id, std::uint64_t& sequence) const;

  const NatsConnection& nats_;
  std::string subject_;
  std::string owner_;
  FenceOptions options_;
  std::uint64_t last_sequence_ = 0;
  std::uint64_t count_ = 0;
  bool fenced_ = false;
  bool broken_ = false;
};

}  // namespace flow::cluster
