// Events and records in generated code: field reads (LoadField on an event
// or a record value), record literals (MakeRecord) and record equality.
// A record value is a pointer to its bytes in the layout of
// layout::record_layout, like an event instance: a field of record type is
// read as a pointer into its parent (no copy), and a literal is built in the
// arena. Limits: equality is emitted inline, field by field, at every use
// (no shared per-record function), so deeply nested records make more code.
#include "codegen/codegen_internal.h"
#include "layout/event_layout.h"
#include "llvm/IR/Constants.h"

namespace flow::codegen::detail {

using ir::Node;
using ir::Op;

namespace {

/// The layout of the event or record `type` is the value of, or null.
const layout::StructLayout* layout_of(const ir::Module& module, const Type* type) {
  if (type->kind == TypeKind::Record) return &layout::record_layout(*type->record_info);
  if (type->kind != TypeKind::Event) return nullptr;
  try {
    return &module.layouts.of(type->event_info);
  } catch (const std::out_of_range&) {
    return nullptr;
  }
}

/// Bit `field` of the presence bitmap of the instance at `base`, as an i1.
llvm::Value* presence(FunctionEmitter& e, llvm::Value* base, const layout::StructLayout& layout, uint32_t field) {
  llvm::Value* bits = e.b.CreateAlignedLoad(
      e.t.i8, e.b.CreateConstInBoundsGEP1_64(e.t.i8, base, layout.bitmap_offset + field / 8), llvm::Align(1));
  return e.b.CreateTrunc(e.b.CreateLShr(bits, field % 8), e.t.i1);
}

}  // namespace

llvm::Value* FunctionEmitter::emit_load_field(const Node& node) {
  const Node& owner = *node.operands.at(0);
  const layout::StructLayout* layout = layout_of(m.ir, owner.type);
  if (!layout) malformed("a field read from a value that is neither an event with a layout nor a record", fn);
  if (node.index < 0 || static_cast<size_t>(node.index) >= layout->fields.size() ||
      layout->fields[static_cast<size_t>(node.index)].offset != node.offset) {
    malformed("a field read that does not match the " + layout->name() + " layout", fn);
  }
  const layout::FieldLayout& field = layout->fields[static_cast<size_t>(node.index)];
  if (t.value(field.type) != t.value(node.type)) malformed("a field read of the wrong type", fn);
  llvm::Value* base = emit(owner);
  llvm::Value* address = b.CreateConstInBoundsGEP1_64(t.i8, base, field.offset);
  if (!field.optional) return load_field(field.type, address);
  llvm::Value* present = presence(*this, base, *layout, static_cast<uint32_t>(node.index));
  return make_optional(field.type, present, load_field(field.type->element, address));
}

llvm::Value* FunctionEmitter::emit_make_record(const Node& node) {
  if (node.type->kind != TypeKind::Record) malformed("a record literal of a type that is no record", fn);
  const layout::StructLayout& layout = layout::record_layout(*node.type->record_info);
  if (node.operands.size() != layout.fields.size()) malformed("a record literal without one value per field", fn);
  // The fields left to right, then the instance (as MakeList: an error in a
  // field comes before running out of memory).
  std::vector<llvm::Value*> values;
  for (const auto& operand : node.operands) values.push_back(emit(*operand));
  llvm::Value* record = allocate(b.getInt64(layout.size), layout.align, node);
  b.CreateMemSet(record, b.getInt8(0), layout.size, llvm::Align(8));  // bitmap and padding
  std::vector<llvm::Value*> bitmap(layout.bitmap_bytes, b.getInt8(0));
  for (size_t i = 0; i < values.size(); ++i) {
    const layout::FieldLayout& field = layout.fields[i];
    llvm::Value* address = b.CreateConstInBoundsGEP1_64(t.i8, record, field.offset);
    llvm::Value* bit = b.getInt8(static_cast<uint8_t>(1u << (i % 8)));
    const Type* given = node.operands[i]->type;
    if (given->kind == TypeKind::NoneType) {
      if (!field.optional) malformed("none for the record field '" + field.name + "'", fn);
      continue;  // absent: bit 0
    }
    if (!given->is_optional()) {
      // A value of the field's type; its bit says "filled" (as ingress sets
      // it) or, for an optional field, "present".
      store_field(field.optional ? field.type->element : field.type, address, values[i]);
    } else {
      if (!field.optional) malformed("an optional value for the record field '" + field.name + "'", fn);
      // T? stores T and its presence bit; an absent record has no bytes to copy.
      llvm::Value* present = b.CreateExtractValue(values[i], 0);
      llvm::BasicBlock* store = block("field.store");
      llvm::BasicBlock* done = block("field.done");
      b.CreateCondBr(present, store, done);
      b.SetInsertPoint(store);
      store_field(field.type->element, address, b.CreateExtractValue(values[i], 1));
      b.CreateBr(done);
      b.SetInsertPoint(done);
      bit = b.CreateSelect(present, bit, b.getInt8(0));
    }
    bitmap[i / 8] = b.CreateOr(bitmap[i / 8], bit);
  }
  for (size_t byte = 0; byte < bitmap.size(); ++byte) {
    b.CreateAlignedStore(bitmap[byte], b.CreateConstInBoundsGEP1_64(t.i8, record, layout.bitmap_offset + byte),
                         llvm::Align(1));
  }
  return record;
}

llvm::Value* FunctionEmitter::record_equal(const Type* type, llvm::Value* a, llvm::Value* z) {
  const layout::StructLayout& layout = layout::record_layout(*type->record_info);
  // A chain of tests, each leaving for `join` with false when it fails.
  llvm::BasicBlock* join = block("receq.join");
  std::vector<std::pair<llvm::Value*, llvm::BasicBlock*>> incoming;
  auto require = [&](llvm::Value* ok) {
    llvm::BasicBlock* next = block("receq.next");
    incoming.emplace_back(b.getFalse(), b.GetInsertBlock());
    b.CreateCondBr(ok, next, join);
    b.SetInsertPoint(next);
  };
  for (size_t i = 0; i < layout.fields.size(); ++i) {
    const layout::FieldLayout& field = layout.fields[i];
    const Type* value_type = field.optional ? field.type->element : field.type;
    llvm::Value* a_address = b.CreateConstInBoundsGEP1_64(t.i8, a, field.offset);
    llvm::Value* z_address = b.CreateConstInBoundsGEP1_64(t.i8, z, field.offset);
    llvm::BasicBlock* after = nullptr;
    if (field.optional) {
      // Both absent, or both present with equal values.
      llvm::Value* a_present = presence(*this, a, layout, static_cast<uint32_t>(i));
      llvm::Value* z_present = presence(*this, z, layout, static_cast<uint32_t>(i));
      require(b.CreateICmpEQ(a_present, z_present));
      llvm::BasicBlock* both = block("receq.both");
      after = block("receq.after");
      b.CreateCondBr(a_present, both, after);
      b.SetInsertPoint(both);
    }
    require(equal(value_type, load_field(value_type, a_address), load_field(value_type, z_address)));
    if (after) {
      b.CreateBr(after);
      b.SetInsertPoint(after);
    }
  }
  incoming.emplace_back(b.getTrue(), b.GetInsertBlock());
  b.CreateBr(join);
  b.SetInsertPoint(join);
  llvm::PHINode* phi = b.CreatePHI(t.i1, static_cast<unsigned>(incoming.size()));
  for (auto& [value, from] : incoming) phi->addIncoming(value, from);
  return phi;
}

}  // namespace flow::codegen::detail
