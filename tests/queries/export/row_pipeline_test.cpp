// queries/export/row_pipeline.h: every row reaches the inner sink, in order within
// its table, with its values intact; a failure of the inner sink reaches
// the caller; nothing waits forever.
#include <catch2/catch.hpp>

#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "queries/export/row_pipeline.h"

using namespace flow::runtime::queries;

namespace {

/// Keeps each row as text, per table.
class Recorder : public RowSink {
 public:
  explicit Recorder(size_t fail_after = SIZE_MAX) : fail_after_(fail_after) {}
  void row(size_t table, const Value* values) override {
    if (++seen_ > fail_after_) throw std::runtime_error("disk full");
    std::string text;
    for (size_t c = 0; c < export_tables()[table].columns.size(); ++c) {
      const Value& v = values[c];
      text += v.kind == Value::Kind::Null      ? "null"
              : v.kind == Value::Kind::Integer ? std::to_string(v.integer)
                                               : "'" + std::string(v.text) + "'";
      text += ";";
    }
    tables[table].push_back(text);
  }
  std::vector<std::vector<std::string>> tables = std::vector<std::vector<std::string>>(export_tables().size());

 private:
  size_t fail_after_;
  size_t seen_ = 0;
};

/// Row `i` of `table`: values that differ per row, texts of many sizes.
std::vector<Value> make_row(size_t table, size_t i, std::deque<std::string>& texts) {
  std::vector<Value> row;
  for (size_t c = 0; c < export_tables()[table].columns.size(); ++c) {
    switch ((i + c) % 3) {
      case 0: row.push_back(Value::null()); break;
      case 1: row.push_back(Value::of(static_cast<int64_t>(i * 1000 + c))); break;
      default:
        texts.push_back(std::string((i * 7 + c) % 300, static_cast<char>('a' + c % 26)));
        row.push_back(Value::of(std::string_view(texts.back())));
    }
  }
  return row;
}

}  // namespace

TEST_CASE("the row pipeline stores every row, in order within its table", "[export]") {
  Recorder direct, piped;
  {
    RowPipeline pipeline(piped);
    for (size_t i = 0; i < 60000; ++i) {
      const size_t table = (i * 7919) % export_tables().size();
      std::deque<std::string> texts;  // stable: the values point into it
      const std::vector<Value> row = make_row(table, i, texts);
      direct.row(table, row.data());
      pipeline.row(table, row.data());  // copies: `texts` goes away now
    }
    pipeline.finish();
  }
  for (size_t t = 0; t < export_tables().size(); ++t) {
    INFO("table " << export_tables()[t].name);
    CHECK(piped.tables[t] == direct.tables[t]);
  }
}

TEST_CASE("a failing inner sink fails the pipeline's caller", "[export]") {
  Recorder failing(1000);
  RowPipeline pipeline(failing);
  std::deque<std::string> texts;
  auto feed_and_finish = [&] {
    for (size_t i = 0; i < 200000; ++i) {
      texts.clear();
      const std::vector<Value> row = make_row(1, i, texts);
      pipeline.row(1, row.data());
    }
    pipeline.finish();
  };
  CHECK_THROWS_WITH(feed_and_finish(), "disk full");
}

TEST_CASE("a pipeline dropped without finish stops its thread", "[export]") {
  Recorder recorder;
  std::deque<std::string> texts;
  {
    RowPipeline pipeline(recorder);
    for (size_t i = 0; i < 50000; ++i) {
      texts.clear();
      const std::vector<Value> row = make_row(2, i, texts);
      pipeline.row(2, row.data());
    }
  }
  CHECK(recorder.tables[2].size() <= 50000);
}
