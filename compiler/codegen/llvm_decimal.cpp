// Decimal operations in generated code: every one is a call of a
// flow_rt_decimal.h helper. A decimal is an SSA {i64, i64} (FlowDecimal's two
// words); a call copies its operands into entry-block stack slots and passes
// pointers, as the helpers take them, and reads the result back from a slot.
// Literals are parsed here, at compile time, into constants. Limits: no
// inline fast paths (a helper call per operation, as the interpreter does).
#include "codegen/codegen_internal.h"
#include "codegen/llvm_codegen.h"
#include "llvm/IR/Constants.h"
#include "rt_abi/flow_rt_decimal.h"

namespace flow::codegen::detail {

using ir::Node;
using ir::Op;

static_assert(sizeof(FlowDecimal) == 16 && alignof(FlowDecimal) == 8);

void declare_decimal_helpers(llvm::Module& module, const TypeMap& T, DecimalHelpers& out) {
  auto reads = llvm::MemoryEffects::argMemOnly(llvm::ModRefInfo::Ref);
  auto writes = llvm::MemoryEffects::argMemOnly(llvm::ModRefInfo::ModRef);
  auto binary = [&](const char* name) { return declare(module, name, T.i32, {T.ptr, T.ptr, T.ptr}, writes); };
  out.add = binary("flow_rt_decimal_add");
  out.sub = binary("flow_rt_decimal_sub");
  out.mul = binary("flow_rt_decimal_mul");
  out.div = binary("flow_rt_decimal_div");
  out.rem = binary("flow_rt_decimal_rem");
  auto* void_type = llvm::Type::getVoidTy(T.context);
  out.neg = declare(module, "flow_rt_decimal_neg", void_type, {T.ptr, T.ptr}, writes);
  out.abs = declare(module, "flow_rt_decimal_abs", void_type, {T.ptr, T.ptr}, writes);
  out.round = declare(module, "flow_rt_decimal_round", T.i32, {T.ptr, T.i64, T.ptr}, writes);
  out.compare = declare(module, "flow_rt_decimal_compare", T.i32, {T.ptr, T.ptr}, reads);
  out.eq = declare(module, "flow_rt_decimal_eq", T.i32, {T.ptr, T.ptr}, reads);
  out.min = declare(module, "flow_rt_decimal_min", void_type, {T.ptr, T.ptr, T.ptr}, writes);
  out.max = declare(module, "flow_rt_decimal_max", void_type, {T.ptr, T.ptr, T.ptr}, writes);
  out.from_int = declare(module, "flow_rt_decimal_from_int", void_type, {T.i64, T.ptr}, writes);
  out.from_float = declare(module, "flow_rt_decimal_from_float", T.i32, {T.f64, T.ptr}, writes);
  out.to_float = declare(module, "flow_rt_decimal_to_float", T.f64, {T.ptr}, reads);
  out.to_int = declare(module, "flow_rt_decimal_to_int", T.i32, {T.ptr, T.ptr}, writes);
  out.floor = declare(module, "flow_rt_decimal_floor", T.i32, {T.ptr, T.ptr}, writes);
  out.ceil = declare(module, "flow_rt_decimal_ceil", T.i32, {T.ptr, T.ptr}, writes);
}

namespace {

/// A fresh entry-block slot holding `value` (or nothing yet, for results).
llvm::Value* spill(FunctionEmitter& e, llvm::Value* value, const char* name) {
  llvm::AllocaInst* slot = e.entry_alloca(e.t.decimal, name);
  if (value) e.b.CreateAlignedStore(value, slot, llvm::Align(8));
  return slot;
}

llvm::Value* load(FunctionEmitter& e, llvm::Value* slot) {
  return e.b.CreateAlignedLoad(e.t.decimal, slot, llvm::Align(8));
}

}  // namespace

llvm::Value* FunctionEmitter::emit_decimal_op(const Node& node) {
  const DecimalHelpers& h = m.helpers.decimal;
  if (node.op == Op::ConstDecimal) {
    FlowDecimal d{};
    if (flow_rt_decimal_parse(node.str_value.data(), node.str_value.size(), &d) != FLOW_DECIMAL_PARSE_OK) {
      malformed("bad decimal literal '" + node.str_value + "'", fn);
    }
    return llvm::ConstantStruct::get(t.decimal, {b.getInt64(d.w[0]), b.getInt64(d.w[1])});
  }
  llvm::Value* x = emit(*node.operands.at(0));
  llvm::Value* out = spill(*this, nullptr, "dec.out");
  switch (node.op) {
    case Op::IntToDecimal: b.CreateCall(h.from_int, {x, out}); break;
    case Op::FloatToDecimal: fail_on_status(b.CreateCall(h.from_float, {x, out}), node); break;
    case Op::DecimalToFloat: return b.CreateCall(h.to_float, {spill(*this, x, "dec")});
    case Op::DNeg: b.CreateCall(h.neg, {spill(*this, x, "dec"), out}); break;
    case Op::DAbs: b.CreateCall(h.abs, {spill(*this, x, "dec"), out}); break;
    case Op::DRound: {
      llvm::Value* places = emit(*node.operands.at(1));
      fail_on_status(b.CreateCall(h.round, {spill(*this, x, "dec"), places, out}), node);
      break;
    }
    case Op::DAdd:
    case Op::DSub:
    case Op::DMul:
    case Op::DDiv:
    case Op::DRem: {
      llvm::FunctionCallee helper = node.op == Op::DAdd   ? h.add
                                    : node.op == Op::DSub ? h.sub
                                    : node.op == Op::DMul ? h.mul
                                    : node.op == Op::DDiv ? h.div
                                                          : h.rem;
      return decimal_arith(helper, x, emit(*node.operands.at(1)), node);  // the left operand first
    }
    default: malformed(std::string("'") + ir::to_string(node.op) + "' is not a decimal operation", fn);
  }
  return load(*this, out);
}

llvm::Value* FunctionEmitter::decimal_arith(llvm::FunctionCallee helper, llvm::Value* a, llvm::Value* z,
                                            const Node& site) {
  llvm::Value* out = spill(*this, nullptr, "dec.out");
  fail_on_status(b.CreateCall(helper, {spill(*this, a, "dec.a"), spill(*this, z, "dec.b"), out}), site);
  return load(*this, out);
}

llvm::Value* FunctionEmitter::decimal_compare(llvm::Value* a, llvm::Value* z) {
  return b.CreateCall(m.helpers.decimal.compare, {spill(*this, a, "dec.a"), spill(*this, z, "dec.b")});
}

llvm::Value* FunctionEmitter::decimal_equal(llvm::Value* a, llvm::Value* z) {
  llvm::Value* r = b.CreateCall(m.helpers.decimal.eq, {spill(*this, a, "dec.a"), spill(*this, z, "dec.b")});
  return b.CreateICmpNE(r, b.getInt32(0));
}

llvm::Value* FunctionEmitter::decimal_min_max(bool is_min, llvm::Value* a, llvm::Value* z) {
  llvm::Value* out = spill(*this, nullptr, "dec.out");
  b.CreateCall(is_min ? m.helpers.decimal.min : m.helpers.decimal.max,
               {spill(*this, a, "dec.a"), spill(*this, z, "dec.b"), out});
  return load(*this, out);
}

llvm::Value* FunctionEmitter::decimal_round_to_int(const Node& node) {
  llvm::Value* x = spill(*this, emit(*node.operands.at(0)), "dec");
  llvm::AllocaInst* out = entry_alloca(t.i64, "int");
  const DecimalHelpers& h = m.helpers.decimal;
  switch (node.op) {
    case Op::Floor: fail_on_status(b.CreateCall(h.floor, {x, out}), node); break;
    case Op::Ceil: fail_on_status(b.CreateCall(h.ceil, {x, out}), node); break;
    case Op::Round: {
      llvm::Value* whole = spill(*this, nullptr, "dec.whole");
      fail_on_status(b.CreateCall(h.round, {x, b.getInt64(0), whole}), node);
      fail_on_status(b.CreateCall(h.to_int, {whole, out}), node);
      break;
    }
    default: malformed(std::string(ir::to_string(node.op)) + " of a decimal", fn);
  }
  return b.CreateAlignedLoad(t.i64, out, llvm::Align(8));
}

}  // namespace flow::codegen::detail
