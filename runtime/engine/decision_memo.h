// DecisionMemo: the `decisions` records of one event type, remembered by the
// path their conditions took. An event's conditions call a handful of
// boolean rules, and the record they produce (flows, rule values, results)
// depends on nothing but which rule returned what and which condition held.
// Those take few distinct paths, so the engine walks the path of each
// event's evaluation through a trie (a token per traced rule value and per
// condition result) and, where an earlier event took the same path, writes
// that event's record with the new event id: the record is neither built
// nor encoded again.
//
// Anything the tokens cannot say (a decision returning a non-boolean value,
// a condition that failed with a message) abandons the walk: the engine
// then builds the record the full way and the memo is left as it was.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace flow::runtime {

class DecisionMemo {
 public:
  /// Tokens: a traced call of boolean function `id` returning `value`, and
  /// the result of a condition (fired or not).
  static uint32_t rule_token(uint32_t function_id, bool value) { return (function_id << 1 | (value ? 1u : 0u)) + 2; }
  static uint32_t result_token(bool fired) { return fired ? 1 : 0; }

  /// Starts a walk from the root.
  void begin() {
    node_ = 0;
    walking_ = true;
  }
  /// Follows (or makes) the edge of `token`. Inline: it runs for every
  /// rule a condition calls, and the edge is nearly always there.
  void step(uint32_t token) {
    if (!walking_) return;
    for (uint32_t e = nodes_[node_].first_edge; e != kNone; e = edges_[e].next) {
      if (edges_[e].token == token) {
        node_ = edges_[e].child;
        return;
      }
    }
    add_edge(token);
  }
  /// The path cannot be remembered (see above).
  void abandon() { walking_ = false; }
  bool walking() const { return walking_; }

  /// The record (encoded with an empty event id) remembered at the end of
  /// the walk, or null.
  const std::string* record() const;
  /// Remembers `encoded` at the end of the walk (which must be walking()).
  void remember(std::string encoded);

  size_t node_count() const { return nodes_.size(); }

 private:
  struct Node {
    uint32_t first_edge = kNone;
    uint32_t record = kNone;  // in records_
  };
  struct Edge {
    uint32_t token = 0;
    uint32_t child = 0;
    uint32_t next = kNone;  // the node's next edge
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  /// A bound on memory: past it the memo starts afresh (and fills again
  /// with the paths in use).
  static constexpr size_t kMaxNodes = 1 << 16;

  /// A new child of the current node, reached by `token`; the walk goes on
  /// there.
  void add_edge(uint32_t token);

  std::vector<Node> nodes_{Node{}};  // [0] is the root
  std::vector<Edge> edges_;
  std::vector<std::string> records_;
  uint32_t node_ = 0;
  bool walking_ = false;
};

}  // namespace flow::runtime
