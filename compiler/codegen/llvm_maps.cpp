// Maps in generated code. A map<string, T> value is an SSA {ptr, i64}
// (FlowMap: entries, count) over sorted entries (rt_abi/flow_rt.h): a
// literal writes its entries in source order into the arena and
// flow_rt_map_build sorts them and keeps the last of a repeated key;
// `m["k"]` and `has(m, "k")` call flow_rt_map_find (a binary search);
// len() is the count and keys() copies the keys out; `==` compares entry by
// entry. Limits: a literal is sorted at run time even when its keys are
// constants.
#include "codegen/codegen_internal.h"
#include "layout/event_layout.h"
#include "llvm/IR/Constants.h"

namespace flow::codegen::detail {

using ir::Node;
using ir::Op;

namespace {

/// The address of entry `i` of `entries` and of its value.
struct Entry {
  llvm::Value* key;
  llvm::Value* value;
};

Entry entry_at(FunctionEmitter& e, const Type* value_type, llvm::Value* entries, llvm::Value* i) {
  uint64_t size = layout::map_entry_slot(value_type).size;
  llvm::Value* key = e.b.CreateInBoundsGEP(e.t.i8, entries, e.b.CreateMul(i, e.b.getInt64(size), "", true, true));
  return {key, e.b.CreateConstInBoundsGEP1_64(e.t.i8, key, layout::map_value_offset(value_type))};
}

}  // namespace

llvm::Value* FunctionEmitter::emit_map_op(const Node& node) {
  const Type* map_type = node.op == Op::MakeMap ? node.type : node.operands.at(0)->type;
  if (map_type->kind != TypeKind::Map) malformed(std::string("'") + ir::to_string(node.op) + "' on a non-map", fn);
  const Type* value_type = map_type->element;
  layout::Slot entry = layout::map_entry_slot(value_type);
  uint32_t value_offset = layout::map_value_offset(value_type);

  if (node.op == Op::MakeMap) {
    if (node.operands.size() % 2 != 0) malformed("a map literal with a key without a value", fn);
    size_t count = node.operands.size() / 2;
    if (count == 0) return llvm::Constant::getNullValue(t.pair);
    std::vector<llvm::Value*> items;  // key, value, key, value: left to right
    for (const auto& operand : node.operands) items.push_back(emit(*operand));
    llvm::Value* written = allocate(b.getInt64(entry.size * count), entry.align, node);
    for (size_t i = 0; i < count; ++i) {
      llvm::Value* at = b.CreateConstInBoundsGEP1_64(t.i8, written, entry.size * i);
      store_field(node.operands[2 * i]->type, at, items[2 * i]);
      store_slot(value_type, b.CreateConstInBoundsGEP1_64(t.i8, at, value_offset), items[2 * i + 1]);
    }
    llvm::AllocaInst* out = entry_alloca(t.pair, "map");
    fail_on_status(
        b.CreateCall(m.helpers.map_build, {arena(), written, b.getInt64(count), b.getInt64(entry.size), out}), node);
    return b.CreateAlignedLoad(t.pair, out, llvm::Align(8));
  }

  llvm::Value* map = emit(*node.operands[0]);
  llvm::Value* entries = b.CreateExtractValue(map, 0);
  llvm::Value* count = b.CreateExtractValue(map, 1);
  switch (node.op) {
    case Op::MapLen: return count;
    case Op::MapKeys: {
      layout::Slot key_slot = layout::element_slot(node.type->element);
      return relayout(map, entry.size, key_slot, node,
                      [&](llvm::Value* from, llvm::Value* to) { copy_bytes(to, from, sizeof(FlowStr)); });
    }
    case Op::MapHas:
    case Op::MapIndex: break;
    default: malformed(std::string("'") + ir::to_string(node.op) + "' is not a map operation", fn);
  }
  llvm::Value* key = emit(*node.operands.at(1));
  llvm::Value* found = b.CreateCall(m.helpers.map_find, {entries, count, b.getInt64(entry.size),
                                                         b.CreateExtractValue(key, 0), b.CreateExtractValue(key, 1)});
  llvm::Value* hit = b.CreateIsNotNull(found);
  if (node.op == Op::MapHas) return hit;
  // m[k]: T? (for a map of U?, the stored U? itself).
  if (!node.type->is_optional()) malformed("a map index that is not optional", fn);
  llvm::Type* result = t.value(node.type);
  llvm::BasicBlock* entry_block = b.GetInsertBlock();
  llvm::BasicBlock* read = block("mapidx.read");
  llvm::BasicBlock* join = block("mapidx.join");
  b.CreateCondBr(hit, read, join);
  b.SetInsertPoint(read);
  llvm::Value* at = b.CreateConstInBoundsGEP1_64(t.i8, found, value_offset);
  llvm::Value* value = value_type->is_optional() ? load_slot(value_type, at)
                                                 : make_optional(node.type, b.getTrue(), load_field(value_type, at));
  if (value->getType() != result) malformed("a map index of the wrong type", fn);
  llvm::BasicBlock* read_end = b.GetInsertBlock();
  b.CreateBr(join);
  b.SetInsertPoint(join);
  llvm::PHINode* phi = b.CreatePHI(result, 2);
  phi->addIncoming(llvm::Constant::getNullValue(result), entry_block);
  phi->addIncoming(value, read_end);
  return phi;
}

llvm::Value* FunctionEmitter::map_equal(const Type* type, llvm::Value* a, llvm::Value* z) {
  const Type* value_type = type->element;
  // Both sorted with unique keys: equal maps have equal entries pairwise.
  return sequences_equal(a, z, [&](llvm::Value* a_entries, llvm::Value* z_entries, llvm::Value* i) {
    Entry x = entry_at(*this, value_type, a_entries, i);
    Entry y = entry_at(*this, value_type, z_entries, i);
    llvm::Value* same_key = strings_equal(b.CreateAlignedLoad(t.pair, x.key, llvm::Align(8)),
                                          b.CreateAlignedLoad(t.pair, y.key, llvm::Align(8)));
    return b.CreateNot(short_circuit(true, same_key, [&] {
      return equal(value_type, load_slot(value_type, x.value), load_slot(value_type, y.value));
    }));
  });
}

llvm::Value* FunctionEmitter::convert_map(llvm::Value* value, const Type* from, const Type* to, const Node& site) {
  // Entries of map<never> do not exist: the (empty) map is already fine.
  if (from->element->kind == TypeKind::Never) return value;
  const Type* source = from->element;
  const Type* target = to->element;
  uint32_t source_offset = layout::map_value_offset(source);
  uint32_t target_offset = layout::map_value_offset(target);
  return relayout(value, layout::map_entry_slot(source).size, layout::map_entry_slot(target), site,
                  [&](llvm::Value* in, llvm::Value* out) {
                    copy_bytes(out, in, sizeof(FlowStr));  // the key; the order stays
                    llvm::Value* item = load_slot(source, b.CreateConstInBoundsGEP1_64(t.i8, in, source_offset));
                    store_slot(target, b.CreateConstInBoundsGEP1_64(t.i8, out, target_offset),
                               convert(item, source, target, site));
                  });
}

}  // namespace flow::codegen::detail
