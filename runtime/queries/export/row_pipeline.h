// A RowSink that hands rows to another sink on a thread of its own, so
// that reading and decoding the journal overlaps with storing the rows
// (SQLite's inserts take two thirds of an export's time). Rows are copied
// into batches of about a megabyte; at most a few batches wait, so memory
// stays bounded whatever the journal's size. The inner sink is used by the
// pipeline's thread only, until finish() has returned.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "queries/export/export_rows.h"

namespace flow::runtime::queries {

class RowPipeline : public RowSink {
 public:
  explicit RowPipeline(RowSink& inner);
  /// Stops the thread without waiting for the queued rows to be stored
  /// (call finish() to store them).
  ~RowPipeline() override;
  RowPipeline(const RowPipeline&) = delete;
  RowPipeline& operator=(const RowPipeline&) = delete;

  void row(size_t table, const Value* values) override;
  /// Stores every queued row and joins the thread. Rethrows what the inner
  /// sink threw (also from row(), as soon as it is known).
  void finish();

 private:
  void hand_over();
  void consume();
  void rethrow_failure();

  RowSink& inner_;
  std::string batch_;  // being filled: rows encoded back to back
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> full_;    // waiting for the thread
  std::vector<std::string> spare_;  // stored, for reuse
  bool closing_ = false;
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace flow::runtime::queries
