// The reference interpreter: evaluates IR functions directly, with the
// semantics of language.md §6-7 as pinned down in docs/evaluation.md. It is
// written to be obviously correct rather than fast; the JIT back end must
// agree with it on every input. Everything with subtle semantics (checked
// arithmetic, float->int, strings, regex, time) goes through flow_rt, the
// C-ABI helpers the JIT calls too.
#pragma once

#include <vector>

#include "eval/value.h"
#include "ir/ir.h"

namespace flow::eval {

/// One rule or decision call seen during an evaluation (for the journal's
/// decision records and `flowrt explain`).
struct TraceEntry {
  const ir::Function* function = nullptr;
  bool ok = false;
  Value value;  // when ok
};

/// The element that decided a quantifier, for `explain`: the first whose
/// body is true for `any`, the first whose body is false for `all`. An `any`
/// that is false or an `all` that is true (every element looked at, or an
/// empty list) has no witness.
struct Witness {
  const ir::Node* node = nullptr;          // the ListAny or ListAll; node->range is the call in the source
  const ir::Function* function = nullptr;  // the function it was evaluated in
  uint64_t index = 0;                      // the element's position in the list
  Value element;                           // the element itself (a record, a number...)
};

struct EvalContext {
  /// now(): when the runtime dispatched the event (µs since the epoch).
  int64_t now_us = 0;
  /// When set, every rule and decision call is appended, callees first.
  std::vector<TraceEntry>* trace = nullptr;
  /// When set, every quantifier that decides appends its witness, in the
  /// order they decide (an inner one before the outer one that contains it;
  /// one per decision, so a quantifier in a lambda may add one per element
  /// of the outer list). Left as is by a run that ends in an error: the
  /// witnesses up to the failure stay.
  std::vector<Witness>* witnesses = nullptr;
};

class Interpreter {
 public:
  /// Compiles the module's regexes once. Throws std::runtime_error when one
  /// does not compile (impossible for checked programs). `module` (and the
  /// Program it was lowered from) must outlive the interpreter.
  explicit Interpreter(const ir::Module& module);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  /// Evaluates `function` on `event`, an instance in the layout of
  /// function.event (null for constants and field defaults). Safe to call
  /// from several threads at once.
  EvalResult run(const ir::Function& function, const uint8_t* event, const EvalContext& context) const;
  EvalResult run(int function_id, const uint8_t* event, const EvalContext& context) const {
    return run(module_.function(function_id), event, context);
  }
  const ir::Module& module() const { return module_; }

 private:
  const ir::Module& module_;
  FlowRegexTable* regexes_ = nullptr;
};

}  // namespace flow::eval
