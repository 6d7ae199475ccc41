// Deliveries: hands an event to a service by its kind — a built-in `emit`
// transform (emit_transforms.h), a `builtin` sink (builtin_services.h), an
// `exec` process (exec_deliveries.h) or an `http` service
// (http_deliveries.h) — and counts the delivery.
//
// Why a part of its own: the dispatch loop needs one call per delivery and
// nothing of how each kind works; the kinds share the run's queue, ids,
// journal and failure reporting, wired here (exec and http also share
// DeliveryOutcomes, which takes their attempts in).
//
// Limits: a service without an implementation (checked programs have none)
// is counted and does nothing.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "engine/builtin_services.h"
#include "engine/delivery_outcomes.h"
#include "engine/emit_transforms.h"
#include "engine/exec_deliveries.h"
#include "engine/http_deliveries.h"

namespace flow::runtime {

class Deliveries {
 public:
  Deliveries(const Evaluator& evaluator, EventDecoders& decoders, const RouteTable& routes, WorkQueue& queue,
             EventIds& ids, InstanceTracker& instances, JournalSink& sink, RunStats& stats, Failures& failures,
             journal::FsyncMode fsync, std::ostream& log)
      : emits_(evaluator, decoders.catalog(), queue, ids, sink, stats, failures),
        builtins_(fsync, sink, stats, failures, log),
        outcomes_(decoders, queue, ids, instances, sink, stats, failures, log),
        http_(routes, decoders, outcomes_, log),
        exec_(routes, decoders, outcomes_, http_, log),
        stats_(stats) {}

  /// Delivers `work` to `service` for `flow` as `delivery_id`; `data_json`
  /// is the event's `data` text while it is being dispatched.
  void deliver(const ServiceSpec& service, const std::string& flow, Work& work, const std::string& delivery_id,
               std::string_view data_json) {
    ++stats_.counts().deliveries;
    switch (service.kind) {
      case ServiceSpec::Kind::Emit: emits_.run(service, flow, work, delivery_id, data_json); return;
      case ServiceSpec::Kind::Builtin: builtins_.run(service, flow, work, delivery_id, data_json); return;
      case ServiceSpec::Kind::Exec: exec_.submit(service, flow, work, delivery_id); return;
      case ServiceSpec::Kind::Http: http_.submit(service, flow, work, delivery_id); return;
      case ServiceSpec::Kind::None: return;
    }
  }

  BuiltinServices& builtins() { return builtins_; }
  ExecDeliveries& exec() { return exec_; }

 private:
  EmitTransforms emits_;
  BuiltinServices builtins_;
  DeliveryOutcomes outcomes_;
  HttpDeliveries http_;
  ExecDeliveries exec_;
  RunStats& stats_;
};

}  // namespace flow::runtime
