// Stream and bucket setup (see stream_setup.h).
#include "cluster/stream_setup.h"

#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cluster/cluster_names.h"
#include "cluster/nats_error.h"

namespace flow::cluster {

namespace {

struct StreamSpec {
  std::string name;
  std::string subjects;  // one subject filter
  jsRetentionPolicy retention = js_LimitsPolicy;
};

const char* retention_name(jsRetentionPolicy policy) {
  switch (policy) {
    case js_LimitsPolicy: return "limits";
    case js_InterestPolicy: return "interest";
    case js_WorkQueuePolicy: return "work queue";
  }
  return "?";
}

std::string describe(const jsStreamConfig& config) {
  std::string subjects;
  for (int i = 0; i < config.SubjectsLen; ++i) {
    if (i > 0) subjects += ",";
    subjects += config.Subjects[i];
  }
  return "subjects [" + subjects + "], replicas " + std::to_string(config.Replicas) + ", retention " +
         retention_name(config.Retention);
}

/// Throws unless the existing stream has the expected subjects (when given),
/// replicas and retention.
void check_stream(const jsStreamInfo& info, const StreamSpec& spec, int replicas) {
  const jsStreamConfig& config = *info.Config;
  const bool subjects_match = spec.subjects.empty() || (config.SubjectsLen == 1 && spec.subjects == config.Subjects[0]);
  if (subjects_match && config.Replicas == replicas && config.Retention == spec.retention) return;
  jsStreamConfig expected = config;
  const char* subject = spec.subjects.c_str();
  if (!spec.subjects.empty()) {
    expected.Subjects = &subject;
    expected.SubjectsLen = 1;
  }
  expected.Replicas = replicas;
  expected.Retention = spec.retention;
  throw std::runtime_error("stream " + spec.name + " exists with " + describe(config) + ", but this node expects " +
                           describe(expected) +
                           " (change the stream with the nats tool, or start with matching options)");
}

/// Looks the stream up; nullptr when it does not exist.
StreamInfoHandle find_stream(jsCtx* js, const std::string& name) {
  jsStreamInfo* raw = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus status = js_GetStreamInfo(&raw, js, name.c_str(), nullptr, &code);
  if (status == NATS_OK) return StreamInfoHandle(raw);
  if (status == NATS_NOT_FOUND || code == JSStreamNotFoundErr) return nullptr;
  throw_nats_error("looking up stream " + name, status, code);
}

/// Creates the stream or checks the one there; true when created here.
bool ensure_stream(jsCtx* js, const StreamSpec& spec, int replicas) {
  if (auto info = find_stream(js, spec.name)) {
    check_stream(*info, spec, replicas);
    return false;
  }
  jsStreamConfig config;
  check_nats(jsStreamConfig_Init(&config), "stream config");
  const char* subject = spec.subjects.c_str();
  config.Name = spec.name.c_str();
  config.Subjects = &subject;
  config.SubjectsLen = 1;
  config.Retention = spec.retention;
  config.Storage = js_FileStorage;
  config.Replicas = replicas;
  jsStreamInfo* raw = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus status = js_AddStream(&raw, js, &config, nullptr, &code);
  StreamInfoHandle created(raw);
  if (status == NATS_OK) return true;
  // Another node created it between the lookup and here.
  if (code == JSStreamNameExistErr) {
    if (auto info = find_stream(js, spec.name)) {
      check_stream(*info, spec, replicas);
      return false;
    }
  }
  throw_nats_error("creating stream " + spec.name, status, code);
}

/// Records the partition count, or checks the one recorded.
bool ensure_partition_count(const NatsConnection& nats, std::uint32_t partitions) {
  auto kv = nats.key_value(std::string(kLeaseBucket));
  const std::string key(kConfigKey);
  const std::string value = nlohmann::json{{"partitions", partitions}}.dump();
  uint64_t revision = 0;
  natsStatus status = kvStore_Create(&revision, kv.get(), key.c_str(), value.data(), static_cast<int>(value.size()));
  if (status == NATS_OK) return true;
  const std::string create_error = nats_failure_text(status);
  kvEntry* raw = nullptr;
  if (kvStore_Get(&raw, kv.get(), key.c_str()) != NATS_OK) {
    throw NatsError("recording the partition count in " + std::string(kLeaseBucket) + ": " + create_error, status, 0);
  }
  KvEntryHandle entry(raw);
  std::uint32_t recorded = 0;
  try {
    auto json = nlohmann::json::parse(std::string(static_cast<const char*>(kvEntry_Value(entry.get())),
                                                  static_cast<std::size_t>(kvEntry_ValueLen(entry.get()))));
    recorded = json.at("partitions").get<std::uint32_t>();
  } catch (const std::exception& e) {
    throw std::runtime_error("the cluster's recorded configuration (" + std::string(kLeaseBucket) + " " + key +
                             ") is unreadable: " + e.what());
  }
  if (recorded != partitions) {
    throw std::runtime_error("the cluster has " + std::to_string(recorded) +
                             " partitions, but this node was started with " + std::to_string(partitions) +
                             " (partitions are fixed when the cluster is created)");
  }
  return false;
}

}  // namespace

StreamSetupReport ensure_cluster_streams(const NatsConnection& nats, const ClusterLayout& layout) {
  if (layout.partitions == 0) throw std::invalid_argument("partition count must be at least 1");
  if (layout.replicas < 1 || layout.replicas > 5) throw std::invalid_argument("replicas must be between 1 and 5");
  StreamSetupReport report;
  const StreamSpec streams[] = {
      {std::string(kInputStream), std::string(kInputSubjects), js_WorkQueuePolicy},
      {std::string(kJournalStream), std::string(kJournalSubjects), js_LimitsPolicy},
      {std::string(kEventStream), std::string(kEventSubjects), js_LimitsPolicy},
  };
  for (const auto& spec : streams) {
    if (ensure_stream(nats.js(), spec, layout.replicas)) report.created.push_back(spec.name);
  }

  // The bucket's stream is checked like the others (its subjects are the
  // client library's business), then created through the KV API.
  const StreamSpec bucket{"KV_" + std::string(kLeaseBucket), "", js_LimitsPolicy};
  if (auto info = find_stream(nats.js(), bucket.name)) {
    check_stream(*info, bucket, layout.replicas);
  } else {
    kvConfig config;
    check_nats(kvConfig_Init(&config), "bucket config");
    const std::string name(kLeaseBucket);
    config.Bucket = name.c_str();
    config.History = 1;
    config.StorageType = js_FileStorage;
    config.Replicas = layout.replicas;
    kvStore* raw = nullptr;
    check_nats(js_CreateKeyValue(&raw, nats.js(), &config), "creating the key-value bucket " + name);
    KvStoreHandle created(raw);
    report.created.push_back(bucket.name);
  }
  report.recorded_partitions = ensure_partition_count(nats, layout.partitions);
  return report;
}

}  // namespace flow::cluster
