// NatsConnection (see nats_connection.h).
#include "cluster/nats_connection.h"

#include "cluster/nats_error.h"

namespace flow::cluster {

std::vector<std::string> split_server_urls(const std::string& urls) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= urls.size()) {
    std::size_t comma = urls.find(',', start);
    if (comma == std::string::npos) comma = urls.size();
    std::string part = urls.substr(start, comma - start);
    const auto first = part.find_first_not_of(" \t");
    const auto last = part.find_last_not_of(" \t");
    if (first != std::string::npos) out.push_back(part.substr(first, last - first + 1));
    start = comma + 1;
  }
  return out;
}

NatsConnection::NatsConnection(const NatsConnectOptions& options) : options_(options) {
  const auto urls = split_server_urls(options.urls);
  if (urls.empty()) throw std::invalid_argument("no NATS server URL given");
  std::vector<const char*> servers;
  for (const auto& url : urls) servers.push_back(url.c_str());

  natsOptions* raw_options = nullptr;
  check_nats(natsOptions_Create(&raw_options), "creating NATS options");
  OptionsHandle opts(raw_options);
  check_nats(natsOptions_SetServers(opts.get(), servers.data(), static_cast<int>(servers.size())),
             "NATS server list '" + options.urls + "'");
  check_nats(natsOptions_SetName(opts.get(), options.name.c_str()), "NATS client name");
  check_nats(natsOptions_SetTimeout(opts.get(), options.connect_timeout.count()), "NATS connect timeout");
  check_nats(natsOptions_SetMaxReconnect(opts.get(), options.max_reconnect), "NATS reconnect attempts");
  check_nats(natsOptions_SetReconnectWait(opts.get(), options.reconnect_wait.count()), "NATS reconnect wait");

  natsConnection* raw_conn = nullptr;
  natsStatus status = natsConnection_Connect(&raw_conn, opts.get());
  if (status != NATS_OK) throw_nats_error("cannot connect to NATS at " + options.urls, status);
  conn_.reset(raw_conn);

  jsOptions js_options;
  check_nats(jsOptions_Init(&js_options), "JetStream options");
  js_options.Wait = options.api_timeout.count();
  jsCtx* raw_js = nullptr;
  check_nats(natsConnection_JetStream(&raw_js, conn_.get(), &js_options), "opening the JetStream context");
  js_.reset(raw_js);
}

NatsConnection::~NatsConnection() {
  js_.reset();
  if (conn_) natsConnection_Close(conn_.get());
  conn_.reset();
}

KvStoreHandle NatsConnection::key_value(const std::string& bucket) const {
  kvStore* raw = nullptr;
  check_nats(js_KeyValue(&raw, js_.get(), bucket.c_str()), "opening the key-value bucket " + bucket);
  return KvStoreHandle(raw);
}

void NatsConnection::flush(std::chrono::milliseconds timeout) const {
  check_nats(natsConnection_FlushTimeout(conn_.get(), timeout.count()), "flushing the NATS connection");
}

std::string NatsConnection::connected_url() const {
  char buffer[256];
  if (natsConnection_GetConnectedUrl(conn_.get(), buffer, sizeof buffer) != NATS_OK) return "";
  return buffer;
}

}  // namespace flow::cluster
