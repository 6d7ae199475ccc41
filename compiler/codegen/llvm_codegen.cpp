// The code generator proper: module set-up (helper declarations, one
// function per IR function) and the translation of each IR node.
#include "codegen/llvm_codegen.h"

#include <cstddef>
#include <limits>

#include "codegen/codegen_internal.h"
#include "codegen/native_abi.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

namespace flow::codegen {

namespace detail {

using ir::Node;
using ir::Op;

// Generated code addresses FlowRtContext by byte offset.
static_assert(offsetof(FlowRtContext, now_us) == 0);
static_assert(offsetof(FlowRtContext, arena) == 8);
static_assert(offsetof(FlowRtContext, regexes) == 16);
static_assert(offsetof(FlowRtContext, error_site) == 24);
static_assert(offsetof(FlowRtContext, error_detail) == 32);
static_assert(offsetof(FlowRtContext, trace) == 48);
static_assert(sizeof(FlowStr) == 16 && sizeof(FlowList) == 16);

llvm::FunctionCallee declare(llvm::Module& module, const char* name, llvm::Type* result,
                             std::initializer_list<llvm::Type*> params, llvm::MemoryEffects memory) {
  auto* type = llvm::FunctionType::get(result, params, false);
  llvm::FunctionCallee callee = module.getOrInsertFunction(name, type);
  if (auto* f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    f->addFnAttr(llvm::Attribute::NoUnwind);
    f->addFnAttr(llvm::Attribute::WillReturn);
    f->setMemoryEffects(memory);
  }
  return callee;
}

ModuleEmitter::ModuleEmitter(const ir::Module& ir_module, const ErrorSiteTable& site_table, llvm::Module& llvm_module)
    : ir(ir_module), sites(site_table), module(llvm_module), types(llvm_module.getContext()) {
  auto& T = types;
  auto reads = llvm::MemoryEffects::readOnly();
  auto pure = llvm::MemoryEffects::none();
  auto any = llvm::MemoryEffects::unknown();
  helpers.memcmp =
      declare(module, "memcmp", T.i32, {T.ptr, T.ptr, T.i64}, llvm::MemoryEffects::argMemOnly(llvm::ModRefInfo::Ref));
  helpers.arena_alloc = declare(module, "flow_rt_arena_alloc", T.ptr, {T.ptr, T.i64, T.i64}, any);
  helpers.str_len = declare(module, "flow_rt_str_len", T.i64, {T.ptr, T.i64}, reads);
  helpers.str_compare = declare(module, "flow_rt_str_compare", T.i32, {T.ptr, T.i64, T.ptr, T.i64}, reads);
  helpers.str_contains = declare(module, "flow_rt_str_contains", T.i32, {T.ptr, T.i64, T.ptr, T.i64}, reads);
  helpers.str_concat = declare(module, "flow_rt_str_concat", T.i32, {T.ptr, T.ptr, T.i64, T.ptr, T.i64, T.ptr}, any);
  helpers.str_lower = declare(module, "flow_rt_str_lower", T.i32, {T.ptr, T.ptr, T.i64, T.ptr}, any);
  helpers.str_upper = declare(module, "flow_rt_str_upper", T.i32, {T.ptr, T.ptr, T.i64, T.ptr}, any);
  // RE2 updates its lazily built automata behind the table pointer.
  helpers.regex_match = declare(module, "flow_rt_regex_match", T.i32, {T.ptr, T.i32, T.ptr, T.i64}, any);
  helpers.time_hour = declare(module, "flow_rt_time_hour", T.i64, {T.i64}, pure);
  helpers.time_weekday = declare(module, "flow_rt_time_weekday", T.i64, {T.i64}, pure);
  helpers.time_date = declare(module, "flow_rt_time_date", T.i32, {T.i64, T.ptr},
                              llvm::MemoryEffects::argMemOnly(llvm::ModRefInfo::Mod));
  helpers.map_build = declare(module, "flow_rt_map_build", T.i32, {T.ptr, T.ptr, T.i64, T.i64, T.ptr}, any);
  helpers.map_find = declare(module, "flow_rt_map_find", T.ptr, {T.ptr, T.i64, T.i64, T.ptr, T.i64}, reads);
  declare_decimal_helpers(module, T, helpers.decimal);
}

void ModuleEmitter::emit_all() {
  auto* fn_type = llvm::FunctionType::get(types.i32, {types.ptr, types.ptr, types.ptr}, false);
  // Declarations first: calls may go to functions with higher ids.
  for (const auto& fn : ir.functions) {
    auto* f = llvm::Function::Create(fn_type, llvm::GlobalValue::ExternalLinkage, native_symbol(fn->id), module);
    f->addFnAttr(llvm::Attribute::NoUnwind);
    f->getArg(0)->setName("event");
    f->getArg(1)->setName("ctx");
    f->getArg(2)->setName("result");
    functions.push_back(f);
  }
  for (const auto& fn : ir.functions) FunctionEmitter(*this, *fn).emit();
  std::string problems;
  llvm::raw_string_ostream out(problems);
  if (llvm::verifyModule(module, &out)) throw CodegenError("generated LLVM IR does not verify: " + out.str());
}

// ---- Function emitter: structure --------------------------------------------

FunctionEmitter::FunctionEmitter(ModuleEmitter& module_emitter, const ir::Function& function)
    : m(module_emitter),
      t(module_emitter.types),
      fn(function),
      f(module_emitter.functions.at(function.id)),
      b(module_emitter.types.context) {
  unlikely_ = llvm::MDBuilder(t.context).createUnlikelyBranchWeights();
}

llvm::BasicBlock* FunctionEmitter::block(const char* name) {
  return llvm::BasicBlock::Create(t.context, name, f);
}

void FunctionEmitter::emit() {
  entry_ = block("entry");
  b.SetInsertPoint(entry_);
  event_ = f->getArg(0);
  context_ = f->getArg(1);
  result_ = f->getArg(2);
  if (!fn.body) {
    // A lowering bug: report it as the interpreter does, never crash.
    b.CreateAlignedStore(b.getInt32(m.sites.site_of_function(fn.id)),
                         context_field(offsetof(FlowRtContext, error_site)), llvm::Align(4));
    b.CreateRet(b.getInt32(kInternalStatus));
    return;
  }
  locals_.assign(fn.local_count, nullptr);
  llvm::Value* value = emit(*fn.body);
  if (!fn.result) malformed("no result type", fn);
  store_result(fn.result, result_, value);
  b.CreateRet(b.getInt32(FLOW_RT_OK));
}

llvm::AllocaInst* FunctionEmitter::entry_alloca(llvm::Type* type, const char* name) {
  llvm::IRBuilder<> at_entry(entry_, entry_->begin());
  llvm::AllocaInst* slot = at_entry.CreateAlloca(type, nullptr, name);
  slot->setAlignment(llvm::Align(8));
  return slot;
}

llvm::Value* FunctionEmitter::context_field(size_t offset) {
  return b.CreateConstInBoundsGEP1_64(t.i8, context_, offset);
}

llvm::Value*& FunctionEmitter::local(int32_t index) {
  if (index < 0 || static_cast<size_t>(index) >= locals_.size()) malformed("a local slot out of range", fn);
  return locals_[static_cast<size_t>(index)];
}

llvm::Value* FunctionEmitter::arena() {
  return b.CreateAlignedLoad(t.ptr, context_field(offsetof(FlowRtContext, arena)), llvm::Align(8), "arena");
}

void FunctionEmitter::fail_if(llvm::Value* failed, int32_t status, const Node& site, llvm::Value* detail0,
                              llvm::Value* detail1) {
  uint32_t id = m.sites.site_of(&site);
  if (id == 0) malformed(std::string("no error site for '") + ir::to_string(site.op) + "'", fn);
  llvm::BasicBlock* fail = block("fail");
  llvm::BasicBlock* ok = block("ok");
  b.CreateCondBr(failed, fail, ok, unlikely_);
  b.SetInsertPoint(fail);
  b.CreateAlignedStore(b.getInt32(id), context_field(offsetof(FlowRtContext, error_site)), llvm::Align(4));
  if (detail0) b.CreateAlignedStore(detail0, context_field(offsetof(FlowRtContext, error_detail)), llvm::Align(8));
  if (detail1) {
    b.CreateAlignedStore(detail1, context_field(offsetof(FlowRtContext, error_detail) + 8), llvm::Align(8));
  }
  b.CreateRet(b.getInt32(status));
  b.SetInsertPoint(ok);
}

void FunctionEmitter::fail_on_status(llvm::Value* status, const Node& site) {
  uint32_t id = m.sites.site_of(&site);
  if (id == 0) malformed(std::string("no error site for '") + ir::to_string(site.op) + "'", fn);
  llvm::BasicBlock* fail = block("fail");
  llvm::BasicBlock* ok = block("ok");
  b.CreateCondBr(b.CreateICmpNE(status, b.getInt32(FLOW_RT_OK)), fail, ok, unlikely_);
  b.SetInsertPoint(fail);
  b.CreateAlignedStore(b.getInt32(id), context_field(offsetof(FlowRtContext, error_site)), llvm::Align(4));
  b.CreateRet(status);
  b.SetInsertPoint(ok);
}

void FunctionEmitter::propagate(llvm::Value* status) {
  llvm::BasicBlock* fail = block("propagate");
  llvm::BasicBlock* ok = block("ok");
  b.CreateCondBr(b.CreateICmpNE(status, b.getInt32(FLOW_RT_OK)), fail, ok, unlikely_);
  b.SetInsertPoint(fail);
  b.CreateRet(status);
  b.SetInsertPoint(ok);
}

// ---- Nodes ------------------------------------------------------------------

llvm::Value* FunctionEmitter::emit(const Node& node) {
  auto operand = [&](size_t i) -> const Node& {
    if (i >= node.operands.size() || !node.operands[i]) {
      malformed(std::string("missing operand of '") + ir::to_string(node.op) + "'", fn);
    }
    return *node.operands[i];
  };
  switch (node.op) {
    case Op::ConstBool: return b.getInt1(node.int_value != 0);
    case Op::ConstInt:
    case Op::ConstTimestamp:
    case Op::ConstDuration: return b.getInt64(static_cast<uint64_t>(node.int_value));
    case Op::ConstFloat: return llvm::ConstantFP::get(t.f64, node.float_value);
    case Op::ConstString: return m.string_constant(node.str_value);
    case Op::ConstEnum: return b.getInt32(static_cast<uint32_t>(node.index));
    case Op::ConstNone: return llvm::Constant::getNullValue(t.value(node.type));
    case Op::EventParam:
      if (!fn.event) malformed("the event is read in a function without one", fn);
      return event_;
    case Op::Now:
      return b.CreateAlignedLoad(t.i64, context_field(offsetof(FlowRtContext, now_us)), llvm::Align(8), "now");
    case Op::Local: {
      llvm::Value* value = local(node.index);
      if (!value) malformed("a local read outside its let", fn);
      return value;
    }
    case Op::Let: {
      llvm::Value* value = emit(operand(0));
      local(node.index) = value;
      return emit(operand(1));
    }
    case Op::If: return emit_if(node);
    case Op::And:
    case Op::Or: return emit_logic(node);
    case Op::Not: return b.CreateNot(emit(operand(0)));
    case Op::MakeList: return make_list(node);
    case Op::LoadField: return emit_load_field(node);
    case Op::Call: return emit_call(node);
    case Op::IntToFloat: return b.CreateSIToFP(emit(operand(0)), t.f64);
    case Op::WrapSome: return make_optional(node.type, b.getTrue(), emit(operand(0)));
    case Op::IsSome: {
      llvm::Value* v = emit(operand(0));
      if (operand(0).type->is_optional()) return b.CreateExtractValue(v, 0);
      return b.getInt1(operand(0).type->kind != TypeKind::NoneType);
    }
    case Op::Unwrap: {
      llvm::Value* v = emit(operand(0));
      if (!operand(0).type->is_optional()) {
        fail_if(b.getTrue(), FLOW_RT_ABSENT_VALUE, node);  // `none` itself
        return llvm::Constant::getNullValue(t.value(node.type));
      }
      fail_if(b.CreateNot(b.CreateExtractValue(v, 0)), FLOW_RT_ABSENT_VALUE, node);
      return b.CreateExtractValue(v, 1);
    }
    case Op::ConvertList: return convert(emit(operand(0)), operand(0).type, node.type, node);
    case Op::IAdd:
    case Op::ISub:
    case Op::IMul:
    case Op::IDiv:
    case Op::IMod:
    case Op::INeg:
    case Op::IAbs: return emit_int_arith(node);
    case Op::FAdd:
    case Op::FSub:
    case Op::FMul:
    case Op::FDiv:
    case Op::FMod:
    case Op::FNeg:
    case Op::FAbs: return emit_float_arith(node);
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: return emit_compare(node);
    case Op::Concat:
    case Op::StrLen:
    case Op::Lower:
    case Op::Upper:
    case Op::StartsWith:
    case Op::EndsWith:
    case Op::StrContains:
    case Op::Matches: return emit_string_op(node);
    case Op::ListLen:
    case Op::ListIndex: return emit_list_op(node);
    case Op::ListContains: return list_contains(node);
    case Op::Min:
    case Op::Max: return emit_min_max(node);
    case Op::Round:
    case Op::Floor:
    case Op::Ceil:
      if (operand(0).type->is_decimal()) return decimal_round_to_int(node);
      return emit_to_int(node);
    case Op::Hour:
    case Op::Weekday:
    case Op::Date: return emit_time_op(node);
    case Op::ConstDecimal:
    case Op::IntToDecimal:
    case Op::FloatToDecimal:
    case Op::DecimalToFloat:
    case Op::DAdd:
    case Op::DSub:
    case Op::DMul:
    case Op::DDiv:
    case Op::DRem:
    case Op::DNeg:
    case Op::DAbs:
    case Op::DRound: return emit_decimal_op(node);
    case Op::MakeRecord: return emit_make_record(node);
    case Op::MakeMap:
    case Op::MapIndex:
    case Op::MapHas:
    case Op::MapLen:
    case Op::MapKeys: return emit_map_op(node);
    case Op::ListAny:
    case Op::ListAll:
    case Op::ListCount:
    case Op::ListSum:
    case Op::ListMinOf:
    case Op::ListMaxOf:
    case Op::ListFilter:
    case Op::ListMap: return emit_quantifier(node);
  }
  malformed(std::string("IR operation '") + ir::to_string(node.op) + "' is not supported", fn);
}

llvm::Value* FunctionEmitter::emit_if(const Node& node) {
  llvm::Value* condition = emit(*node.operands.at(0));
  llvm::BasicBlock* then_block = block("then");
  llvm::BasicBlock* else_block = block("else");
  llvm::BasicBlock* join = block("join");
  b.CreateCondBr(condition, then_block, else_block);
  b.SetInsertPoint(then_block);
  llvm::Value* a = emit(*node.operands.at(1));
  llvm::BasicBlock* a_end = b.GetInsertBlock();
  b.CreateBr(join);
  b.SetInsertPoint(else_block);
  llvm::Value* z = emit(*node.operands.at(2));
  llvm::BasicBlock* z_end = b.GetInsertBlock();
  b.CreateBr(join);
  b.SetInsertPoint(join);
  if (a->getType() != z->getType()) malformed("'if' branches of different representations", fn);
  llvm::PHINode* phi = b.CreatePHI(a->getType(), 2);
  phi->addIncoming(a, a_end);
  phi->addIncoming(z, z_end);
  return phi;
}

llvm::Value* FunctionEmitter::emit_logic(const Node& node) {
  llvm::Value* a = emit(*node.operands.at(0));
  return short_circuit(node.op == Op::And, a, [&] { return emit(*node.operands.at(1)); });
}

llvm::Value* FunctionEmitter::short_circuit(bool is_and, llvm::Value* first,
                                            const std::function<llvm::Value*()>& second) {
  llvm::BasicBlock* first_end = b.GetInsertBlock();
  llvm::BasicBlock* rhs = block(is_and ? "and.rhs" : "or.rhs");
  llvm::BasicBlock* join = block("join");
  if (is_and) {
    b.CreateCondBr(first, rhs, join);
  } else {
    b.CreateCondBr(first, join, rhs);
  }
  b.SetInsertPoint(rhs);
  llvm::Value* z = second();
  llvm::BasicBlock* z_end = b.GetInsertBlock();
  b.CreateBr(join);
  b.SetInsertPoint(join);
  llvm::PHINode* phi = b.CreatePHI(t.i1, 2);
  phi->addIncoming(b.getInt1(!is_and), first_end);
  phi->addIncoming(z, z_end);
  return phi;
}

llvm::Value* FunctionEmitter::emit_call(const Node& node) {
  if (node.index < 0 || static_cast<size_t>(node.index) >= m.functions.size()) malformed("a call to no function", fn);
  const ir::Function& callee = m.ir.function(node.index);
  if (callee.event && node.operands.empty()) malformed("a call without the callee's event", fn);
  llvm::Value* argument = node.operands.empty() ? static_cast<llvm::Value*>(llvm::ConstantPointerNull::get(t.ptr))
                                                : emit(*node.operands[0]);
  if (!callee.result) malformed("a call to a function without a result type", fn);
  llvm::AllocaInst* slot = entry_alloca(t.result(callee.result), "ret");
  llvm::Value* status = b.CreateCall(m.functions[static_cast<size_t>(node.index)], {argument, context_, slot});
  if ((callee.kind == ir::FunctionKind::Rule || callee.kind == ir::FunctionKind::Decision) && callee.body) {
    // Tracing (the interpreter's EvalContext::trace): one load and a
    // predictable branch per rule call when it is off.
    llvm::Value* hook = b.CreateAlignedLoad(t.ptr, context_field(offsetof(FlowRtContext, trace)), llvm::Align(8));
    llvm::BasicBlock* traced = block("trace");
    llvm::BasicBlock* after = block("traced");
    b.CreateCondBr(b.CreateIsNotNull(hook), traced, after, unlikely_);
    b.SetInsertPoint(traced);
    auto* hook_type = llvm::FunctionType::get(b.getVoidTy(), {t.ptr, t.i32, t.i32, t.ptr}, false);
    b.CreateCall(hook_type, hook, {context_, b.getInt32(static_cast<uint32_t>(node.index)), status, slot});
    b.CreateBr(after);
    b.SetInsertPoint(after);
  }
  propagate(status);
  return load_result(callee.result, slot);
}

llvm::Value* FunctionEmitter::emit_int_arith(const Node& node) {
  llvm::Value* a = emit(*node.operands.at(0));
  auto checked = [&](llvm::Intrinsic::ID id, llvm::Value* x, llvm::Value* y) {
    llvm::Value* pair = b.CreateBinaryIntrinsic(id, x, y);
    fail_if(b.CreateExtractValue(pair, 1), FLOW_RT_OVERFLOW, node);
    return b.CreateExtractValue(pair, 0);
  };
  llvm::Value* min = b.getInt64(static_cast<uint64_t>(std::numeric_limits<int64_t>::min()));
  switch (node.op) {
    case Op::INeg: return checked(llvm::Intrinsic::ssub_with_overflow, b.getInt64(0), a);
    case Op::IAbs:
      fail_if(b.CreateICmpEQ(a, min), FLOW_RT_OVERFLOW, node);
      return b.CreateSelect(b.CreateICmpSLT(a, b.getInt64(0)), b.CreateNeg(a, "", /*HasNSW=*/true), a);
    default: break;
  }
  llvm::Value* z = emit(*node.operands.at(1));
  switch (node.op) {
    case Op::IAdd: return checked(llvm::Intrinsic::sadd_with_overflow, a, z);
    case Op::ISub: return checked(llvm::Intrinsic::ssub_with_overflow, a, z);
    case Op::IMul: return checked(llvm::Intrinsic::smul_with_overflow, a, z);
    case Op::IDiv:
      fail_if(b.CreateICmpEQ(z, b.getInt64(0)), FLOW_RT_DIVISION_BY_ZERO, node);
      fail_if(b.CreateAnd(b.CreateICmpEQ(a, min), b.CreateICmpEQ(z, b.getInt64(static_cast<uint64_t>(-1)))),
              FLOW_RT_OVERFLOW, node);
      return b.CreateSDiv(a, z);
    default: {  // IMod
      fail_if(b.CreateICmpEQ(z, b.getInt64(0)), FLOW_RT_DIVISION_BY_ZERO, node);
      // x % -1 is 0; dividing by 1 instead gives that without INT64_MIN % -1 trapping.
      llvm::Value* divisor = b.CreateSelect(b.CreateICmpEQ(z, b.getInt64(static_cast<uint64_t>(-1))), b.getInt64(1), z);
      return b.CreateSRem(a, divisor);
    }
  }
}

llvm::Value* FunctionEmitter::emit_float_arith(const Node& node) {
  llvm::Value* a = emit(*node.operands.at(0));
  if (node.op == Op::FNeg) return b.CreateFNeg(a);
  if (node.op == Op::FAbs) return b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, a);
  llvm::Value* z = emit(*node.operands.at(1));
  switch (node.op) {
    case Op::FAdd: return b.CreateFAdd(a, z);
    case Op::FSub: return b.CreateFSub(a, z);
    case Op::FMul: return b.CreateFMul(a, z);
    default: break;
  }
  // Division and remainder by ±0 are evaluation errors (docs/evaluation.md).
  fail_if(b.CreateFCmpOEQ(z, llvm::ConstantFP::get(t.f64, 0.0)), FLOW_RT_DIVISION_BY_ZERO, node);
  return node.op == Op::FDiv ? b.CreateFDiv(a, z) : b.CreateFRem(a, z);  // frem is C's fmod
}

llvm::Value* FunctionEmitter::emit_compare(const Node& node) {
  const Type* type = node.operands.at(0)->type;
  llvm::Value* a = emit(*node.operands[0]);
  llvm::Value* z = emit(*node.operands.at(1));
  return compare(node.op, type, a, z);
}

llvm::Value* FunctionEmitter::compare(Op op, const Type* type, llvm::Value* a, llvm::Value* z) {
  if (op == Op::Eq) return equal(type, a, z);
  if (op == Op::Ne) return b.CreateNot(equal(type, a, z));
  if (type->kind == TypeKind::Float) {
    switch (op) {  // ordered: false when either is NaN
      case Op::Lt: return b.CreateFCmpOLT(a, z);
      case Op::Le: return b.CreateFCmpOLE(a, z);
      case Op::Gt: return b.CreateFCmpOGT(a, z);
      default: return b.CreateFCmpOGE(a, z);
    }
  }
  if (type->kind == TypeKind::Decimal) {
    a = decimal_compare(a, z);
    z = b.getInt32(0);
  } else if (type->kind == TypeKind::String) {
    a = b.CreateCall(m.helpers.str_compare, {b.CreateExtractValue(a, 0), b.CreateExtractValue(a, 1),
                                             b.CreateExtractValue(z, 0), b.CreateExtractValue(z, 1)});
    z = b.getInt32(0);
  } else if (type->kind == TypeKind::Bool) {
    a = b.CreateZExt(a, t.i32);
    z = b.CreateZExt(z, t.i32);
  } else if (!a->getType()->isIntegerTy()) {
    malformed("an ordering comparison of an unordered type", fn);
  }
  switch (op) {
    case Op::Lt: return b.CreateICmpSLT(a, z);
    case Op::Le: return b.CreateICmpSLE(a, z);
    case Op::Gt: return b.CreateICmpSGT(a, z);
    default: return b.CreateICmpSGE(a, z);
  }
}

llvm::Value* FunctionEmitter::emit_min_max(const Node& node) {
  bool is_min = node.op == Op::Min;
  const Type* type = node.operands.at(0)->type;
  llvm::Value* a = emit(*node.operands[0]);
  llvm::Value* z = emit(*node.operands.at(1));
  // llvm.minimum/maximum: NaN if either is NaN, -0.0 below +0.0 (as flow_rt_float_min/max).
  if (type->kind == TypeKind::Float) return is_min ? b.CreateMinimum(a, z) : b.CreateMaximum(a, z);
  if (type->kind == TypeKind::Decimal) return decimal_min_max(is_min, a, z);
  llvm::Value* x = a;
  llvm::Value* y = z;
  if (type->kind == TypeKind::String) {
    x = b.CreateCall(m.helpers.str_compare, {b.CreateExtractValue(a, 0), b.CreateExtractValue(a, 1),
                                             b.CreateExtractValue(z, 0), b.CreateExtractValue(z, 1)});
    y = b.getInt32(0);
  } else if (type->kind == TypeKind::Bool) {
    x = b.CreateZExt(a, t.i32);
    y = b.CreateZExt(z, t.i32);
  } else if (!a->getType()->isIntegerTy()) {
    malformed("min/max of an unordered type", fn);
  }
  // On a tie the first operand, as the interpreter.
  return b.CreateSelect(is_min ? b.CreateICmpSLE(x, y) : b.CreateICmpSGE(x, y), a, z);
}

llvm::Value* FunctionEmitter::emit_to_int(const Node& node) {
  llvm::Value* x = emit(*node.operands.at(0));
  llvm::Intrinsic::ID id = node.op == Op::Round   ? llvm::Intrinsic::round
                           : node.op == Op::Floor ? llvm::Intrinsic::floor
                                                  : llvm::Intrinsic::ceil;
  llvm::Value* r = b.CreateUnaryIntrinsic(id, x);
  // Representable iff -2^63 <= r < 2^63; both comparisons are false for NaN.
  llvm::Value* in_range = b.CreateAnd(b.CreateFCmpOGE(r, llvm::ConstantFP::get(t.f64, -9223372036854775808.0)),
                                      b.CreateFCmpOLT(r, llvm::ConstantFP::get(t.f64, 9223372036854775808.0)));
  fail_if(b.CreateNot(in_range), FLOW_RT_INVALID_NUMBER, node);
  return b.CreateFPToSI(r, t.i64);
}

llvm::Value* FunctionEmitter::string_result(llvm::FunctionCallee helper, std::vector<llvm::Value*> args,
                                            const Node& site) {
  llvm::AllocaInst* out = entry_alloca(t.pair, "str");
  args.push_back(out);
  fail_on_status(b.CreateCall(helper, args), site);
  llvm::Value* data = b.CreateAlignedLoad(t.ptr, out, llvm::Align(8));
  llvm::Value* size = b.CreateAlignedLoad(t.i64, b.CreateConstInBoundsGEP1_64(t.i8, out, 8), llvm::Align(8));
  return make_pair(data, size);
}

llvm::Value* FunctionEmitter::emit_string_op(const Node& node) {
  llvm::Value* s = emit(*node.operands.at(0));
  llvm::Value* s_data = b.CreateExtractValue(s, 0);
  llvm::Value* s_size = b.CreateExtractValue(s, 1);
  switch (node.op) {
    case Op::StrLen: return b.CreateCall(m.helpers.str_len, {s_data, s_size});
    case Op::Lower: return string_result(m.helpers.str_lower, {arena(), s_data, s_size}, node);
    case Op::Upper: return string_result(m.helpers.str_upper, {arena(), s_data, s_size}, node);
    case Op::Matches: {
      if (node.index < 0 || static_cast<size_t>(node.index) >= m.ir.regexes.size()) malformed("unknown regex id", fn);
      llvm::Value* table =
          b.CreateAlignedLoad(t.ptr, context_field(offsetof(FlowRtContext, regexes)), llvm::Align(8), "regexes");
      llvm::Value* r =
          b.CreateCall(m.helpers.regex_match, {table, b.getInt32(static_cast<uint32_t>(node.index)), s_data, s_size});
      return b.CreateICmpNE(r, b.getInt32(0));
    }
    default: break;
  }
  llvm::Value* p = emit(*node.operands.at(1));
  llvm::Value* p_data = b.CreateExtractValue(p, 0);
  llvm::Value* p_size = b.CreateExtractValue(p, 1);
  switch (node.op) {
    case Op::Concat: return string_result(m.helpers.str_concat, {arena(), s_data, s_size, p_data, p_size}, node);
    case Op::StrContains:
      return b.CreateICmpNE(b.CreateCall(m.helpers.str_contains, {s_data, s_size, p_data, p_size}), b.getInt32(0));
    default: break;
  }
  // starts_with / ends_with: the prefix fits, and is empty or equal bytewise.
  llvm::Value* fits = b.CreateICmpULE(p_size, s_size);
  llvm::BasicBlock* entry = b.GetInsertBlock();
  llvm::BasicBlock* compare = block("affix.cmp");
  llvm::BasicBlock* join = block("affix.join");
  b.CreateCondBr(b.CreateAnd(fits, b.CreateICmpNE(p_size, b.getInt64(0))), compare, join);
  b.SetInsertPoint(compare);
  llvm::Value* start = s_data;
  if (node.op == Op::EndsWith) start = b.CreateInBoundsGEP(t.i8, s_data, b.CreateSub(s_size, p_size));
  llvm::Value* same = b.CreateICmpEQ(b.CreateCall(m.helpers.memcmp, {start, p_data, p_size}), b.getInt32(0));
  b.CreateBr(join);
  b.SetInsertPoint(join);
  llvm::PHINode* phi = b.CreatePHI(t.i1, 2);
  phi->addIncoming(fits, entry);
  phi->addIncoming(same, compare);
  return phi;
}

llvm::Value* FunctionEmitter::emit_list_op(const Node& node) {
  const Node& list = *node.operands.at(0);
  const Type* element = list.type->element;
  if (node.op == Op::ListLen) {
    if (list.op == Op::MakeList) {
      // The length of a literal is known; its elements still run (they may fail).
      for (const auto& item : list.operands) {
        if (!m.slot_constant(*item, element)) emit(*item);
      }
      return b.getInt64(list.operands.size());
    }
    return b.CreateExtractValue(emit(list), 1);
  }
  llvm::Value* value = emit(list);
  llvm::Value* index = emit(*node.operands.at(1));
  llvm::Value* count = b.CreateExtractValue(value, 1);
  // Unsigned: a negative index is out of range too.
  fail_if(b.CreateICmpUGE(index, count), FLOW_RT_INDEX_OUT_OF_RANGE, node, index, count);
  return load_slot(element, element_address(element, b.CreateExtractValue(value, 0), index));
}

llvm::Value* FunctionEmitter::emit_time_op(const Node& node) {
  llvm::Value* ts = emit(*node.operands.at(0));
  if (node.op == Op::Hour) return b.CreateCall(m.helpers.time_hour, {ts});
  if (node.op == Op::Weekday) return b.CreateCall(m.helpers.time_weekday, {ts});
  llvm::AllocaInst* out = entry_alloca(t.i64, "date");
  fail_on_status(b.CreateCall(m.helpers.time_date, {ts, out}), node);
  return b.CreateAlignedLoad(t.i64, out, llvm::Align(8));
}

}  // namespace detail

std::unique_ptr<llvm::Module> generate_module(const ir::Module& module, const ErrorSiteTable& sites,
                                              llvm::LLVMContext& context, const std::string& name) {
  auto llvm_module = std::make_unique<llvm::Module>(name, context);
  detail::ModuleEmitter emitter(module, sites, *llvm_module);
  emitter.emit_all();
  return llvm_module;
}

}  // namespace flow::codegen
