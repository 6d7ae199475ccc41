// CausalChains: how many events each input has caused so far, transitively,
// so that a cycle of services cannot run forever (runtime.md §4: a causal
// chain longer than a limit is cut). A chain is one input and everything
// its services publish, directly or through other services; it is counted
// while anything of it is still queued or in flight, then forgotten, so the
// table holds only the chains at work (a slot is reused, nothing allocated
// per input).
//
// Limits: the count lives in memory: a chain re-driven after a restart
// starts counting again from the re-driven delivery.
#pragma once

#include <cstdint>
#include <vector>

namespace flow::runtime {

class CausalChains {
 public:
  using Id = uint32_t;
  static constexpr Id kNone = UINT32_MAX;

  /// A new chain of one event (the input), held once for it.
  Id begin() {
    Id id;
    if (free_.empty()) {
      id = static_cast<Id>(chains_.size());
      chains_.emplace_back();
    } else {
      id = free_.back();
      free_.pop_back();
    }
    chains_[id] = {1, 1};
    return id;
  }
  /// Counts `events` more events into the chain and holds it once for each,
  /// unless that makes it longer than `limit`: then nothing changes and the
  /// answer is false.
  bool admit(Id id, uint64_t events, uint64_t limit) {
    Chain& chain = chains_[id];
    if (chain.events + events > limit) return false;
    chain.events += events;
    chain.holds += events;
    return true;
  }
  /// Holds the chain for work in progress (an exec delivery) without an
  /// event.
  void hold(Id id) {
    if (id != kNone) ++chains_[id].holds;
  }
  /// Lets go of one hold; the chain is forgotten with its last.
  void release(Id id) {
    if (id == kNone) return;
    if (--chains_[id].holds == 0) free_.push_back(id);
  }
  /// Events counted in the chain.
  uint64_t events(Id id) const { return chains_[id].events; }

 private:
  struct Chain {
    uint64_t events = 0;
    uint64_t holds = 0;
  };
  std::vector<Chain> chains_;
  std::vector<Id> free_;
};

}  // namespace flow::runtime
