// Flow types as LLVM types, loads and stores of slots (a record's slot is
// its bytes: loading one yields their address, storing one copies them),
// and constants (string literals, constant list literals as global arrays).
#include <cstring>

#include "codegen/codegen_internal.h"
#include "codegen/llvm_codegen.h"
#include "layout/event_layout.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"

namespace flow::codegen::detail {

using ir::Node;
using ir::Op;

TypeMap::TypeMap(llvm::LLVMContext& c)
    : context(c),
      i1(llvm::Type::getInt1Ty(c)),
      i8(llvm::Type::getInt8Ty(c)),
      i32(llvm::Type::getInt32Ty(c)),
      i64(llvm::Type::getInt64Ty(c)),
      f64(llvm::Type::getDoubleTy(c)),
      ptr(llvm::PointerType::getUnqual(c)),
      pair(llvm::StructType::get(c, {llvm::PointerType::getUnqual(c), llvm::Type::getInt64Ty(c)})),
      decimal(llvm::StructType::get(c, {llvm::Type::getInt64Ty(c), llvm::Type::getInt64Ty(c)})) {}

llvm::Type* TypeMap::value(const Type* type) const {
  switch (type->kind) {
    case TypeKind::Bool: return i1;
    case TypeKind::Int:
    case TypeKind::Timestamp:
    case TypeKind::Duration: return i64;
    case TypeKind::Float: return f64;
    case TypeKind::Enum: return i32;
    case TypeKind::String:
    case TypeKind::List:
    case TypeKind::Map: return pair;
    case TypeKind::Event:
    case TypeKind::Record: return ptr;
    case TypeKind::Optional: return llvm::StructType::get(context, {i1, value(type->element)});
    case TypeKind::Never:
    case TypeKind::NoneType:
    case TypeKind::Error: return i1;  // carries no data
    case TypeKind::Decimal: return decimal;
  }
  return i1;
}

llvm::Type* TypeMap::field(const Type* type) const {
  switch (type->kind) {
    case TypeKind::Bool: return i8;
    case TypeKind::Optional: return field(type->element);
    case TypeKind::Never:
    case TypeKind::NoneType:
    case TypeKind::Error: return i8;
    case TypeKind::Record:
      // The bytes inline; i64 words give the slot its alignment (sizes are multiples of 8).
      return llvm::ArrayType::get(i64, layout::field_slot(type).size / 8);
    default: return value(type);
  }
}

llvm::Type* TypeMap::slot(const Type* type) const {
  // {i8, T} has the boxed layout of event-layout.md under every 64-bit data
  // layout: the value sits at T's alignment and the size rounds up to it.
  if (type->is_optional()) return llvm::StructType::get(context, {i8, field(type->element)});
  return field(type);
}

namespace {
bool is_record(const Type* type) {
  return type->kind == TypeKind::Record;
}
}  // namespace

llvm::Type* TypeMap::result(const Type* type) const {
  if (is_record(type)) return ptr;
  if (type->is_optional() && is_record(type->element)) return llvm::StructType::get(context, {i8, ptr});
  return slot(type);
}

void malformed(const std::string& what, const ir::Function& fn) {
  throw CodegenError("cannot compile '" + fn.name + "': " + what);
}

// ---- Slots ------------------------------------------------------------------

namespace {
llvm::Align align_of(const Type* type) {
  return llvm::Align(layout::field_slot(type).align);
}
}  // namespace

llvm::Value* FunctionEmitter::make_pair(llvm::Value* data, llvm::Value* size) {
  llvm::Value* pair = llvm::PoisonValue::get(t.pair);
  pair = b.CreateInsertValue(pair, data, 0);
  return b.CreateInsertValue(pair, size, 1);
}

llvm::Value* FunctionEmitter::make_optional(const Type* optional, llvm::Value* present, llvm::Value* value) {
  llvm::Value* v = llvm::PoisonValue::get(t.value(optional));
  v = b.CreateInsertValue(v, present, 0);
  return b.CreateInsertValue(v, value, 1);
}

llvm::Value* FunctionEmitter::load_field(const Type* type, llvm::Value* address) {
  switch (type->kind) {
    case TypeKind::Bool: return b.CreateICmpNE(b.CreateAlignedLoad(t.i8, address, llvm::Align(1)), b.getInt8(0));
    case TypeKind::Int:
    case TypeKind::Timestamp:
    case TypeKind::Duration:
    case TypeKind::Float:
    case TypeKind::Enum:
    case TypeKind::Decimal:
    case TypeKind::Event: return b.CreateAlignedLoad(t.value(type), address, align_of(type));
    case TypeKind::String:
    case TypeKind::List:
    case TypeKind::Map: {
      llvm::Value* data = b.CreateAlignedLoad(t.ptr, address, llvm::Align(8));
      llvm::Value* size = b.CreateAlignedLoad(t.i64, b.CreateConstInBoundsGEP1_64(t.i8, address, 8), llvm::Align(8));
      return make_pair(data, size);
    }
    case TypeKind::Record: return address;  // read in place
    case TypeKind::Optional: malformed("an optional value in a field slot", fn);
    case TypeKind::Never:
    case TypeKind::NoneType:
    case TypeKind::Error: return b.getFalse();
  }
  return b.getFalse();
}

void FunctionEmitter::store_field(const Type* type, llvm::Value* address, llvm::Value* value) {
  switch (type->kind) {
    case TypeKind::Bool: b.CreateAlignedStore(b.CreateZExt(value, t.i8), address, llvm::Align(1)); return;
    case TypeKind::Int:
    case TypeKind::Timestamp:
    case TypeKind::Duration:
    case TypeKind::Float:
    case TypeKind::Enum:
    case TypeKind::Decimal:
    case TypeKind::Event: b.CreateAlignedStore(value, address, align_of(type)); return;
    case TypeKind::String:
    case TypeKind::List:
    case TypeKind::Map:
      b.CreateAlignedStore(b.CreateExtractValue(value, 0), address, llvm::Align(8));
      b.CreateAlignedStore(b.CreateExtractValue(value, 1), b.CreateConstInBoundsGEP1_64(t.i8, address, 8),
                           llvm::Align(8));
      return;
    case TypeKind::Record: copy_bytes(address, value, layout::field_slot(type).size); return;
    case TypeKind::Optional: malformed("an optional value in a field slot", fn);
    case TypeKind::Never:
    case TypeKind::NoneType:
    case TypeKind::Error: return;
  }
}

void FunctionEmitter::copy_bytes(llvm::Value* to, llvm::Value* from, uint64_t size) {
  b.CreateMemCpy(to, llvm::Align(8), from, llvm::Align(8), size);
}

llvm::Value* FunctionEmitter::load_slot(const Type* type, llvm::Value* address) {
  if (!type->is_optional()) return load_field(type, address);
  const Type* inner = type->element;
  llvm::Value* present = b.CreateICmpNE(b.CreateAlignedLoad(t.i8, address, llvm::Align(1)), b.getInt8(0));
  llvm::Value* value =
      load_field(inner, b.CreateConstInBoundsGEP1_64(t.i8, address, layout::optional_value_offset(inner)));
  return make_optional(type, present, value);
}

void FunctionEmitter::store_slot(const Type* type, llvm::Value* address, llvm::Value* value) {
  if (!type->is_optional()) return store_field(type, address, value);
  const Type* inner = type->element;
  llvm::Value* present = b.CreateExtractValue(value, 0);
  b.CreateAlignedStore(b.CreateZExt(present, t.i8), address, llvm::Align(1));
  llvm::Value* inner_address = b.CreateConstInBoundsGEP1_64(t.i8, address, layout::optional_value_offset(inner));
  if (!is_record(inner)) {
    // An absent value's bytes are stored too (zeros or leftovers): readers
    // never look at them.
    store_field(inner, inner_address, b.CreateExtractValue(value, 1));
    return;
  }
  // An absent record has no bytes to copy (its pointer may be null).
  llvm::BasicBlock* copy = block("opt.copy");
  llvm::BasicBlock* done = block("opt.done");
  b.CreateCondBr(present, copy, done);
  b.SetInsertPoint(copy);
  store_field(inner, inner_address, b.CreateExtractValue(value, 1));
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

llvm::Value* FunctionEmitter::load_result(const Type* type, llvm::Value* address) {
  if (is_record(type)) return b.CreateAlignedLoad(t.ptr, address, llvm::Align(8));
  if (!type->is_optional() || !is_record(type->element)) return load_slot(type, address);
  llvm::Value* present = b.CreateICmpNE(b.CreateAlignedLoad(t.i8, address, llvm::Align(1)), b.getInt8(0));
  llvm::Value* record = b.CreateAlignedLoad(t.ptr, b.CreateConstInBoundsGEP1_64(t.i8, address, 8), llvm::Align(8));
  return make_optional(type, present, record);
}

void FunctionEmitter::store_result(const Type* type, llvm::Value* address, llvm::Value* value) {
  if (is_record(type)) {
    b.CreateAlignedStore(value, address, llvm::Align(8));
  } else if (type->is_optional() && is_record(type->element)) {
    b.CreateAlignedStore(b.CreateZExt(b.CreateExtractValue(value, 0), t.i8), address, llvm::Align(1));
    b.CreateAlignedStore(b.CreateExtractValue(value, 1), b.CreateConstInBoundsGEP1_64(t.i8, address, 8),
                         llvm::Align(8));
  } else {
    store_slot(type, address, value);
  }
}

llvm::Value* FunctionEmitter::element_address(const Type* element, llvm::Value* data, llvm::Value* index) {
  uint64_t stride = layout::element_slot(element).size;
  return b.CreateInBoundsGEP(t.i8, data, b.CreateMul(index, b.getInt64(stride), "", true, true));
}

// ---- Constants --------------------------------------------------------------

llvm::Constant* ModuleEmitter::string_constant(const std::string& text) {
  if (text.empty()) {
    return llvm::ConstantStruct::get(types.pair,
                                     {llvm::ConstantPointerNull::get(types.ptr), llvm::ConstantInt::get(types.i64, 0)});
  }
  llvm::GlobalVariable*& global = strings_[text];
  if (!global) {
    auto* bytes = llvm::ConstantDataArray::getString(types.context, text, /*AddNull=*/false);
    global = new llvm::GlobalVariable(module, bytes->getType(), true, llvm::GlobalValue::PrivateLinkage, bytes, "str");
    global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    global->setAlignment(llvm::Align(1));
  }
  return llvm::ConstantStruct::get(types.pair, {global, llvm::ConstantInt::get(types.i64, text.size())});
}

llvm::Constant* ModuleEmitter::field_constant(const Node& node, const Type* type) {
  switch (node.op) {
    case Op::ConstBool:
      return type->kind == TypeKind::Bool ? llvm::ConstantInt::get(types.i8, node.int_value != 0 ? 1 : 0) : nullptr;
    case Op::ConstInt:
    case Op::ConstTimestamp:
    case Op::ConstDuration:
      return llvm::ConstantInt::get(types.i64, static_cast<uint64_t>(node.int_value), /*isSigned=*/true);
    case Op::ConstFloat: return llvm::ConstantFP::get(types.f64, node.float_value);
    case Op::IntToFloat:
      if (node.operands[0]->op != Op::ConstInt) return nullptr;
      return llvm::ConstantFP::get(types.f64, static_cast<double>(node.operands[0]->int_value));
    case Op::ConstEnum: return llvm::ConstantInt::get(types.i32, static_cast<uint64_t>(node.index), true);
    case Op::ConstString: return string_constant(node.str_value);
    case Op::MakeList: return list_constant(node);
    default: return nullptr;
  }
}

llvm::Constant* ModuleEmitter::slot_constant(const Node& node, const Type* type) {
  if (!type->is_optional()) return field_constant(node, type);
  auto* slot = llvm::cast<llvm::StructType>(types.slot(type));
  llvm::Type* inner = slot->getElementType(1);
  if (node.op == Op::ConstNone) {
    return llvm::ConstantStruct::get(slot, {llvm::ConstantInt::get(types.i8, 0), llvm::Constant::getNullValue(inner)});
  }
  if (node.op == Op::WrapSome) {
    llvm::Constant* value = field_constant(*node.operands[0], type->element);
    if (!value) return nullptr;
    return llvm::ConstantStruct::get(slot, {llvm::ConstantInt::get(types.i8, 1), value});
  }
  return nullptr;
}

llvm::Constant* ModuleEmitter::list_constant(const Node& make_list) {
  const Type* element = make_list.type->element;
  if (make_list.operands.empty()) {
    return llvm::ConstantStruct::get(types.pair,
                                     {llvm::ConstantPointerNull::get(types.ptr), llvm::ConstantInt::get(types.i64, 0)});
  }
  std::vector<llvm::Constant*> items;
  for (const auto& operand : make_list.operands) {
    llvm::Constant* c = slot_constant(*operand, element);
    if (!c) return nullptr;
    items.push_back(c);
  }
  auto* array_type = llvm::ArrayType::get(types.slot(element), items.size());
  auto* global = new llvm::GlobalVariable(module, array_type, true, llvm::GlobalValue::PrivateLinkage,
                                          llvm::ConstantArray::get(array_type, items), "list");
  global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  global->setAlignment(llvm::Align(layout::element_slot(element).align));
  return llvm::ConstantStruct::get(types.pair, {global, llvm::ConstantInt::get(types.i64, items.size())});
}

}  // namespace flow::codegen::detail
