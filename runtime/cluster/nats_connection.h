// NatsConnection: one connection to a NATS cluster and its JetStream
// context, owned together (RAII). Everything cluster mode does goes through
// one of these: stream setup, leases, journal appends and replays, worker
// subscriptions.
//
// Why a wrapper: the C client's objects must be destroyed in order
// (subscriptions and KV handles, then the JetStream context, then the
// connection), and its failures are status codes; here construction either
// yields a connected object or throws NatsError with NATS's own message.
//
// Limits: the client reconnects by itself after a server goes away (to any
// server of `urls` or that the cluster advertised); calls made meanwhile
// fail with a timeout or "connection closed". The object is not copyable;
// the C client lets several threads use one connection, and so does this.
#pragma once

#include <nats/nats.h>

#include <chrono>
#include <string>
#include <vector>

#include "cluster/nats_handles.h"

namespace flow::cluster {

struct NatsConnectOptions {
  /// Server URLs, e.g. "nats://h1:4222,nats://h2:4222" (comma-separated, as
  /// on the command line).
  std::string urls;
  /// The client name the servers show (monitoring, `nats server report`).
  std::string name = "flowrt";
  /// How long one connection attempt may take.
  std::chrono::milliseconds connect_timeout{2000};
  /// How long JetStream API calls (stream info, publish acknowledgements,
  /// KV operations) wait for their answer.
  std::chrono::milliseconds api_timeout{5000};
  /// Reconnection attempts per server after a disconnect (-1: forever).
  int max_reconnect = -1;
  std::chrono::milliseconds reconnect_wait{250};
};

/// Splits "a,b , c" into {"a","b","c"}; empty parts are dropped.
std::vector<std::string> split_server_urls(const std::string& urls);

class NatsConnection {
 public:
  /// Connects (throws NatsError when no server of `urls` answers) and opens
  /// the JetStream context.
  explicit NatsConnection(const NatsConnectOptions& options);
  ~NatsConnection();
  NatsConnection(const NatsConnection&) = delete;
  NatsConnection& operator=(const NatsConnection&) = delete;

  natsConnection* get() const { return conn_.get(); }
  jsCtx* js() const { return js_.get(); }
  const NatsConnectOptions& options() const { return options_; }

  /// Binds to the key-value bucket `bucket`, which must exist.
  KvStoreHandle key_value(const std::string& bucket) const;

  /// Sends everything buffered and waits for the server's answer.
  void flush(std::chrono::milliseconds timeout) const;
  /// The URL of the server the connection is on now ("" while reconnecting).
  std::string connected_url() const;

 private:
  NatsConnectOptions options_;
  ConnectionHandle conn_;
  JsContextHandle js_;
};

}  // namespace flow::cluster
