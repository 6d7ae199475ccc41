// A journal::JournalTail for the runtime's records: each record comes with
// its segment's list of names (records/name_list.h), which decoding needs,
// also when the tail starts in the middle of a segment (the list is that
// segment's first record, read once on the way in). For the live listing of
// instances and the topic streams, which follow the journal as the engine
// appends to it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "journal/journal_tail.h"
#include "records/name_list.h"

namespace flow::runtime::serve {

class RecordFollower {
 public:
  explicit RecordFollower(std::filesystem::path dir) : dir_(dir), tail_(std::move(dir)) {}

  void seek(const journal::RecordPosition& position) { tail_.seek(position); }

  /// The next whole record (see JournalTail::next) and the list of names
  /// that decodes it (null when its segment has none).
  bool next(journal::Record& out, const NameList*& names);

  const journal::RecordPosition& position() const { return tail_.position(); }
  const std::optional<journal::Problem>& problem() const { return tail_.problem(); }

  static std::string_view payload(const journal::Record& record) {
    return {reinterpret_cast<const char*>(record.payload.data()), record.payload.size()};
  }

 private:
  std::filesystem::path dir_;
  journal::JournalTail tail_;
  SegmentNames names_;
  uint32_t segment_ = 0;  // of the last record returned
};

}  // namespace flow::runtime::serve
