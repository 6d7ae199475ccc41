// Structural operations of the code generator: Flow `==` on every type
// (optionals, lists, strings; records and maps in their own files), list
// membership, list literals and list and map re-layout (ConvertList), with
// the loops they need.
#include "codegen/codegen_internal.h"
#include "layout/event_layout.h"
#include "llvm/IR/Constants.h"

namespace flow::codegen::detail {

using ir::Node;
using ir::Op;

void FunctionEmitter::loop(llvm::Value* count, const std::function<void(llvm::Value*)>& body) {
  llvm::BasicBlock* before = b.GetInsertBlock();
  llvm::BasicBlock* header = block("loop");
  llvm::BasicBlock* inside = block("loop.body");
  llvm::BasicBlock* done = block("loop.done");
  b.CreateBr(header);
  b.SetInsertPoint(header);
  llvm::PHINode* i = b.CreatePHI(t.i64, 2, "i");
  i->addIncoming(b.getInt64(0), before);
  b.CreateCondBr(b.CreateICmpULT(i, count), inside, done);
  b.SetInsertPoint(inside);
  body(i);
  i->addIncoming(b.CreateAdd(i, b.getInt64(1), "", true, true), b.GetInsertBlock());
  b.CreateBr(header);
  b.SetInsertPoint(done);
}

llvm::Value* FunctionEmitter::any_index(llvm::Value* count,
                                        const std::function<llvm::Value*(llvm::Value*)>& predicate) {
  llvm::BasicBlock* before = b.GetInsertBlock();
  llvm::BasicBlock* header = block("any");
  llvm::BasicBlock* inside = block("any.body");
  llvm::BasicBlock* next = block("any.next");
  llvm::BasicBlock* done = block("any.done");
  b.CreateBr(header);
  b.SetInsertPoint(header);
  llvm::PHINode* i = b.CreatePHI(t.i64, 2, "i");
  i->addIncoming(b.getInt64(0), before);
  b.CreateCondBr(b.CreateICmpULT(i, count), inside, done);
  b.SetInsertPoint(inside);
  llvm::Value* hit = predicate(i);
  llvm::BasicBlock* inside_end = b.GetInsertBlock();
  b.CreateCondBr(hit, done, next);
  b.SetInsertPoint(next);
  i->addIncoming(b.CreateAdd(i, b.getInt64(1), "", true, true), next);
  b.CreateBr(header);
  b.SetInsertPoint(done);
  llvm::PHINode* found = b.CreatePHI(t.i1, 2, "found");
  found->addIncoming(b.getFalse(), header);
  found->addIncoming(b.getTrue(), inside_end);
  return found;
}

llvm::Value* FunctionEmitter::sequences_equal(
    llvm::Value* a, llvm::Value* z,
    const std::function<llvm::Value*(llvm::Value*, llvm::Value*, llvm::Value*)>& differs) {
  llvm::Value* count = b.CreateExtractValue(a, 1);
  return short_circuit(true, b.CreateICmpEQ(count, b.CreateExtractValue(z, 1)), [&] {
    llvm::Value* a_data = b.CreateExtractValue(a, 0);
    llvm::Value* z_data = b.CreateExtractValue(z, 0);
    return b.CreateNot(any_index(count, [&](llvm::Value* i) { return differs(a_data, z_data, i); }));
  });
}

llvm::Value* FunctionEmitter::strings_equal(llvm::Value* a, llvm::Value* z) {
  llvm::Value* a_size = b.CreateExtractValue(a, 1);
  llvm::Value* z_size = b.CreateExtractValue(z, 1);
  llvm::Value* same_size = b.CreateICmpEQ(a_size, z_size);
  // Compare with the literal's length when there is one, so memcmp of a
  // known size becomes a few loads.
  llvm::Value* size = llvm::isa<llvm::Constant>(z_size) ? z_size : a_size;
  llvm::BasicBlock* entry = b.GetInsertBlock();
  llvm::BasicBlock* compare = block("streq.cmp");
  llvm::BasicBlock* join = block("streq.join");
  // memcmp only for non-empty strings: an empty string's data may be null.
  b.CreateCondBr(b.CreateAnd(same_size, b.CreateICmpNE(size, b.getInt64(0))), compare, join);
  b.SetInsertPoint(compare);
  llvm::Value* bytes_equal = b.CreateICmpEQ(
      b.CreateCall(m.helpers.memcmp, {b.CreateExtractValue(a, 0), b.CreateExtractValue(z, 0), size}), b.getInt32(0));
  b.CreateBr(join);
  b.SetInsertPoint(join);
  llvm::PHINode* phi = b.CreatePHI(t.i1, 2);
  phi->addIncoming(same_size, entry);  // different sizes, or both empty
  phi->addIncoming(bytes_equal, compare);
  return phi;
}

llvm::Value* FunctionEmitter::equal(const Type* type, llvm::Value* a, llvm::Value* z) {
  switch (type->kind) {
    case TypeKind::Bool:
    case TypeKind::Int:
    case TypeKind::Timestamp:
    case TypeKind::Duration:
    case TypeKind::Enum:
    case TypeKind::Event: return b.CreateICmpEQ(a, z);
    case TypeKind::Float: return b.CreateFCmpOEQ(a, z);  // IEEE: NaN equals nothing
    case TypeKind::String: return strings_equal(a, z);
    case TypeKind::Never:
    case TypeKind::NoneType:
    case TypeKind::Error: return b.getTrue();
    case TypeKind::Decimal: return decimal_equal(a, z);
    case TypeKind::Record: return record_equal(type, a, z);
    case TypeKind::Map: return map_equal(type, a, z);
    case TypeKind::Optional: {
      // Both absent, or both present and equal; the values of an absent
      // optional are never looked at.
      llvm::Value* a_present = b.CreateExtractValue(a, 0);
      llvm::Value* z_present = b.CreateExtractValue(z, 0);
      llvm::Value* same_presence = b.CreateICmpEQ(a_present, z_present);  // the answer unless both are present
      llvm::BasicBlock* entry = b.GetInsertBlock();
      llvm::BasicBlock* both = block("opteq.both");
      llvm::BasicBlock* join = block("opteq.join");
      b.CreateCondBr(b.CreateAnd(a_present, z_present), both, join);
      b.SetInsertPoint(both);
      llvm::Value* inner = equal(type->element, b.CreateExtractValue(a, 1), b.CreateExtractValue(z, 1));
      llvm::BasicBlock* both_end = b.GetInsertBlock();
      b.CreateBr(join);
      b.SetInsertPoint(join);
      llvm::PHINode* phi = b.CreatePHI(t.i1, 2);
      phi->addIncoming(same_presence, entry);
      phi->addIncoming(inner, both_end);
      return phi;
    }
    case TypeKind::List: {
      const Type* element = type->element;
      return sequences_equal(a, z, [&](llvm::Value* a_data, llvm::Value* z_data, llvm::Value* i) {
        llvm::Value* x = load_slot(element, element_address(element, a_data, i));
        llvm::Value* y = load_slot(element, element_address(element, z_data, i));
        return b.CreateNot(equal(element, x, y));
      });
    }
  }
  return b.getFalse();
}

llvm::Value* FunctionEmitter::list_contains(const Node& node) {
  const Node& list = *node.operands.at(0);
  const Node& needle_node = *node.operands.at(1);
  const Type* element = list.type->element;
  auto matches = [&](llvm::Value* item, llvm::Value* needle) {
    // flag: a float needle in a list<int> compares each element as a float.
    if (node.flag) return b.CreateFCmpOEQ(b.CreateSIToFP(item, t.f64), needle);
    return equal(element, item, needle);
  };
  if (list.op != Op::MakeList) {
    llvm::Value* value = emit(list);
    llvm::Value* needle = emit(needle_node);
    llvm::Value* data = b.CreateExtractValue(value, 0);
    return any_index(b.CreateExtractValue(value, 1), [&](llvm::Value* i) {
      return matches(load_slot(element, element_address(element, data, i)), needle);
    });
  }
  // `x in [a, b, c]`: no list is built; the elements, then the needle, are
  // evaluated and compared in turn (`x == a or x == b or x == c`).
  std::vector<llvm::Value*> items;
  for (const auto& item : list.operands) items.push_back(emit(*item));
  llvm::Value* needle = emit(needle_node);
  if (items.empty()) return b.getFalse();
  llvm::BasicBlock* join = block("in.join");
  std::vector<std::pair<llvm::Value*, llvm::BasicBlock*>> incoming;
  for (size_t i = 0; i < items.size(); ++i) {
    llvm::Value* hit = matches(items[i], needle);
    if (i + 1 == items.size()) {
      incoming.emplace_back(hit, b.GetInsertBlock());
      b.CreateBr(join);
      break;
    }
    llvm::BasicBlock* next = block("in.next");
    incoming.emplace_back(b.getTrue(), b.GetInsertBlock());
    b.CreateCondBr(hit, join, next);
    b.SetInsertPoint(next);
  }
  b.SetInsertPoint(join);
  llvm::PHINode* phi = b.CreatePHI(t.i1, static_cast<unsigned>(incoming.size()));
  for (auto& [value, from] : incoming) phi->addIncoming(value, from);
  return phi;
}

llvm::Value* FunctionEmitter::allocate(llvm::Value* bytes, uint64_t align, const Node& site) {
  llvm::Value* arena = b.CreateAlignedLoad(t.ptr, context_field(offsetof(FlowRtContext, arena)), llvm::Align(8));
  llvm::Value* memory = b.CreateCall(m.helpers.arena_alloc, {arena, bytes, b.getInt64(align)});
  fail_if(b.CreateIsNull(memory), FLOW_RT_OUT_OF_MEMORY, site);
  return memory;
}

llvm::Value* FunctionEmitter::make_list(const Node& node) {
  const Type* element = node.type->element;
  // A literal of constants is a constant array: no allocation at run time.
  if (llvm::Constant* constant = m.list_constant(node)) return constant;
  std::vector<llvm::Value*> items;
  for (const auto& item : node.operands) items.push_back(emit(*item));
  layout::Slot slot = layout::element_slot(element);
  llvm::Value* data = allocate(b.getInt64(slot.size * items.size()), slot.align, node);
  for (size_t i = 0; i < items.size(); ++i) {
    store_slot(element, b.CreateConstInBoundsGEP1_64(t.i8, data, slot.size * i), items[i]);
  }
  return make_pair(data, b.getInt64(items.size()));
}

llvm::Value* FunctionEmitter::relayout(llvm::Value* value, uint64_t source_size, layout::Slot target,
                                       const ir::Node& site,
                                       const std::function<void(llvm::Value*, llvm::Value*)>& item) {
  llvm::Value* count = b.CreateExtractValue(value, 1);
  llvm::Value* data = b.CreateExtractValue(value, 0);
  llvm::BasicBlock* entry = b.GetInsertBlock();
  llvm::BasicBlock* copy = block("conv.copy");
  llvm::BasicBlock* join = block("conv.join");
  b.CreateCondBr(b.CreateICmpEQ(count, b.getInt64(0)), join, copy);
  b.SetInsertPoint(copy);
  llvm::Value* out = allocate(b.CreateMul(count, b.getInt64(target.size), "", true, true), target.align, site);
  loop(count, [&](llvm::Value* i) {
    item(b.CreateInBoundsGEP(t.i8, data, b.CreateMul(i, b.getInt64(source_size))),
         b.CreateInBoundsGEP(t.i8, out, b.CreateMul(i, b.getInt64(target.size))));
  });
  llvm::Value* converted = make_pair(out, count);
  llvm::BasicBlock* copy_end = b.GetInsertBlock();
  b.CreateBr(join);
  b.SetInsertPoint(join);
  llvm::PHINode* phi = b.CreatePHI(t.pair, 2);
  phi->addIncoming(llvm::Constant::getNullValue(t.pair), entry);
  phi->addIncoming(converted, copy_end);
  return phi;
}

llvm::Value* FunctionEmitter::convert(llvm::Value* value, const Type* from, const Type* to, const Node& site) {
  if (from == to) return value;
  if (to->is_optional()) {
    if (from->kind == TypeKind::NoneType) return llvm::Constant::getNullValue(t.value(to));
    if (!from->is_optional()) return make_optional(to, b.getTrue(), convert(value, from, to->element, site));
    // T? -> U?: convert the value when present.
    llvm::Value* present = b.CreateExtractValue(value, 0);
    llvm::BasicBlock* entry = b.GetInsertBlock();
    llvm::BasicBlock* some = block("conv.some");
    llvm::BasicBlock* join = block("conv.join");
    b.CreateCondBr(present, some, join);
    b.SetInsertPoint(some);
    llvm::Value* converted =
        make_optional(to, b.getTrue(), convert(b.CreateExtractValue(value, 1), from->element, to->element, site));
    llvm::BasicBlock* some_end = b.GetInsertBlock();
    b.CreateBr(join);
    b.SetInsertPoint(join);
    llvm::PHINode* phi = b.CreatePHI(t.value(to), 2);
    phi->addIncoming(llvm::Constant::getNullValue(t.value(to)), entry);
    phi->addIncoming(converted, some_end);
    return phi;
  }
  if (from->kind == TypeKind::List && to->kind == TypeKind::List) {
    // Elements of list<never> do not exist: the (empty) list is already fine.
    if (from->element->kind == TypeKind::Never) return value;
    const Type* source = from->element;
    const Type* target = to->element;
    return relayout(value, layout::element_slot(source).size, layout::element_slot(target), site,
                    [&](llvm::Value* item, llvm::Value* out) {
                      store_slot(target, out, convert(load_slot(source, item), source, target, site));
                    });
  }
  if (from->kind == TypeKind::Map && to->kind == TypeKind::Map) return convert_map(value, from, to, site);
  if (from->kind == TypeKind::Event && to->kind == TypeKind::Event) return value;
  if (from->kind == TypeKind::Never) return llvm::Constant::getNullValue(t.value(to));
  malformed("cannot convert " + from->to_string() + " to " + to->to_string(), fn);
}

}  // namespace flow::codegen::detail
