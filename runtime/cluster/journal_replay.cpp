// Journal replay through an ephemeral pull consumer (see journal_replay.h).
#include "cluster/journal_replay.h"

#include <algorithm>
#include <cstring>

#include "cluster/nats_error.h"

namespace flow::cluster {

namespace {

/// Unsubscribing deletes the ephemeral consumer the library made; the
/// handle then frees the subscription.
struct ConsumerGuard {
  SubscriptionHandle sub;
  ~ConsumerGuard() {
    if (sub) natsSubscription_Unsubscribe(sub.get());
  }
};

}  // namespace

ReplayResult replay_subject(const NatsConnection& nats, std::string_view subject, std::uint64_t from_sequence,
                            const std::function<void(const StoredMessage&)>& each, const ReplayOptions& options) {
  const std::string filter(subject);
  jsSubOptions sub_options;
  check_nats(jsSubOptions_Init(&sub_options), "subscription options");
  sub_options.Stream = options.stream.c_str();
  sub_options.Config.DeliverPolicy = js_DeliverByStartSequence;
  sub_options.Config.OptStartSeq = std::max<std::uint64_t>(from_sequence, 1);
  sub_options.Config.AckPolicy = js_AckNone;
  // Should this process die mid-read, the server drops the consumer soon.
  sub_options.Config.InactiveThreshold = std::chrono::nanoseconds(std::chrono::seconds(30)).count();

  natsSubscription* raw_sub = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus subscribed =
      js_PullSubscribe(&raw_sub, nats.js(), filter.c_str(), nullptr, nullptr, &sub_options, &code);
  ConsumerGuard guard{SubscriptionHandle(raw_sub)};
  check_nats(subscribed, "reading " + filter + " from " + options.stream, code);

  jsConsumerInfo* raw_info = nullptr;
  check_nats(natsSubscription_GetConsumerInfo(&raw_info, guard.sub.get(), nullptr, &code),
             "reading " + filter + " from " + options.stream, code);
  ConsumerInfoHandle info(raw_info);
  std::uint64_t remaining = info->NumPending;

  ReplayResult result;
  while (remaining > 0) {
    jsFetchRequest request;
    check_nats(jsFetchRequest_Init(&request), "fetch request");
    request.Batch = static_cast<int>(std::min<std::uint64_t>(remaining, static_cast<std::uint64_t>(options.batch)));
    request.Expires = std::chrono::nanoseconds(options.timeout).count();
    MsgListGuard batch;
    check_nats(
        natsSubscription_FetchRequest(&batch.list, guard.sub.get(), &request),
        "reading " + filter + " from " + options.stream + " after sequence " + std::to_string(result.last_sequence));
    for (int i = 0; i < batch.list.Count; ++i) {
      natsMsg* msg = batch.list.Msgs[i];
      jsMsgMetaData* meta = nullptr;
      check_nats(natsMsg_GetMetaData(&meta, msg), "reading a journal message's metadata");
      StoredMessage stored;
      stored.sequence = meta->Sequence.Stream;
      stored.time_ns = meta->Timestamp;
      jsMsgMetaData_Destroy(meta);
      stored.subject = natsMsg_GetSubject(msg);
      stored.data = std::string_view(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
      const char* id = nullptr;
      if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id != nullptr) stored.msg_id = id;
      each(stored);
      ++result.messages;
      result.last_sequence = stored.sequence;
      --remaining;
    }
  }
  return result;
}

std::uint64_t last_sequence_on(const NatsConnection& nats, std::string_view subject, std::string_view stream) {
  const std::string subject_text(subject), stream_text(stream);
  natsMsg* raw = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus status = js_GetLastMsg(&raw, nats.js(), stream_text.c_str(), subject_text.c_str(), nullptr, &code);
  MsgHandle msg(raw);
  if (status == NATS_NOT_FOUND || code == JSNoMessageFoundErr) return 0;
  check_nats(status, "looking up the last message on " + subject_text, code);
  return natsMsg_GetSequence(msg.get());
}

}  // namespace flow::cluster
