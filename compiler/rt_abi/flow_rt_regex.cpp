// flow_rt: the regex table. Each `matches` pattern of a program is compiled
// once, when the table is built; matching is then lock-free and may run on
// many threads at once (RE2 objects are thread-safe for matching).
#include <re2/re2.h>

#include <memory>
#include <new>
#include <vector>

#include "rt_abi/flow_rt.h"

struct FlowRegexTable {
  std::vector<std::unique_ptr<RE2>> patterns;
};

extern "C" {

FlowRegexTable* flow_rt_regex_table_create(const FlowStr* patterns, uint32_t count, uint32_t* bad_index) {
  try {
    auto table = std::make_unique<FlowRegexTable>();
    RE2::Options options;  // the checker validates with the same (default, UTF-8) options
    options.set_log_errors(false);
    for (uint32_t i = 0; i < count; ++i) {
      auto re = std::make_unique<RE2>(re2::StringPiece(patterns[i].data, patterns[i].size), options);
      if (!re->ok()) {
        if (bad_index) *bad_index = i;
        return nullptr;
      }
      table->patterns.push_back(std::move(re));
    }
    return table.release();
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

void flow_rt_regex_table_destroy(FlowRegexTable* table) {
  delete table;
}

uint32_t flow_rt_regex_table_size(const FlowRegexTable* table) {
  return static_cast<uint32_t>(table->patterns.size());
}

int32_t flow_rt_regex_match(const FlowRegexTable* table, uint32_t id, const char* s, uint64_t size) {
  if (!table || id >= table->patterns.size()) return 0;
  return RE2::PartialMatch(re2::StringPiece(s, size), *table->patterns[id]) ? 1 : 0;
}

}  // extern "C"
