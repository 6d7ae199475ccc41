// EventIds: the ids the runtime gives events (`e<number>`) and the numbers
// that make other names unique in a journal (a key's later instances, a
// rejected input). One counter for all, starting at the journal's next
// sequence number: every id is spent on a record, so a run's numbers stay
// below the next run's start and ids are unique across runs of one journal.
//
// Limits: single-threaded; a number is unique, not dense (a rejected line
// reads the counter without taking it).
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

namespace flow::runtime {

class EventIds {
 public:
  /// Starts counting at `base` (JournalSink::next_sequence()).
  void start_at(uint64_t base) { base_ = base; }
  /// A new event id into `out` (keeping its storage).
  void assign_new(std::string& out) {
    char text[24];
    text[0] = 'e';
    char* end = std::to_chars(text + 1, text + sizeof text, take_number()).ptr;
    out.assign(text, static_cast<size_t>(end - text));
  }
  std::string next() {
    std::string id;
    assign_new(id);
    return id;
  }
  /// A number no id of this journal has or will have.
  uint64_t take_number() { return base_ + counter_++; }
  /// The number the next id will have, without taking it.
  uint64_t peek_number() const { return base_ + counter_; }

 private:
  uint64_t base_ = 0;
  uint64_t counter_ = 0;
};

}  // namespace flow::runtime
