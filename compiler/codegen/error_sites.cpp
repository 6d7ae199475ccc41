// Numbering of error sites and the interpreter-identical error messages.
#include "codegen/error_sites.h"

#include <string>

#include "codegen/native_abi.h"

namespace flow::codegen {

using ir::Op;

bool ErrorSiteTable::can_fail(Op op) {
  switch (op) {
    case Op::IAdd:
    case Op::ISub:
    case Op::IMul:
    case Op::IDiv:
    case Op::IMod:
    case Op::INeg:
    case Op::IAbs:
    case Op::FDiv:
    case Op::FMod:
    case Op::Unwrap:
    case Op::ListIndex:
    case Op::Round:
    case Op::Floor:
    case Op::Ceil:
    case Op::Date:
    case Op::FloatToDecimal:
    case Op::DAdd:
    case Op::DSub:
    case Op::DMul:
    case Op::DDiv:
    case Op::DRem:
    case Op::DRound:
    case Op::Concat:
    case Op::Lower:
    case Op::Upper:
    case Op::ListSum:      // int or decimal overflow
    case Op::MakeList:     // the arena can run out
    case Op::ConvertList:  // likewise, and for the rest
    case Op::MakeRecord:
    case Op::MakeMap:
    case Op::MapKeys:
    case Op::ListFilter:
    case Op::ListMap: return true;
    default: return false;
  }
}

ErrorSiteTable::ErrorSiteTable(const ir::Module& module) {
  sites_.push_back({});  // 0: unknown
  std::vector<const ir::Node*> stack;
  for (const auto& fn : module.functions) {
    if (!fn->body) {
      by_function_[fn->id] = static_cast<uint32_t>(sites_.size());
      sites_.push_back({fn.get(), nullptr});
      continue;
    }
    // Pre-order, operands left to right: explicit stack, pushed in reverse.
    stack.assign(1, fn->body.get());
    while (!stack.empty()) {
      const ir::Node* node = stack.back();
      stack.pop_back();
      if (can_fail(node->op)) {
        by_node_[node] = static_cast<uint32_t>(sites_.size());
        sites_.push_back({fn.get(), node});
      }
      for (auto it = node->operands.rbegin(); it != node->operands.rend(); ++it) stack.push_back(it->get());
    }
  }
}

uint32_t ErrorSiteTable::site_of(const ir::Node* node) const {
  auto it = by_node_.find(node);
  return it == by_node_.end() ? 0 : it->second;
}

uint32_t ErrorSiteTable::site_of_function(uint32_t function_id) const {
  auto it = by_function_.find(function_id);
  return it == by_function_.end() ? 0 : it->second;
}

eval::EvalError ErrorSiteTable::error(int32_t status, const FlowRtContext& context) const {
  eval::EvalError error;
  error.kind = status == kInternalStatus ? eval::EvalErrorKind::Internal : static_cast<eval::EvalErrorKind>(status);
  error.message = status == kInternalStatus ? "internal error" : flow_rt_status_message(status);
  if (context.error_site == 0 || context.error_site >= sites_.size()) return error;
  const ErrorSite& site = sites_[context.error_site];
  error.function = site.function->name;
  if (!site.node) {
    error.message = "function '" + site.function->name + "' was not lowered";
    return error;
  }
  const ir::Node& node = *site.node;
  error.range = node.range;
  // The interpreter's wording, case by case (compiler/eval/interpreter.cpp).
  if (node.op == Op::Unwrap && status == FLOW_RT_ABSENT_VALUE) {
    error.message = "the value is none";
  } else if (node.op == Op::ListIndex && status == FLOW_RT_INDEX_OUT_OF_RANGE) {
    error.message = "list index " + std::to_string(context.error_detail[0]) + " out of range for a list of " +
                    std::to_string(static_cast<uint64_t>(context.error_detail[1]));
  } else if (status == FLOW_RT_OVERFLOW || status == FLOW_RT_DIVISION_BY_ZERO) {
    error.message += std::string(" in '") + ir::to_string(node.op) + "'";
  }
  return error;
}

}  // namespace flow::codegen
