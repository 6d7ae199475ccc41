#include "engine/decision_memo.h"

#include <utility>

namespace flow::runtime {

void DecisionMemo::add_edge(uint32_t token) {
  if (nodes_.size() >= kMaxNodes) {
    // Full: forget every path. This walk is abandoned (its prefix is gone);
    // the next one starts filling the memo again.
    nodes_.assign(1, Node{});
    edges_.clear();
    records_.clear();
    walking_ = false;
    return;
  }
  const auto child = static_cast<uint32_t>(nodes_.size());
  nodes_.push_back(Node{});
  edges_.push_back(Edge{token, child, nodes_[node_].first_edge});
  nodes_[node_].first_edge = static_cast<uint32_t>(edges_.size() - 1);
  node_ = child;
}

const std::string* DecisionMemo::record() const {
  if (!walking_ || nodes_[node_].record == kNone) return nullptr;
  return &records_[nodes_[node_].record];
}

void DecisionMemo::remember(std::string encoded) {
  if (!walking_) return;
  nodes_[node_].record = static_cast<uint32_t>(records_.size());
  records_.push_back(std::move(encoded));
}

}  // namespace flow::runtime
