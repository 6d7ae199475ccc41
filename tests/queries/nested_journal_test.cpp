// Nested data from ingress to the journal and out again (language.md §4.1,
// runtime.md §5-6): a line with records, lists of records, maps and
// decimals is decoded by each tier, its `data` written as the engine writes
// it (the encoder, given the express tier's verbatim texts) into an event
// record of a journal; `journal dump` prints it with every decimal as sent,
// the query commands' JSON keeps it, and `journal export --format sqlite`
// stores it as JSON text that SQLite's json_extract reads at any depth.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <sstream>

#include "../ingress/nested_source.h"
#include "../journal/test_support.h"
#include "engine/journal_sink.h"
#include "queries/common/number_text.h"
#include "queries/common/query_json.h"
#include "queries/dump/journal_dump.h"
#include "queries/export/export_sqlite.h"

using namespace flow;
using namespace flow::testing;
using flow::journal::test::TempDir;

namespace {

/// The order of nested_order() with decimals written as senders write them.
std::string order_line() {
  return line_of("OrderPlaced", nested_order(R"("total":34.90,"fees":[0.10,-0,1E+3,0.0000001])", {"total", "fees"}));
}

/// `data` as the engine journals an input event (Router::journal_event).
std::string journaled_data(const runtime::DecodedEvent& event) {
  runtime::JsonBuffer buffer;
  runtime::append_data_json(buffer, *event.type, event.instance, event.verbatim);
  return std::string(buffer.view());
}

/// One event record holding `data` in a new journal at `dir`.
void write_event(const std::filesystem::path& dir, const std::string& data) {
  std::ostringstream log;
  runtime::JournalSink sink;
  sink.open(dir.string(), journal::FsyncMode::Never, log);
  sink.write(runtime::RecordKind::Event,
             runtime::EventRecordView{"e1", "shop.nested.OrderPlaced", "o-1", "o-1", "", "", "", "shop", "",
                                      1'700'000'000'000'000, 1'700'000'000'000'000, 1, "hash", data});
  sink.commit();
}

/// The single text of a query's first row.
std::string query_text(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  std::string out = text ? text : "NULL";
  sqlite3_finalize(stmt);
  return out;
}

}  // namespace

TEST_CASE("every tier journals a nested event's data the same, decimals as sent", "[queries][nested]") {
  const std::string line = order_line();
  std::string first;
  for (bool fast : {true, false}) {
    for (bool express : {true, false}) {
      runtime::CloudEventDecoder decoder(*nested().catalog, {false, fast, express});
      Arena arena;
      runtime::DecodedEvent event;
      INFO(decoder.error());
      REQUIRE(decoder.decode(line, arena, event));
      const std::string data = journaled_data(event);
      if (first.empty()) first = data;
      CHECK(data == first);
      if (fast && express) {
        // The express tier hands the total's text over as it is in the line
        // (in its copy of the line), which the encoder then writes as it is.
        REQUIRE(event.verbatim);
        const std::string_view total = event.verbatim[event.type->field_names.find("total")];
        CHECK(total == "34.90");
        // A list of decimals too, its 0.0000001 written as str() writes it.
        CHECK(event.verbatim[event.type->field_names.find("fees")] == "[0.10,-0,1E+3,1E-7]");
      }
    }
  }
  // The sender's decimal text, where Python's str() writes it the same
  // (0.0000001 is 1E-7 there: the same decimal, in its exponent form).
  CHECK(first.find(R"("total":34.90,"fees":[0.10,-0,1E+3,1E-7])") != std::string::npos);
  CHECK(first.find(R"("price":12.50)") != std::string::npos);
}

TEST_CASE("journal dump, query JSON and the SQLite export keep nested data", "[queries][nested]") {
  runtime::CloudEventDecoder decoder(*nested().catalog);
  Arena arena;
  runtime::DecodedEvent event;
  REQUIRE(decoder.decode(order_line(), arena, event));
  const std::string data = journaled_data(event);
  TempDir dir;
  write_event(dir.path(), data);

  SECTION("journal dump prints the data with its numbers as journaled, in both forms") {
    for (bool json : {false, true}) {
      std::ostringstream out, errors;
      runtime::DumpOptions options;
      options.json = json;
      runtime::dump_journal(dir.path(), options, out, errors);
      INFO(out.str() << errors.str());
      // (dump lists an object's keys in sorted order)
      CHECK(out.str().find(R"("fees":[0.10,-0,1E+3,1E-7])") != std::string::npos);
      CHECK(out.str().find(R"("total":34.90)") != std::string::npos);
      CHECK(out.str().find(R"({"gift":null,"price":12.50,"qty":2,"sku":"A-1","tags":["red"]})") != std::string::npos);
      CHECK(out.str().find(R"("ship_to":{"city":"Gent","country":"BE","street":"Dock 2","zip":null})") !=
            std::string::npos);
    }
  }

  SECTION("the query commands' JSON keeps nested decimals' text") {
    const std::string printed = runtime::queries::dump(runtime::queries::data_value(data));
    CHECK(printed.find("\"total\": 34.90") != std::string::npos);
    CHECK(printed.find("\"price\": 12.50") != std::string::npos);
    CHECK(printed.find("\"price\": 1E+2") != std::string::npos);
    CHECK(printed.find("-0,") != std::string::npos);
    nlohmann::json back = nlohmann::json::parse(printed);
    CHECK(back["items"][1]["qty"] == 10);
    CHECK(back["ship_to"]["city"] == "Gent");
  }

  SECTION("the SQLite export stores data as JSON text: json_extract reads nested paths") {
    const auto db_path = dir.path() / "export.db";
    std::ostringstream log;
    runtime::queries::export_sqlite(dir.path(), db_path, log);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
    CHECK(query_text(db, "SELECT json_extract(data, '$.ship_to.city') FROM events") == "Gent");
    CHECK(query_text(db, "SELECT json_extract(data, '$.customer.address.zip') FROM events") == "3511");
    CHECK(query_text(db, "SELECT json_extract(data, '$.items[1].qty') FROM events") == "10");
    CHECK(query_text(db, "SELECT json_extract(data, '$.labels.prio') FROM events") == "high");
    CHECK(query_text(db, "SELECT json_extract(data, '$.stock.\"A-1\".sku') FROM events") == "A-1");
    CHECK(query_text(db, "SELECT json_extract(data, '$.routes[0].north[0].country') FROM events") == "NO");
    CHECK(query_text(db, "SELECT json_extract(data, '$.bill_to') FROM events") == "NULL");
    // A decimal's text as journaled with ->, its value with json_extract.
    CHECK(query_text(db, "SELECT data -> '$.total' FROM events") == "34.90");
    CHECK(query_text(db, "SELECT json_extract(data, '$.total') FROM events") == "34.9");
    CHECK(query_text(db,
                     "SELECT count(*) FROM events, json_each(events.data, '$.items') "
                     "WHERE json_extract(json_each.value, '$.qty') >= 10") == "1");
    sqlite3_close(db);
  }
}

TEST_CASE("number text: -0 and fractions keep their text, strings stay strings", "[queries][nested]") {
  using runtime::queries::mark_negative_zeros;
  CHECK(mark_negative_zeros(R"({"a":-0,"b":"-0","c":[-0],"d":-0.5,"e":-01})") ==
        R"({"a":"\u0001\u0002flow-number\u0003-0","b":"-0","c":["\u0001\u0002flow-number\u0003-0"],"d":-0.5,"e":-01})");
  CHECK(mark_negative_zeros(R"({"s":"a\"-0"})") == R"({"s":"a\"-0"})");
  const std::string data = R"({"r":{"x":[1.50,-0,{"m":{"k":2E+1}}],"s":"1.50"},"i":-3})";
  nlohmann::ordered_json j;
  REQUIRE(runtime::queries::parse_keeping_numbers(data, j));
  CHECK(runtime::queries::restore_numbers(j.dump()) == data);
}
