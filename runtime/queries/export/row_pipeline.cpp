#include "queries/export/row_pipeline.h"

#include <cstring>

namespace flow::runtime::queries {

namespace {

constexpr size_t kBatchBytes = 1u << 20;
constexpr size_t kBatchesWaiting = 4;

template <typename T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
T take(const char*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

}  // namespace

RowPipeline::RowPipeline(RowSink& inner) : inner_(inner) {
  batch_.reserve(kBatchBytes + 4096);
  thread_ = std::thread([this] { consume(); });
}

RowPipeline::~RowPipeline() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    full_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

// A row: table index (u32), then per column a kind byte and an int64, or a
// u32 length and the text. Same process, same layout: no portability needed.
void RowPipeline::row(size_t table, const Value* values) {
  const size_t columns = export_tables()[table].columns.size();
  put(batch_, static_cast<uint32_t>(table));
  for (size_t c = 0; c < columns; ++c) {
    const Value& v = values[c];
    batch_.push_back(static_cast<char>(v.kind));
    if (v.kind == Value::Kind::Integer) {
      put(batch_, v.integer);
    } else if (v.kind == Value::Kind::Text) {
      put(batch_, static_cast<uint32_t>(v.text.size()));
      batch_.append(v.text);
    }
  }
  if (batch_.size() >= kBatchBytes) hand_over();
}

void RowPipeline::hand_over() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return full_.size() < kBatchesWaiting || failure_; });
  if (failure_) {
    lock.unlock();
    rethrow_failure();
  }
  full_.push_back(std::move(batch_));
  if (spare_.empty()) {
    batch_ = std::string();
    batch_.reserve(kBatchBytes + 4096);
  } else {
    batch_ = std::move(spare_.back());
    spare_.pop_back();
    batch_.clear();
  }
  lock.unlock();
  changed_.notify_all();
}

void RowPipeline::consume() {
  // A batch's rows, grouped by table (in order within each): the inner sink
  // then stores runs of one table at a time. Texts point into the batch.
  std::vector<std::vector<Value>> by_table(export_tables().size());
  while (true) {
    std::string batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !full_.empty() || closing_; });
      if (full_.empty()) return;  // closing, everything stored
      batch = std::move(full_.front());
      full_.pop_front();
    }
    changed_.notify_all();
    try {
      for (auto& values : by_table) values.clear();
      const char* p = batch.data();
      const char* end = p + batch.size();
      while (p < end) {
        const auto table = take<uint32_t>(p);
        const size_t columns = export_tables()[table].columns.size();
        for (size_t c = 0; c < columns; ++c) {
          Value& v = by_table[table].emplace_back();
          v.kind = static_cast<Value::Kind>(*p++);
          if (v.kind == Value::Kind::Integer) {
            v.integer = take<int64_t>(p);
          } else if (v.kind == Value::Kind::Text) {
            const auto size = take<uint32_t>(p);
            v.text = std::string_view(p, size);
            p += size;
          }
        }
      }
      for (size_t table = 0; table < by_table.size(); ++table) {
        const size_t columns = export_tables()[table].columns.size();
        if (!by_table[table].empty()) inner_.rows(table, by_table[table].data(), by_table[table].size() / columns);
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
      full_.clear();
      changed_.notify_all();
      return;
    }
    std::lock_guard lock(mutex_);
    spare_.push_back(std::move(batch));
  }
}

void RowPipeline::rethrow_failure() {
  std::exception_ptr failure;
  {
    std::lock_guard lock(mutex_);
    failure = failure_;
  }
  if (thread_.joinable()) thread_.join();
  std::rethrow_exception(failure);
}

void RowPipeline::finish() {
  if (!batch_.empty()) hand_over();
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (failure_) std::rethrow_exception(failure_);
}

}  // namespace flow::runtime::queries
