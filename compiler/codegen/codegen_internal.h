// Shared between the files of the code generator (not a public header):
// the mapping of Flow types to LLVM types, the helper declarations, and the
// per-module and per-function emitters.
//
// Values in SSA form: bool i1, int/timestamp/duration i64, float double,
// enum i32, string, list and map {ptr, i64} (data, size/count), decimal
// {i64, i64} (FlowDecimal's words), event and record ptr (to the instance's
// bytes; a record read from a field or list points into its parent), T?
// {i1 present, T}, and i1 placeholders for `none` and `never` (no data).
// In memory (event fields, list elements, map values) the slots of
// docs/event-layout.md: bool is a byte, a record is its bytes inline, and an
// optional element is boxed (presence byte, value at optional_value_offset).
// Result slots are the element slots, except that a record result is a
// pointer to its bytes (R? boxed as presence byte, pointer at 8).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "codegen/error_sites.h"
#include "ir/ir.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

namespace flow::codegen::detail {

class TypeMap {
 public:
  explicit TypeMap(llvm::LLVMContext& context);

  /// The SSA form of a value of `type`.
  llvm::Type* value(const Type* type) const;
  /// The memory form of a field of `type` (a T? field stores T; presence is in the bitmap).
  llvm::Type* field(const Type* type) const;
  /// The memory form of a list element (a T? is boxed {i8, T}).
  llvm::Type* slot(const Type* type) const;
  /// The memory form of a function result: slot(), but a pointer for a record.
  llvm::Type* result(const Type* type) const;

  llvm::LLVMContext& context;
  llvm::IntegerType* i1;
  llvm::IntegerType* i8;
  llvm::IntegerType* i32;
  llvm::IntegerType* i64;
  llvm::Type* f64;
  llvm::PointerType* ptr;
  llvm::StructType* pair;     // {ptr, i64}: FlowStr and FlowList
  llvm::StructType* decimal;  // {i64, i64}: FlowDecimal
};

/// The flow_rt_decimal.h helpers generated code calls (llvm_decimal.cpp).
struct DecimalHelpers {
  llvm::FunctionCallee add, sub, mul, div, rem, neg, abs, round, compare, eq, min, max, from_int, from_float, to_float,
      to_int, floor, ceil;
};

/// Declares `name` in `module` with the given signature and memory effects.
llvm::FunctionCallee declare(llvm::Module& module, const char* name, llvm::Type* result,
                             std::initializer_list<llvm::Type*> params, llvm::MemoryEffects memory);
void declare_decimal_helpers(llvm::Module& module, const TypeMap& types, DecimalHelpers& out);

/// Declarations of everything generated code calls outside itself; each is
/// resolved by the JIT from runtime_symbols.cpp, never by dlsym.
struct Helpers {
  llvm::FunctionCallee memcmp;
  llvm::FunctionCallee arena_alloc;
  llvm::FunctionCallee str_len, str_compare, str_contains, str_concat, str_lower, str_upper;
  llvm::FunctionCallee regex_match;
  llvm::FunctionCallee time_hour, time_weekday, time_date;
  llvm::FunctionCallee map_build, map_find;
  DecimalHelpers decimal;
};

class ModuleEmitter {
 public:
  ModuleEmitter(const ir::Module& ir, const ErrorSiteTable& sites, llvm::Module& module);
  void emit_all();

  const ir::Module& ir;
  const ErrorSiteTable& sites;
  llvm::Module& module;
  TypeMap types;
  Helpers helpers;
  std::vector<llvm::Function*> functions;  // by IR function id

  /// A string literal as an SSA {ptr, i64} constant (null data when empty).
  llvm::Constant* string_constant(const std::string& text);
  /// The slot-form constant of a constant-foldable node of type `slot_type`
  /// (literals, none, some(literal), int->float of a literal, lists of
  /// those), or null when the node is not a constant.
  llvm::Constant* slot_constant(const ir::Node& node, const Type* slot_type);
  /// The SSA-form constant of a constant list literal, or null.
  llvm::Constant* list_constant(const ir::Node& make_list);

 private:
  llvm::Constant* field_constant(const ir::Node& node, const Type* type);
  std::map<std::string, llvm::GlobalVariable*> strings_;
};

/// Emits the body of one function. Every IR node becomes straight-line code
/// or a small CFG; a failing operation branches to a block that records its
/// error site in the context and returns its status.
class FunctionEmitter {
 public:
  FunctionEmitter(ModuleEmitter& m, const ir::Function& fn);
  void emit();

  // ---- Used across the generator's files
  llvm::Value* emit(const ir::Node& node);
  /// Branches to an error return with `status` at `site` when `failed` is true.
  void fail_if(llvm::Value* failed, int32_t status, const ir::Node& site, llvm::Value* detail0 = nullptr,
               llvm::Value* detail1 = nullptr);
  /// Fails with a helper's status (i32) at `site` when it is not FLOW_RT_OK.
  void fail_on_status(llvm::Value* status, const ir::Node& site);
  /// Returns a callee's non-zero status unchanged (it has recorded its site).
  void propagate(llvm::Value* status);
  llvm::AllocaInst* entry_alloca(llvm::Type* type, const char* name);
  llvm::Value* context_field(size_t offset);
  llvm::BasicBlock* block(const char* name);
  /// The value bound to local `index` (by a Let, or a quantifier to its element).
  llvm::Value*& local(int32_t index);
  /// The evaluation's arena (FlowRtContext::arena).
  llvm::Value* arena();

  // Slots (llvm_types.cpp)
  llvm::Value* load_field(const Type* type, llvm::Value* address);  // memory field form of a non-optional type
  void store_field(const Type* type, llvm::Value* address, llvm::Value* value);
  llvm::Value* load_slot(const Type* type, llvm::Value* address);  // element/result form
  void store_slot(const Type* type, llvm::Value* address, llvm::Value* value);
  llvm::Value* element_address(const Type* element, llvm::Value* data, llvm::Value* index);
  llvm::Value* load_result(const Type* type, llvm::Value* address);  // result-slot form
  void store_result(const Type* type, llvm::Value* address, llvm::Value* value);
  void copy_bytes(llvm::Value* to, llvm::Value* from, uint64_t size);
  llvm::Value* make_pair(llvm::Value* data, llvm::Value* size);
  llvm::Value* make_optional(const Type* optional, llvm::Value* present, llvm::Value* value);

  /// a `op` z for a comparison op (Eq ... Ge) on two values of `type`.
  llvm::Value* compare(ir::Op op, const Type* type, llvm::Value* a, llvm::Value* z);

  // Structural operations (llvm_structural.cpp)
  llvm::Value* equal(const Type* type, llvm::Value* a, llvm::Value* b);
  llvm::Value* strings_equal(llvm::Value* a, llvm::Value* b);
  llvm::Value* list_contains(const ir::Node& node);
  llvm::Value* make_list(const ir::Node& node);
  llvm::Value* convert(llvm::Value* value, const Type* from, const Type* to, const ir::Node& site);
  /// A copy of the list or map `value` ({data, count}) with items of
  /// `target` slots: `item(from, to)` fills each from its source item.
  llvm::Value* relayout(llvm::Value* value, uint64_t source_size, layout::Slot target, const ir::Node& site,
                        const std::function<void(llvm::Value*, llvm::Value*)>& item);
  llvm::Value* allocate(llvm::Value* bytes, uint64_t align, const ir::Node& site);
  /// Emits `for (i = 0; i < count; ++i) body(i)`; `body` may end in any block.
  void loop(llvm::Value* count, const std::function<void(llvm::Value*)>& body);
  /// Emits `exists i < count: predicate(i)`, leaving the loop at the first hit.
  llvm::Value* any_index(llvm::Value* count, const std::function<llvm::Value*(llvm::Value*)>& predicate);
  /// `first and second()` (or `first or second()`): second() runs only when it decides.
  llvm::Value* short_circuit(bool is_and, llvm::Value* first, const std::function<llvm::Value*()>& second);
  /// Whether the lists or maps `a` and `z` ({data, count}) have one count and
  /// no index i where `differs(a_data, z_data, i)`.
  llvm::Value* sequences_equal(llvm::Value* a, llvm::Value* z,
                               const std::function<llvm::Value*(llvm::Value*, llvm::Value*, llvm::Value*)>& differs);

  // Records and maps (llvm_records.cpp, llvm_maps.cpp)
  llvm::Value* emit_load_field(const ir::Node& node);
  llvm::Value* emit_make_record(const ir::Node& node);
  llvm::Value* record_equal(const Type* type, llvm::Value* a, llvm::Value* z);
  llvm::Value* emit_map_op(const ir::Node& node);
  llvm::Value* map_equal(const Type* type, llvm::Value* a, llvm::Value* z);
  /// A map<A> re-laid out as a map<B> (A assignable to B: T -> T?).
  llvm::Value* convert_map(llvm::Value* value, const Type* from, const Type* to, const ir::Node& site);

  // List functions with a lambda (llvm_quantifiers.cpp); `apply(i)` is the
  // body's value for element i.
  llvm::Value* emit_quantifier(const ir::Node& node);
  llvm::Value* sum(const ir::Node& node, llvm::Value* count, const std::function<llvm::Value*(llvm::Value*)>& apply);
  llvm::Value* min_max_of(const ir::Node& node, llvm::Value* count,
                          const std::function<llvm::Value*(llvm::Value*)>& apply);

  // Decimals (llvm_decimal.cpp): helper calls over stack copies of the values.
  llvm::Value* emit_decimal_op(const ir::Node& node);
  /// a + z, a - z, ... through `helper` (DecimalHelpers::add, ...), failing at `site`.
  llvm::Value* decimal_arith(llvm::FunctionCallee helper, llvm::Value* a, llvm::Value* z, const ir::Node& site);
  llvm::Value* decimal_compare(llvm::Value* a, llvm::Value* z);  // i32 -1, 0, 1
  llvm::Value* decimal_equal(llvm::Value* a, llvm::Value* z);    // i1, by value
  llvm::Value* decimal_min_max(bool is_min, llvm::Value* a, llvm::Value* z);
  llvm::Value* decimal_round_to_int(const ir::Node& node);

  ModuleEmitter& m;
  TypeMap& t;
  const ir::Function& fn;
  llvm::Function* f;
  llvm::IRBuilder<> b;

 private:
  llvm::Value* emit_if(const ir::Node& node);
  llvm::Value* emit_logic(const ir::Node& node);
  llvm::Value* emit_call(const ir::Node& node);
  llvm::Value* emit_int_arith(const ir::Node& node);
  llvm::Value* emit_float_arith(const ir::Node& node);
  llvm::Value* emit_compare(const ir::Node& node);
  llvm::Value* emit_min_max(const ir::Node& node);
  llvm::Value* emit_to_int(const ir::Node& node);
  llvm::Value* emit_string_op(const ir::Node& node);
  llvm::Value* emit_list_op(const ir::Node& node);
  llvm::Value* emit_time_op(const ir::Node& node);
  llvm::Value* string_result(llvm::FunctionCallee helper, std::vector<llvm::Value*> args, const ir::Node& site);

  llvm::Value* event_ = nullptr;
  llvm::Value* context_ = nullptr;
  llvm::Value* result_ = nullptr;
  llvm::BasicBlock* entry_ = nullptr;
  std::vector<llvm::Value*> locals_;
  llvm::MDNode* unlikely_ = nullptr;
};

[[noreturn]] void malformed(const std::string& what, const ir::Function& fn);

}  // namespace flow::codegen::detail
