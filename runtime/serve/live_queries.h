// The questions `flowrt serve` answers from its journal while the engine
// appends to it (serve.md §1 "Asking it while it runs"), as plain C++: the
// server routes a request here and writes the Answer out.
//
//   GET /instances?flow=&status=&limit=   instances()   like `dossier --all --json`
//   GET /instances/{key}?at=TIMESTAMP     instance()    like `dossier --key K --json`
//   GET /events/{id}                      event()       the event record(s) with that id
//   GET /events/{id}/explain              explain()     like `explain --event ID --json`
//   GET /definitions                      definitions() the version history
//   GET /definitions/{version}            definition()  a version's sources
//
// Every answer reflects every record written before the call (the engine
// writes all records of an event before acknowledging it): each call first
// reads what was appended since the last one — the query index is refreshed
// (JournalIndex::refresh), the listing of instances and the definition
// history are brought forward from where they stopped — and never reads
// the whole history again. A record still being written is not there yet.
// docs/serve.md "Live queries" documents the answers.
//
// Path segments and query strings are passed as they are in the URL
// (percent-encoded): they are decoded here, once. 404 for an unknown key,
// event or version; 400 for bad parameters; 503 while the journal folder
// does not exist yet; 500 when the journal cannot be read. Error bodies are
// {"error": "..."}. Thread-safe: one mutex serialises the calls (each is a
// few index lookups and record reads, or the records appended since the
// last call); the listing of instances has a mutex of its own, so that
// building it (the first GET /instances reads the journal once) holds up
// no other question.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "serve/query_answer.h"

namespace flow::runtime {
struct LoadedApp;
}
namespace flow::runtime::queries {
struct DefinitionSummary;
}

namespace flow::runtime::serve {

class LiveQueries {
 public:
  explicit LiveQueries(std::string journal_dir);
  ~LiveQueries();
  LiveQueries(const LiveQueries&) = delete;
  LiveQueries& operator=(const LiveQueries&) = delete;

  Answer instances(std::string_view query_string);
  Answer instance(std::string_view key, std::string_view query_string);
  Answer event(std::string_view id);
  Answer explain(std::string_view id);
  Answer definitions();
  Answer definition(std::string_view version);

  /// For deploy_check's dry run: the replay report (`flowrt replay --json`,
  /// runtime.md §6) of the journal under `app`, the running instances
  /// (those not completed or failed) listed first. `label` stands for the
  /// file name in the report.
  Answer dry_run(const LoadedApp& app, const std::string& label, unsigned threads = 1);

  /// Builds the listing of instances now rather than at the first GET
  /// /instances (it reads the journal once): for a server's start-up, from
  /// a thread of its own.
  void prepare();

 private:
  struct State;
  struct Listing;
  /// For the listing: a definition version by hash (under mutex_).
  const queries::DefinitionSummary* listing_summary(const std::string& hash);
  /// Under listing_mutex_: applies the records appended since the last call.
  void catch_up_listing();
  /// catch_up_listing(), or the answer saying why it could not.
  std::optional<Answer> listing_ready();
  /// Runs `query` on the refreshed state under the lock; a damaged index
  /// file is rebuilt and the query run once more; errors become answers.
  template <typename Query>
  Answer answer(Query&& query);

  std::filesystem::path dir_;
  std::mutex mutex_;  // state_; taken after listing_mutex_ when both are
  std::unique_ptr<State> state_;
  std::mutex listing_mutex_;  // listing_
  std::unique_ptr<Listing> listing_;
};

}  // namespace flow::runtime::serve
