#include "engine/builtin_services.h"

#include "base/wall_clock.h"
#include "ingress/event_encoder.h"

namespace flow::runtime {

BuiltinServices::BuiltinServices(journal::FsyncMode fsync, JournalSink& sink, RunStats& stats, Failures& failures,
                                 std::ostream& log)
    : sync_(fsync == journal::FsyncMode::Always  ? SinkSync::EachLine
            : fsync == journal::FsyncMode::Never ? SinkSync::Never
                                                 : SinkSync::AtEnd),
      sink_(sink),
      stats_(stats),
      failures_(failures),
      log_(log) {}

void BuiltinServices::run(const ServiceSpec& service, const std::string& flow, const Work& work,
                          const std::string& delivery_id, std::string_view data_json) {
  const std::string& service_name = *service.name;
  int64_t started = work.dispatched_us;
  AttemptRecordView attempt{
      delivery_id, work.id, work.instance, flow, service_name, 1, started, started, AttemptOutcomeKind::Ok, "", {}};
  std::string error;
  DeadLetterReason reason = DeadLetterReason::SinkFailed;  // when it fails
  if (service.builtin == "log" || service.builtin == "std.log") {
    log_ << "[" << service.plain_name << "] " << work.type->name << " " << work.id << " " << data_json << "\n";
  } else if (auto path = jsonl_sink_path(service.builtin)) {
    // A JSON-lines file sink: the event's CloudEvents line, as an exec
    // service would get it (services/builtin_sinks.h).
    std::string line;
    append_cloudevent_json(line, *work.type, work.data,
                           {work.id, work.cloudevent_source(), work.time_us, std::nullopt});
    if (auto failure = files_.append(*path, line, sync_)) {
      attempt.outcome = AttemptOutcomeKind::Error;
      error = *failure;
      attempt.error = error;
    }
  } else {
    attempt.outcome = AttemptOutcomeKind::Error;
    error = "unknown builtin service '" + service.builtin + "'";
    reason = DeadLetterReason::UnknownBuiltin;
    attempt.error = error;
  }
  sink_.write(RecordKind::Attempt, attempt);
  if (attempt.outcome != AttemptOutcomeKind::Ok) {
    ++stats_.counts().failed_attempts;
    failures_.dead_letter({delivery_id, work.id, work.instance, flow, service_name, 1, error, wall_clock_us(), reason},
                          work.type->qualified_name, work.chain);
  }
}

}  // namespace flow::runtime
