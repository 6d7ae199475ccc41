#include "engine/work_queue.h"

#include "base/wall_clock.h"

namespace flow::runtime {

Work& WorkQueue::push() {
  Work* work;
  if (spare_.empty()) {
    work = store_.emplace_back(std::make_unique<Work>()).get();
  } else {
    work = spare_.back();
    spare_.pop_back();
    // A used one: its strings keep their capacity.
    work->type = nullptr;
    work->data = nullptr;
    work->id.clear();
    work->instance.clear();
    work->key.clear();
    work->causation.clear();
    work->delivery.clear();
    work->service = nullptr;
    work->source.clear();
    work->subject.clear();
    work->time_us = work->dispatched_us = work->input_line = 0;
    work->data_json = {};
    work->verbatim = nullptr;
    work->chain = CausalChains::kNone;
  }
  queue_.push_back(work);
  return *work;
}

void WorkQueue::drop_from(size_t position) {
  while (queue_.size() > position) {
    chains_.release(queue_.back()->chain);
    spare_.push_back(queue_.back());
    queue_.pop_back();
  }
}

void WorkQueue::run(int64_t now_us) {
  if (running_) return;
  running_ = true;
  const int64_t now = now_us > 0 ? now_us : wall_clock_us();
  // Dispatched in place: a dispatch appends what it causes to the back,
  // which leaves references to the front valid (std::deque).
  while (!queue_.empty()) {
    Work* work = queue_.front();
    dispatcher_->dispatch(*work, now);
    chains_.release(work->chain);
    queue_.pop_front();
    spare_.push_back(work);
  }
  running_ = false;
  arena_.reset();
}

std::string WorkQueue::chain_too_long() const {
  return "causal chain longer than " + std::to_string(max_chain_) +
         " events (an input and everything its services publish; --max-chain)";
}

}  // namespace flow::runtime
