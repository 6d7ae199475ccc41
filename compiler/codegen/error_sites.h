// Error sites: every IR node that can raise an evaluation error gets a small
// number, assigned deterministically from the ir::Module alone (functions in
// id order, nodes in pre-order). Generated code stores the number of the
// failing node in FlowRtContext::error_site, so the JIT reports the same
// message, source range and function as the interpreter without carrying
// strings in machine code, and a runtime that re-lowers the program gets the
// same numbering as the artifact's bitcode.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "eval/value.h"
#include "ir/ir.h"
#include "rt_abi/flow_rt.h"

namespace flow::codegen {

struct ErrorSite {
  const ir::Function* function = nullptr;  // the IR function the node belongs to
  const ir::Node* node = nullptr;          // null: the function has no body
};

class ErrorSiteTable {
 public:
  explicit ErrorSiteTable(const ir::Module& module);

  /// Whether `op` can fail at run time (and so needs a site).
  static bool can_fail(ir::Op op);

  /// The site of `node` (which can_fail), or 0 when it has none.
  uint32_t site_of(const ir::Node* node) const;
  /// The site of a function without a body (reported as an internal error).
  uint32_t site_of_function(uint32_t function_id) const;
  size_t size() const { return sites_.size(); }

  /// The evaluation error a native call reported: `status` is its non-zero
  /// return value, `context` the context it wrote. Same kind, message,
  /// range and function as the interpreter gives for the same failure.
  eval::EvalError error(int32_t status, const FlowRtContext& context) const;

 private:
  std::vector<ErrorSite> sites_;  // [0] is "unknown"
  std::unordered_map<const ir::Node*, uint32_t> by_node_;
  std::unordered_map<uint32_t, uint32_t> by_function_;
};

}  // namespace flow::codegen
