// The list functions with a lambda (any, all, count, sum, min_of, max_of,
// filter, map) as loops in generated code: the body is emitted once, inside
// the loop, with the lambda's parameter (local `index`) bound to the
// element read in place from its slot (a record element is a pointer into
// the list). Accumulators are loop PHIs; nothing is called per element
// except what the body itself calls and, for decimal sums, string and
// decimal min/max, the flow_rt helper of that one operation. any and all
// leave the loop at the first element that decides.
//
// The order and the edge cases are the interpreter's (ir.h): sums start at
// int 0, float +0.0 or decimal 0 and add left to right, an int overflow
// fails at the ListSum node; min_of/max_of keep the first of equal values
// (an element replaces the best so far only when strictly less or greater),
// except that floats combine as min()/max() do (NaN wins, -0.0 is below
// 0.0); filter and map build their list in the arena (filter reserves room
// for every element).
// Limits: the witness of any/all (explain) is not reported by native code.
#include "codegen/codegen_internal.h"
#include "layout/event_layout.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Intrinsics.h"
#include "rt_abi/flow_rt_decimal.h"

namespace flow::codegen::detail {

using ir::Node;
using ir::Op;

namespace {

/// `for (i = 0; i < count; ++i) acc = step(i, acc)` over loop-carried
/// values; returns the accumulators after the loop. `step` may end in any block.
std::vector<llvm::Value*> fold(
    FunctionEmitter& e, llvm::Value* count, const std::vector<llvm::Value*>& initial,
    const std::function<std::vector<llvm::Value*>(llvm::Value*, const std::vector<llvm::Value*>&)>& step) {
  auto& b = e.b;
  llvm::BasicBlock* before = b.GetInsertBlock();
  llvm::BasicBlock* header = e.block("fold");
  llvm::BasicBlock* inside = e.block("fold.body");
  llvm::BasicBlock* done = e.block("fold.done");
  b.CreateBr(header);
  b.SetInsertPoint(header);
  llvm::PHINode* i = b.CreatePHI(e.t.i64, 2, "i");
  i->addIncoming(b.getInt64(0), before);
  std::vector<llvm::PHINode*> phis;
  std::vector<llvm::Value*> current;
  for (llvm::Value* value : initial) {
    llvm::PHINode* phi = b.CreatePHI(value->getType(), 2, "acc");
    phi->addIncoming(value, before);
    phis.push_back(phi);
    current.push_back(phi);
  }
  b.CreateCondBr(b.CreateICmpULT(i, count), inside, done);
  b.SetInsertPoint(inside);
  std::vector<llvm::Value*> next = step(i, current);
  llvm::BasicBlock* inside_end = b.GetInsertBlock();
  i->addIncoming(b.CreateAdd(i, b.getInt64(1), "", true, true), inside_end);
  for (size_t k = 0; k < phis.size(); ++k) phis[k]->addIncoming(next[k], inside_end);
  b.CreateBr(header);
  b.SetInsertPoint(done);
  return current;  // the header's PHIs: the final values on leaving
}

}  // namespace

llvm::Value* FunctionEmitter::emit_quantifier(const Node& node) {
  const Node& list_node = *node.operands.at(0);
  const Node& body = *node.operands.at(1);
  if (list_node.type->kind != TypeKind::List) malformed(std::string(ir::to_string(node.op)) + " of a non-list", fn);
  const Type* element = list_node.type->element;
  llvm::Value* list = emit(list_node);
  llvm::Value* data = b.CreateExtractValue(list, 0);
  llvm::Value* count = b.CreateExtractValue(list, 1);
  llvm::Value* outer = local(node.index);  // a lambda's parameter shadows for its body only
  // The body's value for element i.
  auto apply = [&](llvm::Value* i) {
    local(node.index) = element->kind == TypeKind::Never ? b.getFalse()  // `[]`: no element is ever read
                                                         : load_slot(element, element_address(element, data, i));
    return emit(body);
  };
  llvm::Value* result = nullptr;
  switch (node.op) {
    case Op::ListAny: result = any_index(count, apply); break;
    case Op::ListAll:
      result = b.CreateNot(any_index(count, [&](llvm::Value* i) { return b.CreateNot(apply(i)); }));
      break;
    case Op::ListCount:
      result = fold(*this, count, {b.getInt64(0)}, [&](llvm::Value* i, const std::vector<llvm::Value*>& acc) {
        return std::vector<llvm::Value*>{b.CreateAdd(acc[0], b.CreateZExt(apply(i), t.i64), "", true, true)};
      })[0];
      break;
    case Op::ListSum: result = sum(node, count, apply); break;
    case Op::ListMinOf:
    case Op::ListMaxOf: result = min_max_of(node, count, apply); break;
    case Op::ListFilter: {
      layout::Slot slot = layout::element_slot(element);
      llvm::Value* out = allocate(b.CreateMul(count, b.getInt64(slot.size), "", true, true), slot.align, node);
      llvm::Value* kept = fold(*this, count, {b.getInt64(0)}, [&](llvm::Value* i, const std::vector<llvm::Value*>& n) {
        llvm::Value* keep = apply(i);
        // Copied every time, kept by counting: slot n <= i is inside `out`.
        copy_bytes(element_address(element, out, n[0]), element_address(element, data, i), slot.size);
        return std::vector<llvm::Value*>{b.CreateAdd(n[0], b.CreateZExt(keep, t.i64), "", true, true)};
      })[0];
      result = make_pair(out, kept);
      break;
    }
    case Op::ListMap: {
      if (node.type->kind != TypeKind::List) malformed("map() that makes no list", fn);
      const Type* target = node.type->element;
      layout::Slot slot = layout::element_slot(target);
      llvm::Value* out = allocate(b.CreateMul(count, b.getInt64(slot.size), "", true, true), slot.align, node);
      loop(count, [&](llvm::Value* i) {
        llvm::Value* value = convert(apply(i), body.type, target, node);
        store_slot(target, element_address(target, out, i), value);
      });
      result = make_pair(out, count);
      break;
    }
    default: malformed(std::string("'") + ir::to_string(node.op) + "' is not a list function", fn);
  }
  local(node.index) = outer;
  return result;
}

llvm::Value* FunctionEmitter::sum(const Node& node, llvm::Value* count,
                                  const std::function<llvm::Value*(llvm::Value*)>& apply) {
  using Acc = std::vector<llvm::Value*>;
  switch (node.type->kind) {
    case TypeKind::Int:
      return fold(*this, count, {b.getInt64(0)}, [&](llvm::Value* i, const Acc& acc) {
        llvm::Value* value = apply(i);
        llvm::Value* pair = b.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_with_overflow, acc[0], value);
        fail_if(b.CreateExtractValue(pair, 1), FLOW_RT_OVERFLOW, node);
        return Acc{b.CreateExtractValue(pair, 0)};
      })[0];
    case TypeKind::Float:
      return fold(*this, count, {llvm::ConstantFP::get(t.f64, 0.0)},
                  [&](llvm::Value* i, const Acc& acc) { return Acc{b.CreateFAdd(acc[0], apply(i))}; })[0];
    case TypeKind::Decimal: {
      FlowDecimal zero{};
      flow_rt_decimal_from_int(0, &zero);
      llvm::Constant* initial = llvm::ConstantStruct::get(t.decimal, {b.getInt64(zero.w[0]), b.getInt64(zero.w[1])});
      return fold(*this, count, {initial}, [&](llvm::Value* i, const Acc& acc) {
        return Acc{decimal_arith(m.helpers.decimal.add, acc[0], apply(i), node)};
      })[0];
    }
    default: malformed("sum() of " + node.type->to_string(), fn);
  }
}

llvm::Value* FunctionEmitter::min_max_of(const Node& node, llvm::Value* count,
                                         const std::function<llvm::Value*(llvm::Value*)>& apply) {
  using Acc = std::vector<llvm::Value*>;
  if (!node.type->is_optional()) malformed("min_of/max_of without an optional result", fn);
  const Type* type = node.type->element;
  bool is_min = node.op == Op::ListMinOf;
  Op better_op = is_min ? Op::Lt : Op::Gt;
  llvm::Value* none = llvm::Constant::getNullValue(t.value(type));
  Acc result = fold(*this, count, {b.getFalse(), none}, [&](llvm::Value* i, const Acc& acc) {
    llvm::Value* found = acc[0];
    llvm::Value* best = acc[1];
    llvm::Value* value = apply(i);
    if (type->kind == TypeKind::Float) {
      // As min()/max() of two floats: NaN wins, -0.0 is below 0.0 (the
      // first value meets the placeholder only when it is dropped).
      llvm::Value* both = is_min ? b.CreateMinimum(best, value) : b.CreateMaximum(best, value);
      return Acc{b.getTrue(), b.CreateSelect(found, both, value)};
    }
    // The first value is taken as it is; later ones only when strictly better.
    llvm::BasicBlock* first = b.GetInsertBlock();
    llvm::BasicBlock* versus = block("best.cmp");
    llvm::BasicBlock* join = block("best.join");
    b.CreateCondBr(found, versus, join);
    b.SetInsertPoint(versus);
    llvm::Value* better = compare(better_op, type, value, best);
    llvm::BasicBlock* versus_end = b.GetInsertBlock();
    b.CreateBr(join);
    b.SetInsertPoint(join);
    llvm::PHINode* take = b.CreatePHI(t.i1, 2, "take");
    take->addIncoming(b.getTrue(), first);
    take->addIncoming(better, versus_end);
    return Acc{b.getTrue(), b.CreateSelect(take, value, best)};
  });
  return make_optional(node.type, result[0], result[1]);
}

}  // namespace flow::codegen::detail
