#include "engine/engine.h"

#include <poll.h>

#include "engine/deliveries.h"
#include "engine/evaluator.h"
#include "engine/event_decoders.h"
#include "engine/event_ids.h"
#include "engine/failures.h"
#include "engine/instance_tracker.h"
#include "engine/intake.h"
#include "engine/journal_sink.h"
#include "engine/recovery.h"
#include "engine/route_table.h"
#include "engine/router.h"
#include "engine/work_queue.h"
#include "load/app_loader.h"

namespace flow::runtime {

// In the order they are built: each part refers only to parts above it,
// but for the queue, which dispatches through the router (attached below).
struct Engine::Parts {
  Parts(LoadedApp& app, const RunOptions& options, std::ostream& log)
      : evaluator(app.module(), options.jit),
        decoders(app, evaluator, options.strict),
        routes(app, decoders.catalog(), options.services_dir),
        queue(options.max_chain),
        instances(sink, ids),
        failures(decoders.catalog(), routes, sink, instances, queue, ids, stats, log),
        deliveries(evaluator, decoders, routes, queue, ids, instances, sink, stats, failures, options.fsync, log),
        router(routes, evaluator, decoders.catalog().types().size(), deliveries, instances, sink, stats,
               app.content_hash, log),
        intake(decoders, routes, queue, ids, instances, failures, deliveries.exec(), stats, options.progress, log) {
    queue.attach(router);
  }

  RunStats stats;
  Evaluator evaluator;
  EventDecoders decoders;
  RouteTable routes;
  JournalSink sink;
  EventIds ids;
  WorkQueue queue;
  InstanceTracker instances;
  Failures failures;
  Deliveries deliveries;
  Router router;
  Intake intake;
};

Engine::Engine(LoadedApp& app, RunOptions options, std::ostream& log)
    : parts_(std::make_unique<Parts>(app, options, log)),
      fsync_(options.fsync),
      progress_(options.progress),
      log_(log) {
  Parts& p = *parts_;
  p.sink.open(options.journal_dir, options.fsync, log_);
  p.ids.start_at(p.sink.next_sequence());
  // The names records refer to by number (records/name_list.h).
  std::vector<std::string_view> names;
  names.push_back(app.content_hash);
  for (const auto& type : p.decoders.catalog().types()) names.push_back(type->qualified_name);
  for (std::string_view name : p.routes.names_listed()) names.push_back(name);
  names.push_back(p.router.decider().true_text());
  names.push_back(p.router.decider().false_text());
  p.sink.list_names(names);
  Recovery(app, p.routes, p.decoders, p.instances, p.sink, p.queue, p.deliveries, p.failures, log_)
      .run(options.journal_dir);
}

Engine::~Engine() = default;

void Engine::ingest(std::string_view line, int64_t line_number, size_t readable_after) {
  parts_->intake.take(line, line_number, readable_after);
}

void Engine::await_input(int fd) {
  Parts& p = *parts_;
  ExecDeliveries& exec = p.deliveries.exec();
  pollfd input{fd, POLLIN, 0};
  while (exec.pending() && ::poll(&input, 1, 0) == 0) {
    exec.poll(100, fd);
    p.sink.commit_if_due();
  }
}

void Engine::drain() {
  Parts& p = *parts_;
  p.queue.run();
  ExecDeliveries& exec = p.deliveries.exec();
  while (exec.pending()) {
    exec.poll(100);
    p.sink.commit_if_due();
  }
  exec.shutdown();
  for (const auto& error : p.deliveries.builtins().finish()) log_ << "flowrt: " << error << "\n";
  // `never` leaves durability to the OS, at the end too: the records are
  // handed over (a crash of this process loses nothing), not synced.
  if (fsync_ == journal::FsyncMode::Never) {
    p.sink.flush();
  } else {
    p.sink.commit();
  }
  p.stats.finish(p.decoders.catalog());
  if (progress_) log_ << "\r\033[K";
}

const RunSummary& Engine::summary() const {
  return parts_->stats.summary();
}

void Engine::print_summary(std::ostream& out) const {
  parts_->stats.print(out);
}

}  // namespace flow::runtime
