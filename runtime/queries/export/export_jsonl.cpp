// The JSON lines writer of `flowrt journal export`; see export_jsonl.h.
#include "queries/export/export_jsonl.h"

#include <string>

#include "base/json_string.h"

namespace flow::runtime::queries {

namespace {

class JsonlSink : public RowSink {
 public:
  explicit JsonlSink(std::ostream& out) : out_(out) {}
  ~JsonlSink() override { flush(); }

  void row(size_t table, const Value* values) override {
    const Table& t = export_tables()[table];
    buffer_ += "{\"table\":\"";
    buffer_ += t.name;
    buffer_.push_back('"');
    for (size_t i = 0; i < t.columns.size(); ++i) {
      buffer_ += ",\"";
      buffer_ += t.columns[i].name;
      buffer_ += "\":";
      const Value& v = values[i];
      if (v.kind == Value::Kind::Null)
        buffer_ += "null";
      else if (v.kind == Value::Kind::Integer)
        buffer_ += std::to_string(v.integer);
      else if (t.columns[i].type == ColumnType::Json)
        buffer_ += v.text;  // already JSON
      else
        append_json_string(buffer_, v.text, JsonEscape::kKeepBytes);
    }
    buffer_ += "}\n";
    if (buffer_.size() > (1u << 20)) flush();
  }

  void flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }

 private:
  std::ostream& out_;
  std::string buffer_;
};

}  // namespace

ExportSummary export_jsonl(const std::filesystem::path& dir, std::ostream& out, std::ostream& log) {
  JsonlSink sink(out);
  ExportSummary summary = export_journal(dir, sink, log);
  sink.flush();
  return summary;
}

}  // namespace flow::runtime::queries
