// `flowrt replay`: re-evaluates the journal's events under other definitions.
// See replay.h. Segments are split between worker threads
// (replay_worker.h); each decodes and evaluates its events with its own
// decoder and arena (the interpreter and the catalogs are shared
// read-only), and the per-thread tallies are merged in segment order, so the
// report (replay_report.h) does not depend on the threading.
#include "queries/replay/replay.h"

#include <algorithm>
#include <memory>
#include <thread>

#include "ingress/field_defaults.h"
#include "queries/index/journal_index.h"
#include "queries/replay/replay_model.h"
#include "queries/replay/replay_report.h"
#include "queries/replay/replay_worker.h"

namespace flow::runtime::queries {

using namespace replay;

int run_replay(const std::filesystem::path& dir, const ReplayOptions& options, std::ostream& out, std::ostream& err) {
  // The new definitions.
  std::string error, diagnostics;
  LoadOptions load_options;
  load_options.include_dirs = options.include_dirs;
  std::unique_ptr<LoadedApp> app = load_app(options.with, load_options, diagnostics, error);
  err << diagnostics;
  if (!app) {
    err << "flowrt: error: " << error << "\n";
    return 1;
  }
  try {
    return with_index(dir, err,
                      [&](const JournalIndex& index) -> int { return replay_loaded(index, *app, options, out, err); });
  } catch (const std::exception& e) {
    err << "flowrt: error: " << e.what() << "\n";
    return 1;
  }
}

int replay_loaded(const JournalIndex& index, const LoadedApp& loaded, const ReplayOptions& options, std::ostream& out,
                  std::ostream& err) {
  const LoadedApp* app = &loaded;
  std::string error;
  const std::string& hash = app->content_hash;  // what `flowrt run` journals for the same file
  eval::Interpreter interpreter(app->module());
  FieldDefaults defaults;
  const auto& events = app->plan->events;
  if (!evaluate_field_defaults(app->module(), interpreter, events, defaults, error)) {
    err << "flowrt: error: cannot evaluate field defaults of " << options.with << ": " << error << "\n";
    return 1;
  }
  EventCatalog catalog(events, app->module().layouts, defaults);
  DefinitionSummary new_summary;
  summarise(*app, new_summary);
  Shared shared;
  shared.app = app;
  shared.interpreter = &interpreter;
  shared.catalog = &catalog;
  shared.samples = options.samples;
  SubscriptionTable table;
  // Old versions: parse every summary now (the index parses lazily and
  // is not thread-safe), and give their routes subscription ids.
  std::vector<const DefinitionSummary*> versions;
  for (const auto& d : index.definitions()) {
    const DefinitionSummary* def = index.definition(d.hash);
    versions.push_back(def);
    shared.definitions[def->hash] = def;
    for (const auto& [type, info] : def->events) {
      auto ids = table.ids(
          type, info.routes,
          [](const RouteInfo& r) {
            return std::tuple{r.flow, r.services, r.text};
          },
          false);
      std::vector<OldRoute>& routes = shared.old_routes[{def, type}];
      for (size_t i = 0; i < ids.size(); ++i) routes.push_back({ids[i], &info.routes[i]});
    }
  }
  // The new version's routes, per event type.
  for (const auto& type : catalog.types()) {
    NewType nt;
    nt.type = type.get();
    nt.routes = app->plan->table.find(type->decl);
    const EventTypeInfo* info = new_summary.event(type->qualified_name);
    nt.info = info;
    if (info) {
      nt.subs = table.ids(
          type->qualified_name, info->routes,
          [](const RouteInfo& r) {
            return std::tuple{r.flow, r.services, r.text};
          },
          true);
    }
    shared.new_types[type->qualified_name] = nt;
    if (!catalog.find(type->name) || catalog.find(type->name) == type.get()) shared.new_types[type->name] = nt;
  }

  // Workers over contiguous ranges of segments.
  std::vector<journal::SegmentFile> files = journal::list_segments(index.dir());
  unsigned threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, std::max<size_t>(files.size(), 1)));
  std::vector<std::pair<size_t, size_t>> ranges;
  for (unsigned t = 0; t < threads; ++t) {
    ranges.push_back({files.size() * t / threads, files.size() * (t + 1) / threads});
  }
  std::vector<Stats> results(threads);
  auto work = [&](unsigned t) {
    results[t] = replay_segments(shared, table.subs(), files, ranges[t].first, ranges[t].second);
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> running;
    for (unsigned t = 0; t < threads; ++t) running.emplace_back(work, t);
    for (auto& th : running) th.join();
  }
  Stats stats;
  stats.subs.resize(table.subs().size());
  for (auto& result : results) stats.merge(std::move(result), options.samples);

  // Report.
  int same_as = 0;
  for (const auto* v : versions) {
    if (v->hash == hash || (v->loaded && v->definitions_hash == new_summary.definitions_hash)) same_as = v->version;
  }
  write_report(out, options, hash, versions, same_as, stats, table.subs());
  return 0;
}

}  // namespace flow::runtime::queries
