// Owning handles for the objects the NATS C client hands out: each is a
// std::unique_ptr whose deleter is the library's own destroy function, so a
// message, an ack, a stream info or a KV entry is freed on every path,
// exceptions included.
//
// Limits: a subscription or watcher handle must be destroyed before the
// connection it came from (members of one owner, declared after it).
#pragma once

#include <nats/nats.h>

#include <memory>

namespace flow::cluster {

template <typename T, void (*Destroy)(T*)>
struct NatsDeleter {
  void operator()(T* p) const {
    if (p != nullptr) Destroy(p);
  }
};

template <typename T, void (*Destroy)(T*)>
using NatsHandle = std::unique_ptr<T, NatsDeleter<T, Destroy>>;

using MsgHandle = NatsHandle<natsMsg, natsMsg_Destroy>;
using PubAckHandle = NatsHandle<jsPubAck, jsPubAck_Destroy>;
using StreamInfoHandle = NatsHandle<jsStreamInfo, jsStreamInfo_Destroy>;
using ConsumerInfoHandle = NatsHandle<jsConsumerInfo, jsConsumerInfo_Destroy>;
using SubscriptionHandle = NatsHandle<natsSubscription, natsSubscription_Destroy>;
using KvStoreHandle = NatsHandle<kvStore, kvStore_Destroy>;
using KvEntryHandle = NatsHandle<kvEntry, kvEntry_Destroy>;
using KvWatcherHandle = NatsHandle<kvWatcher, kvWatcher_Destroy>;
using OptionsHandle = NatsHandle<natsOptions, natsOptions_Destroy>;
using ConnectionHandle = NatsHandle<natsConnection, natsConnection_Destroy>;
using JsContextHandle = NatsHandle<jsCtx, jsCtx_Destroy>;

/// Destroys the messages of a natsMsgList (not the list object itself).
struct MsgListGuard {
  natsMsgList list{nullptr, 0};
  MsgListGuard() = default;
  MsgListGuard(const MsgListGuard&) = delete;
  MsgListGuard& operator=(const MsgListGuard&) = delete;
  ~MsgListGuard() { natsMsgList_Destroy(&list); }
};

}  // namespace flow::cluster
