// What flowrt serve answers from its journal (runtime/serve): the live
// queries against the query commands' --json output, records appended
// between two calls (a record cut short at the end is not there yet), the
// query index brought up to date incrementally, topic reads resumed at
// every position (every event exactly once), and the deploy check: broken
// source (422), dry run (the replay report, running instances first), an
// artifact rebuilt from its sources. Journals come from real `flowrt run`
// invocations of tests/queries/cases/contracts.flow (in-process services).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "queries/common/record_access.h"
#include "queries/index/journal_index.h"
#include "serve/deploy_check.h"
#include "serve/live_queries.h"
#include "serve/topic_reader.h"
#include "test_support.h"

using flow::journal::test::TempDir;
using nlohmann::json;
using namespace flow::runtime;
using namespace flow::runtime::serve;
namespace fs = std::filesystem;

namespace {

const std::string kContracts = FLOW_QUERIES_CASES_DIR "/contracts.flow";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string quoted(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs a program; returns its standard output.
std::string run(const std::vector<std::string>& args, const fs::path& work) {
  std::string command;
  for (const auto& a : args) command += quoted(a) + " ";
  const fs::path out = work / "stdout.txt";
  command += "> " + quoted(out.string()) + " 2> " + quoted((work / "stderr.txt").string());
  const int status = std::system(command.c_str());
  INFO(command << "\n" << read_text(work / "stderr.txt"));
  REQUIRE(status != -1);
  // flowrt run exits 3 when a delivery was dead-lettered, as contracts.flow's Escalate always is.
  REQUIRE((WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3));
  return read_text(out);
}

std::string opened(const std::string& id, const std::string& key, double value) {
  return R"({"specversion":"1.0","id":")" + id + R"(","source":"test","type":"ContractOpened","data":{"contract":")" +
         key + R"(","customer":"c","value":)" + std::to_string(value) + "}}\n";
}

std::string signed_by(const std::string& id, const std::string& key) {
  return R"({"specversion":"1.0","id":")" + id + R"(","source":"test","type":"ContractSigned","data":{"contract":")" +
         key + R"(","signed_by":"bob"}})" + "\n";
}

/// `flowrt run contracts.flow` over `events` into `journal`.
void flowrt_run(const fs::path& journal, const std::string& events, const fs::path& work,
                const std::string& app = kContracts) {
  const fs::path input = work / "input.jsonl";
  write_text(input, events);
  run({FLOWRT, "run", app, "--journal", journal.string(), "--input", input.string(), "--backend", "interp"}, work);
}

/// The first journal of these tests: k1 signed (completed), k2 big (its
/// escalation is dead-lettered: failed), k3 waiting for its signature.
const std::string kFirstRun =
    opened("c-1", "k1", 5) + opened("c-2", "k2", 500000) + signed_by("s-1", "k1") + opened("c-3", "k3", 7);
const std::string kSecondRun = opened("c-4", "k4", 9) + signed_by("s-3", "k3");

json body(const Answer& a) {
  INFO(a.body);
  REQUIRE(a.content_type == "application/json");
  return json::parse(a.body);
}

/// `text` with its first `from` replaced by `to`.
std::string edited(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

fs::path only_segment(const fs::path& journal) {
  std::vector<fs::path> segments;
  for (const auto& entry : fs::directory_iterator(journal)) {
    if (entry.path().extension() == ".fj") segments.push_back(entry.path());
  }
  REQUIRE(segments.size() == 1);
  return segments[0];
}

}  // namespace

TEST_CASE("live queries answer as the query commands do", "[serve]") {
  TempDir tmp;
  const fs::path journal = tmp / "journal";
  flowrt_run(journal, kFirstRun, tmp.path());
  LiveQueries live(journal.string());

  // /instances is dossier --all --json, plus how many matched.
  Answer all = live.instances("");
  REQUIRE(all.status == 200);
  json listing = body(all);
  CHECK(listing["instances_matched"] == 3);
  listing.erase("instances_matched");
  CHECK(listing == json::parse(run({FLOWRT, "dossier", "--journal", journal.string(), "--all", "--json"}, tmp.path())));

  json failed = body(live.instances("status=failed&limit=5"));
  REQUIRE(failed["instances"].size() == 1);
  CHECK(failed["instances"][0]["instance"] == "k2");
  json waiting = body(live.instances("flow=Signing&status=waiting"));
  REQUIRE(waiting["instances"].size() == 1);
  CHECK(waiting["instances"][0]["instance"] == "k3");
  CHECK(body(live.instances("limit=1"))["instances"].size() == 1);

  // /instances/{key} is dossier --key, /events/{id}/explain is explain.
  Answer k1 = live.instance("k1", "");
  REQUIRE(k1.status == 200);
  CHECK(k1.body == run({FLOWRT, "dossier", "--journal", journal.string(), "--key", "k1", "--json"}, tmp.path()));
  Answer why = live.explain("c-2");
  REQUIRE(why.status == 200);
  CHECK(why.body == run({FLOWRT, "explain", "--journal", journal.string(), "--event", "c-2", "--json"}, tmp.path()));

  // /events/{id}: the event as explain shows it.
  json event = body(live.event("c-1"));
  CHECK(event["format"] == "flowrt.event/1");
  REQUIRE(event["events"].size() == 1);
  CHECK(event["events"][0]["id"] == "c-1");
  CHECK(event["events"][0]["data"]["contract"] == "k1");
  CHECK(event["events"][0]["definition"]["version"] == 1);

  CHECK(body(live.event("c-2"))["events"][0] == json::parse(why.body)["events"][0]["event"]);

  // As of a moment before anything: no k1 yet.
  CHECK(live.instance("k1", "at=2000-01-01T00:00:00Z").status == 404);

  // /definitions and /definitions/{version}.
  json defs = body(live.definitions());
  CHECK(defs["format"] == "flowrt.definitions/1");
  REQUIRE(defs["versions"].size() == 1);
  REQUIRE(defs["history"].size() == 1);
  CHECK(defs["current"]["version"] == 1);
  const std::string hash = defs["current"]["hash"];
  for (const std::string& v : std::vector<std::string>{"1", "v1", hash}) {
    json def = body(live.definition(v));
    CHECK(def["version"] == 1);
    CHECK(def["hash"] == hash);
    REQUIRE(def["sources"].size() == 1);
    CHECK(def["sources"][0]["text"] == read_text(kContracts));
  }
}

TEST_CASE("live queries refuse bad parameters and say what is unknown", "[serve]") {
  TempDir tmp;
  const fs::path journal = tmp / "journal";
  LiveQueries early(journal.string());
  CHECK(early.instances("").status == 503);  // the engine has not created the folder yet
  flowrt_run(journal, kFirstRun, tmp.path());

  LiveQueries live(journal.string());
  CHECK(early.instances("").status == 200);
  for (const char* query : {"status=bogus", "limit=0", "limit=x", "limit=-1", "what=1", "flow=a&flow=b", "flow=%zz"}) {
    INFO(query);
    Answer a = live.instances(query);
    CHECK(a.status == 400);
    CHECK(body(a).contains("error"));
  }
  CHECK(live.instance("k1", "at=yesterday").status == 400);
  CHECK(live.instance("k1", "when=now").status == 400);
  CHECK(live.instance("%ff", "").status == 400);
  CHECK(live.definition("latest").status == 400);

  for (const Answer& a : {live.instance("nobody", ""), live.event("nothing"), live.explain("nothing"),
                          live.definition("7"), live.definition(std::string(64, 'a'))}) {
    CHECK(a.status == 404);
    CHECK(body(a)["error"].get<std::string>().size() > 5);
  }
  // Percent-escapes are decoded once: "k%31" is k1.
  CHECK(live.instance("k%31", "").status == 200);
}

TEST_CASE("records appended between two calls are seen; one cut short is not there yet", "[serve]") {
  TempDir tmp;
  const fs::path journal = tmp / "journal", longer = tmp / "longer";
  flowrt_run(journal, kFirstRun, tmp.path());
  // The same journal with a second run appended, to take its bytes from.
  fs::copy(journal, longer);
  flowrt_run(longer, kSecondRun, tmp.path());
  const std::string before = read_text(only_segment(journal));
  const std::string after = read_text(only_segment(longer));
  REQUIRE(after.size() > before.size() + 100);
  REQUIRE(after.compare(0, before.size(), before) == 0);

  LiveQueries live(journal.string());
  TopicReader topics(journal.string());
  CHECK(body(live.instances(""))["instances_total"] == 3);
  CHECK(live.instance("k4", "").status == 404);
  CHECK(live.explain("c-4").status == 404);
  const std::string now = topics.now();

  // Half of what the second run wrote: its last record is cut short.
  const fs::path segment = only_segment(journal);
  const size_t half = before.size() + (after.size() - before.size()) / 2;
  {
    std::ofstream out(segment, std::ios::binary | std::ios::app);
    out << after.substr(before.size(), half - before.size());
  }
  // As the same bytes read by the query commands, which take the whole records only.
  const fs::path halfway = tmp / "halfway";
  fs::create_directory(halfway);
  write_text(halfway / segment.filename(), after.substr(0, half));
  json partial = body(live.instances(""));
  partial.erase("instances_matched");
  CHECK(partial == json::parse(run({FLOWRT, "dossier", "--journal", halfway.string(), "--all", "--json"}, tmp.path())));
  CHECK(live.instance("k3", "").body ==
        run({FLOWRT, "dossier", "--journal", halfway.string(), "--key", "k3", "--json"}, tmp.path()));
  // The rest of it.
  {
    std::ofstream out(segment, std::ios::binary | std::ios::app);
    out << after.substr(half);
  }
  json all = body(live.instances(""));
  CHECK(all["instances_total"] == 4);
  json list = all;
  list.erase("instances_matched");
  CHECK(list == json::parse(run({FLOWRT, "dossier", "--journal", longer.string(), "--all", "--json"}, tmp.path())));
  CHECK(live.instance("k3", "").body ==
        run({FLOWRT, "dossier", "--journal", longer.string(), "--key", "k3", "--json"}, tmp.path()));
  CHECK(live.explain("s-3").body ==
        run({FLOWRT, "explain", "--journal", longer.string(), "--event", "s-3", "--json"}, tmp.path()));
  CHECK(body(live.instances("status=completed"))["instances_matched"] == 2);

  // The topic from the position of "now" before the append: only what came after.
  auto batch = topics.read("ContractOpened", now, 100);
  REQUIRE(batch);
  REQUIRE(batch->events.size() == 1);
  CHECK(json::parse(batch->events[0].data)["id"] == "c-4");
}

TEST_CASE("live queries and topic reads from several threads while the journal grows", "[serve]") {
  TempDir tmp;
  const fs::path journal = tmp / "journal";
  flowrt_run(journal, kFirstRun, tmp.path());
  LiveQueries live(journal.string());
  TopicReader topics(journal.string());
  std::atomic<bool> done = false;
  std::atomic<int> unexpected = 0;
  auto ask = [&](int who) {
    std::string position;
    std::set<std::string> seen;
    while (!done) {
      for (const Answer& a : {live.instance(who ? "k4" : "k1", ""), live.instances("status=waiting"),
                              live.explain("c-4"), live.definitions()}) {
        if (a.status != 200 && a.status != 404) ++unexpected;
      }
      auto batch = topics.read("ContractOpened", position, 2);
      if (!batch) ++unexpected;
      for (const auto& e : batch->events) {
        if (!seen.insert(e.id).second) ++unexpected;  // never twice
      }
      position = batch->next;
    }
  };
  std::thread first(ask, 0), second(ask, 1);
  live.prepare();
  flowrt_run(journal, kSecondRun, tmp.path());
  done = true;
  first.join();
  second.join();
  CHECK(unexpected == 0);
  CHECK(live.instance("k4", "").status == 200);
  CHECK(body(live.instances(""))["instances_total"] == 4);
}

TEST_CASE("the query index takes appended records without reading the journal again", "[serve]") {
  TempDir tmp;
  const fs::path journal = tmp / "journal";
  flowrt_run(journal, kFirstRun, tmp.path());
  flow::runtime::queries::IndexOpenReport report;
  flow::runtime::queries::IndexOpenOptions options;
  // Held in memory, or (hold_records 1) written again at once.
  options.hold_records = GENERATE(uint64_t{1} << 20, uint64_t{1});
  auto index = flow::runtime::queries::JournalIndex::open(journal, options, report);
  const uint64_t first = index->record_count();
  CHECK(index->refresh() == 0);
  flowrt_run(journal, kSecondRun, tmp.path());
  const uint64_t added = index->refresh();
  CHECK(added > 0);
  CHECK(index->refresh() == 0);
  CHECK((index->describe().find("held in memory") != std::string::npos) == (options.hold_records > 1));
  // The same tables as an index built from scratch.
  flow::runtime::queries::IndexOpenOptions rebuild;
  rebuild.force_rebuild = true;
  rebuild.persist = false;
  auto fresh = flow::runtime::queries::JournalIndex::open(journal, rebuild, report);
  REQUIRE(fresh->record_count() == first + added);
  for (uint64_t o = 0; o < fresh->record_count(); ++o) {
    CHECK(index->position(o) == fresh->position(o));
    CHECK(index->journal_time(o) == fresh->journal_time(o));
    CHECK(index->kind(o) == fresh->kind(o));
    CHECK(index->sequence(o) == fresh->sequence(o));
  }
  using flow::runtime::queries::hash_text;
  for (const char* id : {"c-1", "c-3", "c-4", "s-3"})
    CHECK(index->events_with_id(hash_text(id)) == fresh->events_with_id(hash_text(id)));
  for (const char* key : {"k1", "k3", "k4"}) {
    CHECK(index->instances_with_key(hash_text(key)) == fresh->instances_with_key(hash_text(key)));
    CHECK(index->instance_records(hash_text(key)) == fresh->instance_records(hash_text(key)));
  }
  CHECK(index->definitions().size() == fresh->definitions().size());
}

TEST_CASE("a topic resumed at every position gives every event exactly once", "[serve]") {
  TempDir tmp;
  const fs::path journal = tmp / "journal";
  flowrt_run(journal, kFirstRun, tmp.path());
  flowrt_run(journal, kSecondRun, tmp.path());
  TopicReader topics(journal.string());

  auto all = topics.read("ContractOpened", "", 1000);
  REQUIRE(all);
  CHECK_FALSE(all->more);
  std::vector<std::string> ids;
  for (const auto& e : all->events) {
    json ce = json::parse(e.data);
    CHECK(ce["specversion"] == "1.0");
    CHECK(ce["type"] == "contracts.ContractOpened");
    CHECK(ce["source"] == "test");
    CHECK(ce["flowinstance"] == ce["data"]["contract"]);
    ids.push_back(ce["id"]);
  }
  CHECK(ids == std::vector<std::string>{"c-1", "c-2", "c-3", "c-4"});
  // Qualified and plain names are the same topic; another type is another.
  CHECK(topics.read("contracts.ContractOpened", "", 1000)->events.size() == 4);
  CHECK(topics.read("ContractDone", "", 1000)->events.size() == 2);
  CHECK(topics.read("Nothing", "", 1000)->events.empty());

  // One at a time, each read going on from the last id received (as a
  // subscriber reconnecting with Last-Event-ID) or from `next`.
  for (bool by_next : {false, true}) {
    std::vector<std::string> got;
    std::string position;
    for (int guard = 0; guard < 50; ++guard) {
      TopicReader fresh(journal.string());  // a new process knows no marks
      TopicReader& reader = guard % 2 ? topics : fresh;
      auto batch = reader.read("ContractOpened", position, 1);
      REQUIRE(batch);
      for (const auto& e : batch->events) {
        got.push_back(json::parse(e.data)["id"]);
        if (!by_next) position = e.id;
      }
      if (by_next) position = batch->next;
      if (!batch->more && batch->events.empty()) break;
    }
    CHECK(got == ids);
  }
  // Positions are the events' journal sequence numbers.
  std::set<std::string> positions;
  for (const auto& e : all->events) positions.insert(e.id);
  CHECK(positions.size() == 4);
  CHECK(topics.read("ContractOpened", all->events[3].id, 10)->events.empty());
  CHECK(topics.read("ContractOpened", topics.now(), 10)->events.empty());
  for (const char* bad : {"x", "-1", "01", "1.5", "99999999999999999999"})
    CHECK_FALSE(topics.read("ContractOpened", bad, 1));
}

TEST_CASE("deploy check: errors, dry run, the switch and an artifact", "[serve]") {
  TempDir tmp;
  const fs::path journal = tmp / "journal";
  flowrt_run(journal, kFirstRun, tmp.path());
  LiveQueries live(journal.string());
  DeployOptions options;
  options.root_file = kContracts;
  const std::string source = read_text(kContracts);

  SECTION("a source with errors: 422 and the diagnostics") {
    const std::string broken = edited(source, "c.value > BIG", "c.valeu > BIG");
    DeployCheck check = deploy_check({"text/plain; charset=utf-8", broken, ""}, options, live);
    CHECK(check.answer.status == 422);
    CHECK_FALSE(check.app);
    json j = body(check.answer);
    REQUIRE(j["diagnostics"].size() >= 1);
    json d = j["diagnostics"][0];
    CHECK(d["severity"] == "error");
    CHECK(d["file"] == "contracts.flow");
    CHECK(d["line"].get<int>() > 0);
    CHECK(d["column"].get<int>() > 0);
    CHECK(d["code"].get<std::string>().starts_with("E"));
    CHECK(d["message"].get<std::string>().find("valeu") != std::string::npos);
  }

  SECTION("a dry run: the replay report, running instances first; nothing changes") {
    const std::string lower = edited(source, "BIG = 100000.0", "BIG = 1.0");
    DeployCheck check = deploy_check({"text/plain", lower, "dry_run=1"}, options, live);
    REQUIRE(check.answer.status == 200);
    CHECK(check.dry_run);
    CHECK_FALSE(check.app);
    json report = body(check.answer);
    CHECK(report["format"] == "flowrt.replay/1");
    CHECK(report["changed_decisions"] == 2);
    CHECK(report["running_instances_changed"] == json::array({"k3"}));
    CHECK(report["running_instances_changed_total"] == 1);
    bool found = false;
    for (const auto& s : report["subscriptions"]) {
      if (s["now_fire"] == 2) {
        found = true;
        CHECK(s["instances_now_fire"] == json::array({"k3", "k1"}));  // k3 runs, k1 is done
      }
    }
    CHECK(found);
    CHECK(body(live.definitions())["history"].size() == 1);

    DeployCheck same = deploy_check({"text/plain", source, "dry_run=true"}, options, live);
    REQUIRE(same.answer.status == 200);
    CHECK(body(same.answer)["changed_decisions"] == 0);
    CHECK(body(same.answer)["same_as_version"] == 1);
  }

  SECTION("no dry run: the app to switch to") {
    DeployCheck check = deploy_check({"text/plain", source, ""}, options, live);
    REQUIRE(check.answer.status == 200);
    REQUIRE(check.app);
    CHECK(check.app->source_path == "contracts.flow (PUT /definitions)");
    json j = body(check.answer);
    CHECK(j["hash"] == check.app->content_hash);
    // Built as the running file was: the same definitions, its exec services in its folder.
    CHECK(check.app->content_hash == body(live.definitions())["current"]["hash"]);
    CHECK(fs::path(check.app->source_folder) == fs::path(kContracts).parent_path());
  }

  SECTION("an artifact is rebuilt from its sources; a damaged one is refused") {
    const fs::path built = tmp / "contracts.flowc";
    run({FLOWC, "build", "--quiet", kContracts, "-o", built.string()}, tmp.path());
    const std::string bytes = read_text(built);
    DeployCheck check = deploy_check({"application/octet-stream", bytes, ""}, options, live);
    REQUIRE(check.answer.status == 200);
    REQUIRE(check.app);
    CHECK(check.app->content_hash == body(live.definitions())["current"]["hash"]);
    CHECK(check.app->source_folder == fs::path(kContracts).parent_path().lexically_normal().string());

    DeployCheck dry = deploy_check({"application/octet-stream", bytes, "dry_run=1"}, options, live);
    REQUIRE(dry.answer.status == 200);
    CHECK(body(dry.answer)["same_as_version"] == 1);

    std::string damaged = bytes;
    damaged[damaged.size() / 2] ^= 0x20;
    DeployCheck refused = deploy_check({"application/octet-stream", damaged, ""}, options, live);
    CHECK(refused.answer.status == 422);
    CHECK_FALSE(refused.app);
    CHECK(body(refused.answer)["error"].get<std::string>().find("artifact") != std::string::npos);
  }

  SECTION("bad requests") {
    CHECK(deploy_check({"application/json", source, ""}, options, live).answer.status == 415);
    CHECK(deploy_check({"text/plain", source, "dry_run=maybe"}, options, live).answer.status == 400);
    CHECK(deploy_check({"text/plain", source, "force=1"}, options, live).answer.status == 400);
  }
}

// Not run by ctest (hidden tag): the figures of docs/serve.md, on a journal
// of FLOW_SERVE_BENCH_EVENTS (default 200,000) contract openings.
//   build/tests/queries_tests "[.serve-bench]"
TEST_CASE("live queries and topics on a larger journal", "[.serve-bench]") {
  using clock = std::chrono::steady_clock;
  auto ms = [](clock::time_point since) {
    return std::chrono::duration<double, std::milli>(clock::now() - since).count();
  };
  const char* size = std::getenv("FLOW_SERVE_BENCH_EVENTS");
  const int n = size ? std::atoi(size) : 200000;
  TempDir tmp;
  const fs::path journal = tmp / "journal";
  std::string events;
  for (int i = 0; i < n; ++i) events += opened("c-" + std::to_string(i), "k" + std::to_string(i), i % 10 ? 5 : 500000);
  flowrt_run(journal, events, tmp.path());
  run({FLOWRT, "journal", "index", "--journal", journal.string()}, tmp.path());

  LiveQueries live(journal.string());
  auto t = clock::now();
  REQUIRE(live.instance("k500", "").status == 200);
  std::cout << "first call (index file opened): " << ms(t) << " ms\n";
  t = clock::now();
  for (int i = 0; i < 1000; ++i) REQUIRE(live.instance("k" + std::to_string(i * 97 % n), "").status == 200);
  std::cout << "GET /instances/{key}: " << ms(t) / 1000 << " ms per call\n";
  t = clock::now();
  for (int i = 0; i < 1000; ++i) REQUIRE(live.event("c-" + std::to_string(i * 97 % n)).status == 200);
  std::cout << "GET /events/{id}: " << ms(t) / 1000 << " ms per call\n";
  t = clock::now();
  REQUIRE(live.instances("limit=10").status == 200);
  std::cout << "first GET /instances (listing built): " << ms(t) << " ms\n";
  t = clock::now();
  for (int i = 0; i < 100; ++i) REQUIRE(live.instances("limit=10").status == 200);
  std::cout << "GET /instances?limit=10, nothing new: " << ms(t) / 100 << " ms per call\n";
  t = clock::now();
  for (int i = 0; i < 10; ++i) REQUIRE(live.instances("status=waiting&limit=10").status == 200);
  std::cout << "GET /instances?status=waiting&limit=10: " << ms(t) / 10 << " ms per call\n";
  for (int round = 0; round < 3; ++round) {
    std::string more;
    const std::string tag = "m" + std::to_string(round) + "-";
    for (int i = 0; i < 100; ++i) more += opened(tag + std::to_string(i), tag + "k" + std::to_string(i), 5);
    flowrt_run(journal, more, tmp.path());
    t = clock::now();
    REQUIRE(live.instance(tag + "k50", "").status == 200);
    std::cout << "GET /instances/{key} after 100 events were appended: " << ms(t) << " ms\n";
    t = clock::now();
    REQUIRE(live.instances("limit=1").status == 200);
    std::cout << "GET /instances after 100 events were appended: " << ms(t) << " ms\n";
  }
  std::string more;
  for (int i = 0; i < 100; ++i) more += opened("z-" + std::to_string(i), "zk" + std::to_string(i), 5);
  flowrt_run(journal, more, tmp.path());
  t = clock::now();
  run({FLOWRT, "dossier", "--journal", journal.string(), "--key", "zk50", "--json"}, tmp.path());
  std::cout << "flowrt dossier --key after 100 events were appended: " << ms(t) << " ms\n";

  TopicReader topics(journal.string());
  t = clock::now();
  size_t count = 0;
  std::string position;
  for (;;) {
    auto batch = topics.read("ContractOpened", position, 1000);
    count += batch->events.size();
    position = batch->next;
    if (!batch->more) break;
  }
  std::cout << "topic from the start: " << count << " events in " << ms(t) << " ms\n";
  t = clock::now();
  for (int i = 0; i < 1000; ++i) topics.read("ContractOpened", position, 100);
  std::cout << "topic read at the end, nothing new: " << ms(t) / 1000 << " ms per call\n";
  TopicReader fresh(journal.string());
  t = clock::now();
  auto batch = fresh.read("ContractOpened", std::to_string(std::stoull(position) / 2), 10);
  std::cout << "a new reader resuming mid-journal: " << ms(t) << " ms (" << batch->events.size() << " events)\n";
  t = clock::now();
  fresh.now();
  std::cout << "now() of a new reader: " << ms(t) << " ms\n";
}
