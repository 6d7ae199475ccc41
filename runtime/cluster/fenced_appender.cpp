// FencedAppender (see fenced_appender.h).
#include "cluster/fenced_appender.h"

#include <stdexcept>
#include <thread>

#include "cluster/nats_error.h"

namespace flow::cluster {

FencedAppender::FencedAppender(const NatsConnection& nats, std::string subject, std::string owner,
                               std::uint64_t after_sequence, FenceOptions options)
    : nats_(nats),
      subject_(std::move(subject)),
      owner_(std::move(owner)),
      options_(std::move(options)),
      last_sequence_(after_sequence) {
  if (owner_.empty()) throw std::invalid_argument("a journal appender needs an owner name");
}

FencedAppender::Tail FencedAppender::read_tail(const std::string& msg_id, std::uint64_t& sequence) const {
  natsMsg* raw = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus status = js_GetLastMsg(&raw, nats_.js(), options_.stream.c_str(), subject_.c_str(), nullptr, &code);
  MsgHandle msg(raw);
  if (status == NATS_NOT_FOUND || code == JSNoMessageFoundErr) {
    // An empty subject after records this appender knew of was purged:
    // not this appender's to continue.
    sequence = 0;
    return last_sequence_ == 0 ? Tail::Unchanged : Tail::Moved;
  }
  if (status != NATS_OK) return Tail::Unknown;
  sequence = natsMsg_GetSequence(msg.get());
  const char* id = nullptr;
  if (natsMsgHeader_Get(msg.get(), "Nats-Msg-Id", &id) == NATS_OK && id != nullptr && msg_id == id) return Tail::Ours;
  return sequence == last_sequence_ ? Tail::Unchanged : Tail::Moved;
}

AppendResult FencedAppender::append(std::string_view record) {
  if (fenced_) return {AppendStatus::Fenced, last_sequence_};
  if (broken_) {
    throw std::logic_error("the journal appender of " + subject_ + " is unusable: an earlier append was not settled");
  }
  const std::string msg_id = owner_ + "." + std::to_string(++count_);
  const auto deadline = std::chrono::steady_clock::now() + options_.settle_timeout;
  auto pause = std::chrono::milliseconds(20);
  std::string last_failure;
  for (;;) {
    jsPubOptions opts;
    check_nats(jsPubOptions_Init(&opts), "publish options");
    opts.MsgId = msg_id.c_str();
    opts.ExpectStream = options_.stream.c_str();
    if (last_sequence_ == 0) {
      opts.ExpectNoMessage = true;
    } else {
      opts.ExpectLastSubjectSeq = last_sequence_;
    }
    jsPubAck* raw_ack = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    const natsStatus status = js_Publish(&raw_ack, nats_.js(), subject_.c_str(), record.data(),
                                         static_cast<int>(record.size()), &opts, &code);
    PubAckHandle ack(raw_ack);
    if (status == NATS_OK) {
      // A duplicate ack (an earlier try of this record was stored) carries
      // the stored copy's sequence.
      last_sequence_ = ack->Sequence;
      return {AppendStatus::Appended, last_sequence_};
    }
    if (status == NATS_ERR && code != 0 && code != JSStreamWrongLastSequenceErr) {
      // JetStream refused the record itself: nothing was stored.
      throw_nats_error("appending to " + subject_, status, code);
    }
    last_failure = nats_failure_text(status);

    // Wrong last sequence, or no answer: what does the subject hold now?
    for (;;) {
      std::uint64_t tail_sequence = 0;
      const Tail tail = read_tail(msg_id, tail_sequence);
      if (tail == Tail::Ours) {
        last_sequence_ = tail_sequence;
        return {AppendStatus::Appended, last_sequence_};
      }
      if (tail == Tail::Moved) {
        fenced_ = true;
        last_sequence_ = tail_sequence;
        return {AppendStatus::Fenced, last_sequence_};
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        broken_ = true;
        throw NatsError("appending to " + subject_ + ": outcome unknown after " +
                            std::to_string(options_.settle_timeout.count()) + " ms (" + last_failure + ")",
                        status, code);
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(500));
      if (tail == Tail::Unchanged) break;  // not stored: publish it again
    }
  }
}

}  // namespace flow::cluster
