// The IR fingerprint: a byte serialisation of the module hashed with xxh3.
#include "codegen/ir_fingerprint.h"

#include <cstring>
#include <set>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

namespace flow::codegen {

namespace {

class Writer {
 public:
  explicit Writer(const ir::Module& module) : module_(module) {}

  void u64(uint64_t v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(const std::string& s) {
    u64(s.size());
    bytes_ += s;
  }
  void type(const Type* t) {
    str(t ? t->to_string() : std::string("-"));
    // A record's name does not say where its fields are: its layout does
    // (offsets, sizes and so list strides), once per record.
    for (const Type* inner = t; inner; inner = inner->element) {
      if (inner->kind != TypeKind::Record || !records_.insert(inner->record_info).second) continue;
      const layout::StructLayout& layout = layout::record_layout(*inner->record_info);
      u64(layout.size);
      u64(layout.bitmap_offset);
      for (const auto& field : layout.fields) {
        str(field.name);
        u64(field.offset);
        type(field.type);
      }
    }
  }

  void node(const ir::Node& n) {
    u64(static_cast<uint64_t>(n.op));
    type(n.type);
    u64(static_cast<uint64_t>(n.int_value));
    uint64_t bits = 0;
    std::memcpy(&bits, &n.float_value, sizeof bits);
    u64(bits);
    str(n.str_value);
    u64(static_cast<uint64_t>(static_cast<int64_t>(n.index)));
    u64(n.offset);
    u64(n.flag);
    if (n.op == ir::Op::LoadField && !n.operands.empty() && n.operands[0]->type->kind == TypeKind::Event) {
      // Optional fields read their presence bit from the bitmap.
      const auto& layout = module_.layouts.of(n.operands[0]->type->event_info);
      u64(layout.bitmap_offset);
      u64(layout.size);
    }
    u64(n.operands.size());
    for (const auto& operand : n.operands) node(*operand);
  }

  std::string finish() const {
    uint64_t h =
        llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t*>(bytes_.data()), bytes_.size()));
    return llvm::utohexstr(h, /*LowerCase=*/true, /*Width=*/16);
  }

 private:
  const ir::Module& module_;
  std::string bytes_;
  std::set<const RecordInfo*> records_;  // whose layout is written already
};

}  // namespace

std::string ir_fingerprint(const ir::Module& module) {
  Writer w(module);
  w.u64(module.functions.size());
  for (const auto& fn : module.functions) {
    w.u64(fn->id);
    w.u64(static_cast<uint64_t>(fn->kind));
    w.str(fn->name);
    w.type(fn->result);
    w.u64(fn->event ? 1 : 0);
    w.u64(fn->local_count);
    if (fn->body) {
      w.u64(1);
      w.node(*fn->body);
    } else {
      w.u64(0);
    }
  }
  w.u64(module.regexes.size());
  for (const auto& r : module.regexes) w.str(r);
  return w.finish();
}

}  // namespace flow::codegen
