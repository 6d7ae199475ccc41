// The live queries of flowrt serve; see live_queries.h. The query index,
// the listing of instances and the definition history are kept between
// calls and brought forward by the records appended since; the answers are
// those of the query commands (runtime/queries), over that index.
#include "serve/live_queries.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include "artifact/artifact.h"
#include "base/time_format.h"
#include "queries/common/query_json.h"
#include "queries/common/record_access.h"
#include "queries/dossier/dossier.h"
#include "queries/dossier/instance_listing.h"
#include "queries/explain/explain.h"
#include "queries/index/journal_index.h"
#include "queries/replay/replay.h"
#include "serve/query_params.h"
#include "serve/record_follower.h"

namespace flow::runtime::serve {

using queries::ojson;

namespace {

/// The journal folder is not there yet (the engine creates it).
struct NoJournal {};

/// "flowrt: error: why\n" (what the query functions print) -> "why".
std::string sentence(std::string text) {
  for (std::string_view prefix : {"flowrt: error: ", "flowrt: "}) {
    if (text.starts_with(prefix)) {
      text.erase(0, prefix.size());
      break;
    }
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

bool all_digits(std::string_view text) {
  return !text.empty() && text.size() <= 18 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_hash(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

// ---- What is kept between calls ---------------------------------------------

/// The index and what is derived from it (guarded by mutex_).
struct LiveQueries::State {
  explicit State(std::filesystem::path d) : dir(std::move(d)) {}

  std::filesystem::path dir;
  std::unique_ptr<queries::JournalIndex> index;

  // Definition summaries by hash, copied out of the index: the listing's
  // histories keep pointers into them, and the index's own move whenever it
  // is opened again.
  std::map<std::string, std::unique_ptr<queries::DefinitionSummary>> summaries;

  // Every definition record (a version may be activated again), in order.
  struct Activation {
    uint64_t seq = 0;
    std::string hash, source;
    int64_t activated_us = 0;
  };
  std::vector<Activation> history;
  uint64_t history_scanned = 0;  // ordinals below this were looked at

  void open_index(bool rebuild) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) throw NoJournal{};
    queries::IndexOpenOptions options;
    options.force_rebuild = rebuild;
    queries::IndexOpenReport report;
    index = queries::JournalIndex::open(dir, options, report);
  }

  const queries::DefinitionSummary* summary(const std::string& hash) {
    auto it = summaries.find(hash);
    if (it != summaries.end()) return it->second.get();
    const queries::DefinitionSummary* def = index->definition(hash);
    if (!def) {
      // The listing reads past what the index had when the call began; a
      // definition record always comes before the events dispatched under it.
      index->refresh();
      def = index->definition(hash);
    }
    if (!def) return nullptr;
    return summaries.emplace(hash, std::make_unique<queries::DefinitionSummary>(*def)).first->second.get();
  }

  void catch_up_history() {
    const uint64_t count = index->record_count();
    queries::RecordFetcher fetcher(dir);
    for (uint64_t ordinal = history_scanned; ordinal < count; ++ordinal) {
      if (index->kind(ordinal) != static_cast<uint8_t>(RecordKind::Definition)) continue;
      queries::AnyRecord record;
      if (!fetcher.fetch(index->position(ordinal), record)) throw std::runtime_error(fetcher.error());
      const auto& def = std::get<DefinitionRecord>(record);
      history.push_back({index->sequence(ordinal), def.hash, def.source, def.activated_us});
    }
    history_scanned = count;
  }

  int version_of(const std::string& hash) const {
    const queries::DefinitionSummary* def = index->definition(hash);
    return def ? def->version : 0;
  }
};

/// The listing of instances, built on first use and brought forward since
/// (guarded by listing_mutex_).
struct LiveQueries::Listing {
  std::unique_ptr<queries::InstanceListing> instances;
  std::unique_ptr<RecordFollower> follower;
};

LiveQueries::LiveQueries(std::string journal_dir)
    : dir_(std::move(journal_dir)), state_(std::make_unique<State>(dir_)), listing_(std::make_unique<Listing>()) {}

LiveQueries::~LiveQueries() = default;

const queries::DefinitionSummary* LiveQueries::listing_summary(const std::string& hash) {
  std::lock_guard lock(mutex_);
  State& s = *state_;
  for (int attempt = 0;; ++attempt) {
    try {
      if (!s.index || attempt > 0) s.open_index(attempt > 0);
      return s.summary(hash);
    } catch (const queries::IndexCorrupt&) {
      if (attempt > 0) throw;
      s.index.reset();
    }
  }
}

void LiveQueries::catch_up_listing() {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir_, ec)) throw NoJournal{};
  Listing& l = *listing_;
  if (!l.instances) {
    l.instances =
        std::make_unique<queries::InstanceListing>([this](const std::string& hash) { return listing_summary(hash); });
    l.follower = std::make_unique<RecordFollower>(dir_);
  }
  // Damage stops the follower where it is: the listing covers the records before it.
  journal::Record record;
  const NameList* names = nullptr;
  while (l.follower->next(record, names)) {
    l.instances->apply(record.position.sequence, record.type, RecordFollower::payload(record), names);
  }
}

std::optional<Answer> LiveQueries::listing_ready() {
  try {
    catch_up_listing();
    return std::nullopt;
  } catch (const NoJournal&) {
    return error_answer(503, "the journal is not open yet");
  } catch (const std::exception& e) {
    return error_answer(500, std::string("cannot read the journal: ") + e.what());
  }
}

void LiveQueries::prepare() {
  std::lock_guard lock(listing_mutex_);
  listing_ready();
}

template <typename Query>
Answer LiveQueries::answer(Query&& query) {
  std::lock_guard lock(mutex_);
  State& s = *state_;
  for (int attempt = 0;; ++attempt) {
    try {
      if (!s.index || attempt > 0) {
        s.open_index(attempt > 0);
      } else {
        s.index->refresh();
      }
      return query(s);
    } catch (const NoJournal&) {
      return error_answer(503, "the journal is not open yet");
    } catch (const queries::IndexCorrupt& e) {
      if (attempt > 0) return error_answer(500, std::string("the query index is damaged: ") + e.what());
      s.index.reset();  // rebuilt on the next attempt
    } catch (const std::exception& e) {
      s.index.reset();  // opened afresh by the next call
      return error_answer(500, std::string("cannot read the journal: ") + e.what());
    }
  }
}

// ---- GET /instances -----------------------------------------------------------

Answer LiveQueries::instances(std::string_view query_string) {
  QueryParams params(query_string, {"flow", "status", "limit"});
  if (!params.ok()) return error_answer(400, params.error());
  std::string flow = params.get("flow") ? *params.get("flow") : "";
  std::string status = params.get("status") ? *params.get("status") : "";
  if (!status.empty() && !queries::is_status_name(status)) {
    return error_answer(400,
                        "unknown status '" + status + "' (one of active, completed, failed, waiting, working, done)");
  }
  size_t limit = 0;
  if (const std::string* text = params.get("limit")) {
    if (!all_digits(*text) || std::stoull(*text) == 0) return error_answer(400, "limit must be a positive number");
    limit = static_cast<size_t>(std::stoull(*text));
  }
  std::lock_guard lock(listing_mutex_);
  if (auto failed = listing_ready()) return *failed;
  const queries::InstanceListing& listing = *listing_->instances;
  const auto& every = listing.instances();
  std::vector<const queries::InstanceHistory*> shown;
  if (flow.empty() && status.empty()) {
    // No filter: only the instances shown are looked at.
    for (size_t i = 0; i < every.size() && (limit == 0 || i < limit); ++i) shown.push_back(every[i].get());
  } else {
    shown = listing.select(flow, status);
  }
  ojson j;
  j["format"] = "flowrt.dossier.list/1";
  j["at"] = nullptr;
  j["instances_total"] = every.size();
  ojson list = ojson::array();
  for (const queries::InstanceHistory* h : shown) {
    if (limit > 0 && list.size() >= limit) break;
    list.push_back(queries::instance_summary_json(*h));
  }
  j["instances"] = list;
  j["instances_matched"] = flow.empty() && status.empty() ? every.size() : shown.size();
  return json_answer(queries::dump(j));
}

// ---- GET /instances/{key} ------------------------------------------------------

Answer LiveQueries::instance(std::string_view key_text, std::string_view query_string) {
  const auto key = percent_decode(key_text);
  if (!key) return error_answer(400, "bad percent-encoding in the key");
  if (key->empty()) return error_answer(400, "no key given");
  QueryParams params(query_string, {"at"});
  if (!params.ok()) return error_answer(400, params.error());
  queries::DossierOptions options;
  options.select = queries::DossierOptions::Select::Key;
  options.value = *key;
  options.json = true;
  if (const std::string* at = params.get("at")) {
    options.at_us = parse_timestamp(*at);
    if (!options.at_us) return error_answer(400, "at: '" + *at + "' is not an RFC 3339 timestamp");
  }
  return answer([&](State& s) {
    std::ostringstream out, err;
    if (queries::dossier_on_index(*s.index, options, out, err) != 0) {
      return error_answer(404, "no instance with key '" + *key + "'" +
                                   (options.at_us ? " as of " + format_timestamp(*options.at_us) : std::string()));
    }
    return json_answer(out.str());
  });
}

// ---- GET /events/{id} and /events/{id}/explain -----------------------------------

Answer LiveQueries::event(std::string_view id_text) {
  const auto id = percent_decode(id_text);
  if (!id) return error_answer(400, "bad percent-encoding in the event id");
  return answer([&](State& s) {
    queries::RecordFetcher fetcher(dir_);
    std::vector<std::pair<uint64_t, ojson>> found;  // by sequence number
    for (uint64_t ordinal : s.index->events_with_id(queries::hash_text(*id))) {
      queries::AnyRecord record;
      if (!fetcher.fetch(s.index->position(ordinal), record)) throw std::runtime_error(fetcher.error());
      const auto* e = std::get_if<EventRecord>(&record);
      if (!e || e->id != *id) continue;  // another id with the same hash
      const uint64_t seq = s.index->sequence(ordinal);
      found.emplace_back(seq, queries::event_json(*e, seq, s.version_of(e->definition), true));
    }
    if (found.empty()) return error_answer(404, "no event '" + *id + "'");
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    ojson j;
    j["format"] = "flowrt.event/1";
    ojson list = ojson::array();
    for (auto& [seq, e] : found) list.push_back(std::move(e));
    j["events"] = list;
    return json_answer(queries::dump(j));
  });
}

Answer LiveQueries::explain(std::string_view id_text) {
  const auto id = percent_decode(id_text);
  if (!id) return error_answer(400, "bad percent-encoding in the event id");
  queries::ExplainOptions options;
  options.event = *id;
  options.json = true;
  return answer([&](State& s) {
    std::ostringstream out, err;
    if (queries::explain_on_index(*s.index, options, out, err) != 0) return error_answer(404, "no event '" + *id + "'");
    return json_answer(out.str());
  });
}

// ---- GET /definitions and /definitions/{version} --------------------------------

Answer LiveQueries::definitions() {
  return answer([&](State& s) {
    s.catch_up_history();
    auto activation_json = [&](const State::Activation& a) {
      const int version = s.version_of(a.hash);
      return ojson{{"seq", a.seq},
                   {"version", version > 0 ? ojson(version) : ojson(nullptr)},
                   {"hash", a.hash},
                   {"activated", format_timestamp(a.activated_us)},
                   {"source", a.source}};
    };
    ojson j;
    j["format"] = "flowrt.definitions/1";
    j["current"] = s.history.empty() ? ojson(nullptr) : activation_json(s.history.back());
    ojson versions = ojson::array();
    for (const auto& d : s.index->definitions()) {
      const queries::DefinitionSummary* def = s.index->definition(d.hash);
      ojson v = queries::definition_json(def, d.hash);
      v["load_error"] = def && !def->loaded ? ojson(def->load_error) : ojson(nullptr);
      versions.push_back(std::move(v));
    }
    j["versions"] = versions;
    ojson history = ojson::array();
    for (const auto& a : s.history) history.push_back(activation_json(a));
    j["history"] = history;
    return json_answer(queries::dump(j));
  });
}

Answer LiveQueries::definition(std::string_view version_text) {
  const auto text = percent_decode(version_text);
  if (!text) return error_answer(400, "bad percent-encoding in the version");
  std::string_view v = *text;
  int number = 0;
  if (!v.empty() && v.front() == 'v') v.remove_prefix(1);
  if (all_digits(v) && v.size() <= 9) {
    number = std::stoi(std::string(v));
  } else if (!is_hash(*text)) {
    return error_answer(400, "'" + *text + "' is not a version: give its number (3 or v3) or its hash");
  }
  return answer([&](State& s) {
    const queries::DefinitionSummary* def = nullptr;
    for (const auto& d : s.index->definitions()) {
      if (number > 0 ? d.version == number : d.hash == *text) def = s.index->definition(d.hash);
    }
    if (!def) return error_answer(404, "no definition version '" + *text + "'");
    queries::RecordFetcher fetcher(dir_);
    queries::AnyRecord record;
    if (!fetcher.fetch(s.index->position(def->ordinal), record)) throw std::runtime_error(fetcher.error());
    const auto* stored = std::get_if<DefinitionRecord>(&record);
    if (!stored)
      throw std::runtime_error("the definition record of version " + std::to_string(def->version) +
                               " is not where the index says");
    artifact::ArtifactContents contents;
    std::string error;
    if (!artifact::read_artifact(stored->artifact, contents, error)) {
      throw std::runtime_error("the artifact of version " + std::to_string(def->version) + ": " + error);
    }
    ojson j;
    j["format"] = "flowrt.definition/1";
    j.update(queries::definition_json(def, def->hash));
    j["flowc_version"] = contents.flowc_version;
    ojson sources = ojson::array();
    for (const auto& source : contents.sources) {
      if (source.stdlib) continue;
      sources.push_back(
          {{"module", source.module}, {"path", source.path}, {"root", source.root}, {"text", source.text}});
    }
    j["sources"] = sources;
    return json_answer(queries::dump(j));
  });
}

// ---- PUT /definitions?dry_run=1 ---------------------------------------------------

Answer LiveQueries::dry_run(const LoadedApp& app, const std::string& label, unsigned threads) {
  // The listing says which instances run; it is held through the replay.
  std::lock_guard lock(listing_mutex_);
  if (auto failed = listing_ready()) return *failed;
  return answer([&](State& s) {
    queries::ReplayOptions options;
    options.with = label;
    options.json = true;
    options.threads = threads;
    options.running = [&](const std::string& instance) {
      const queries::InstanceHistory* h = listing_->instances->find(instance);
      return h && std::string_view(h->status()) == "active";
    };
    std::ostringstream out, err;
    if (queries::replay_loaded(*s.index, app, options, out, err) != 0) return error_answer(422, sentence(err.str()));
    return json_answer(out.str());
  });
}

}  // namespace flow::runtime::serve
