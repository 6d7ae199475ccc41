// WorkQueue (runtime/engine/work_queue.h): a cascade dispatched in order
// through the attached dispatcher, events recycled, chains counted and
// released, event memory freed when the queue empties.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/work_queue.h"

using flow::runtime::CausalChains;
using flow::runtime::Dispatcher;
using flow::runtime::Work;
using flow::runtime::WorkQueue;

namespace {

/// Records what it dispatches; an event "a" causes "b" and "c" in its chain.
class Cascade final : public Dispatcher {
 public:
  explicit Cascade(WorkQueue& queue) : queue_(queue) {}
  void dispatch(Work& work, int64_t now_us) override {
    seen.push_back(work.id);
    clocks.push_back(now_us);
    queue_.run();  // inside a dispatch: a no-op, the outer loop goes on
    if (work.id != "a") return;
    REQUIRE(queue_.admit(work.chain, 2));
    for (const char* id : {"b", "c"}) {
      Work& next = queue_.push();
      next.id = id;
      next.chain = work.chain;
    }
  }
  std::vector<std::string> seen;
  std::vector<int64_t> clocks;

 private:
  WorkQueue& queue_;
};

/// A queue dispatching through a Cascade.
struct Attached {
  explicit Attached(uint64_t max_chain) : queue(max_chain), cascade(queue) { queue.attach(cascade); }
  WorkQueue queue;
  Cascade cascade;
};

}  // namespace

TEST_CASE("WorkQueue: run dispatches what each dispatch causes, in order, at one clock reading") {
  Attached run(100);
  WorkQueue& queue = run.queue;
  Work& input = queue.push();
  input.id = "a";
  input.chain = queue.begin_chain();
  queue.run(1234);
  CHECK(run.cascade.seen == std::vector<std::string>{"a", "b", "c"});
  CHECK(run.cascade.clocks == std::vector<int64_t>{1234, 1234, 1234});
  CHECK(queue.empty());
}

TEST_CASE("WorkQueue: pushed events come cleared, recycled or not") {
  Attached run(100);
  WorkQueue& queue = run.queue;
  Work& first = queue.push();
  first.id = "x";
  first.key = "k";
  first.input_line = 7;
  first.source = "s";
  queue.run(1);
  Work& again = queue.push();  // the same event, recycled
  CHECK(again.id.empty());
  CHECK(again.key.empty());
  CHECK(again.source.empty());
  CHECK(again.input_line == 0);
  CHECK(again.chain == CausalChains::kNone);
  CHECK(again.cloudevent_source().empty());
  static const std::string service = "shop.Check";
  again.service = &service;
  CHECK(again.cloudevent_source() == "shop.Check");  // no source of its own: the emitting service
}

TEST_CASE("WorkQueue: events taken back release their chains; a chain is free once all is dispatched") {
  Attached run(3);
  WorkQueue& queue = run.queue;
  const CausalChains::Id chain = queue.begin_chain();
  Work& input = queue.push();
  input.id = "in";
  input.chain = chain;
  CHECK_FALSE(queue.admit(chain, 3));  // 1 + 3 > 3
  REQUIRE(queue.admit(chain, 2));
  for (int i = 0; i < 2; ++i) queue.push().chain = chain;
  queue.drop_from(1);  // the two, undispatched
  CHECK(queue.size() == 1);
  CHECK_FALSE(queue.admit(chain, 1));  // taken back, still counted: at most 3 events
  queue.run(1);
  CHECK(queue.begin_chain() == chain);  // its slot is free again
  CHECK(queue.admit(CausalChains::kNone, 1000));
}

TEST_CASE("WorkQueue: event memory is freed when the queue has run empty") {
  Attached run(10);
  WorkQueue& queue = run.queue;
  queue.arena().allocate(64, 8);
  queue.push().id = "z";
  queue.run(1);
  CHECK(queue.arena().used() == 0);
  CHECK(queue.chain_too_long().find("longer than 10 events") != std::string::npos);
}
