// The interpreter's evaluation of one run (internal to compiler/eval): a
// recursive walk over the node tree. Errors are thrown as Failure and
// turned into an EvalResult at the outermost Interpreter::run(), so each
// operation reads as its definition. interpreter.cpp holds the walk and the
// scalar operations, structured_ops.cpp records, maps and the list
// functions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "eval/interpreter.h"
#include "rt_abi/arena.h"

namespace flow::eval {

struct Failure {
  EvalError error;
};

struct Frame {
  const ir::Function& function;
  const uint8_t* event;
  std::vector<Value> locals;
};

class Evaluation {
 public:
  Evaluation(const ir::Module& module, const FlowRegexTable* regexes, const EvalContext& context)
      : module_(module), regexes_(regexes), context_(context) {}

  Value call(const ir::Function& fn, const uint8_t* event, const ir::Node* site);

 private:
  [[noreturn]] void fail(EvalErrorKind kind, std::string message, const ir::Node* node, const Frame* frame);
  /// Turns a flow_rt status into a failure at `node`.
  void check(int32_t status, const ir::Node& node, const Frame& frame);
  Arena& scratch();

  Value eval(const ir::Node& node, Frame& frame);
  Value decimal_op(const ir::Node& node, Frame& frame);
  Value decimal_round_to_int(const ir::Node& node, Frame& frame, const Value& x);
  Value load_field(const ir::Node& node, Frame& frame);
  Value int_binary(const ir::Node& node, const Frame& frame, int64_t a, int64_t b);

  // ---- structured_ops.cpp
  Value make_map(const ir::Node& node, Frame& frame);
  Value map_op(const ir::Node& node, Frame& frame);
  Value list_function(const ir::Node& node, Frame& frame);
  Value list_sum(const ir::Node& node, Frame& frame, const std::vector<Value>& items);
  Value list_extreme(const ir::Node& node, Frame& frame, const std::vector<Value>& items);
  /// Binds element `i` of `items` to the node's local and evaluates the body.
  Value body_at(const ir::Node& node, Frame& frame, const std::vector<Value>& items, size_t i);

  const ir::Module& module_;
  const FlowRegexTable* regexes_;
  const EvalContext& context_;
  std::unique_ptr<Arena> scratch_;
};

/// -1, 0, 1 for values of one ordered type (not float: IEEE rules apply).
int order(const Value& a, const Value& b);

}  // namespace flow::eval
