// WorkQueue: the events waiting to be dispatched, the memory they live in,
// and the causal chains they count in (causal_chains.h). An input's whole
// cascade — the input, what its services emit, what those cause — goes
// through here: run() dispatches from the front until the queue is empty,
// each dispatch appending what it causes at the back.
//
// Why a part of its own: queueing must allocate nothing on the usual path,
// and that takes tricks the dispatching parts need not see: events are
// queued by address and recycled (their strings keep their capacity), and
// event memory is one arena reset when the queue empties, since nothing
// refers to it then (exec deliveries carry their own JSON).
//
// Limits: single-threaded and not re-entrant: run() called while it runs
// (a failure published from inside a dispatch) returns at once, and the
// outer loop dispatches what was queued.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/causal_chains.h"
#include "ingress/event_catalog.h"
#include "rt_abi/arena.h"

namespace flow::runtime {

/// An event waiting to be dispatched. Its text fields are short (ids, keys)
/// and stay in the strings' inline storage; names of types and services
/// point at stable strings, so queueing an event allocates nothing on the
/// usual path.
struct Work {
  const EventType* type = nullptr;
  const uint8_t* data = nullptr;
  std::string id;
  std::string instance;
  std::string key;
  std::string causation;                 // "" for ingress
  std::string delivery;                  // "" for ingress
  const std::string* service = nullptr;  // the emitting service's name; null for ingress
  std::string source;                    // CloudEvents source; "" means the emitting service
  std::string subject;
  int64_t time_us = 0;
  int64_t dispatched_us = 0;
  int64_t input_line = 0;
  /// Its `data` as JSON when known before dispatch (in the arena): an
  /// emitted event's text derived from its trigger's. Empty: encode it.
  std::string_view data_json;
  /// Else, per field, its value's text when known as the encoder would
  /// write it (DecodedEvent::verbatim), or null.
  const std::string_view* verbatim = nullptr;
  /// The input's causal chain it counts in (causal_chains.h).
  CausalChains::Id chain = CausalChains::kNone;

  /// Its CloudEvents `source`: its own, else the emitting service's name.
  std::string_view cloudevent_source() const {
    return !source.empty() || !service ? std::string_view(source) : std::string_view(*service);
  }
};

/// What run() hands each event to (router.h).
class Dispatcher {
 public:
  virtual void dispatch(Work& work, int64_t now_us) = 0;

 protected:
  ~Dispatcher() = default;
};

class WorkQueue {
 public:
  /// Chains may count `max_chain` events (runtime.md §4, --max-chain).
  explicit WorkQueue(uint64_t max_chain) : max_chain_(max_chain) {}
  /// Where run() dispatches to; set once, before the first run().
  void attach(Dispatcher& dispatcher) { dispatcher_ = &dispatcher; }

  /// A cleared event at the back of the queue.
  Work& push();
  size_t size() const { return queue_.size(); }
  bool empty() const { return queue_.empty(); }
  Work& operator[](size_t position) { return *queue_[position]; }
  /// Takes events from `position` on back, undispatched (their chains
  /// released).
  void drop_from(size_t position);
  /// Dispatches until the queue is empty, then frees the event memory;
  /// `now_us` (when > 0) is a clock reading the caller just took, else the
  /// clock is read. One reading per cascade: what an event causes through
  /// transforms is dispatched within microseconds.
  void run(int64_t now_us = 0);

  /// Event memory: decoded and emitted instances, derived JSON text.
  Arena& arena() { return arena_; }

  /// The chains of causes (causal_chains.h).
  CausalChains::Id begin_chain() { return chains_.begin(); }
  /// Counts `events` emitted events into `chain` (a delivery's); false
  /// when that makes the chain too long.
  bool admit(CausalChains::Id chain, size_t events) {
    return chain == CausalChains::kNone || chains_.admit(chain, events, max_chain_);
  }
  void hold(CausalChains::Id chain) { chains_.hold(chain); }
  void release(CausalChains::Id chain) { chains_.release(chain); }
  /// Why a chain was cut, as one line.
  std::string chain_too_long() const;

 private:
  // The queue holds events by address: a dispatch appends what it causes
  // while its own event stays put (a deque of these large structs
  // allocated a block per event).
  std::deque<Work*> queue_;
  std::vector<std::unique_ptr<Work>> store_;
  std::vector<Work*> spare_;
  CausalChains chains_;
  Arena arena_;
  uint64_t max_chain_;
  Dispatcher* dispatcher_ = nullptr;
  bool running_ = false;
};

}  // namespace flow::runtime
