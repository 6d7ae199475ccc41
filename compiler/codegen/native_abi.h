// The native ABI of JIT-compiled rule code (docs/ir.md, "Native ABI"): one
// C-callable function per IR function, named by the function's id. Shared by
// the code generator, the JIT wrapper and anything that calls entry points
// directly (the runtime's dispatcher, benchmarks).
#pragma once

#include <cstdint>
#include <string>

#include "layout/event_layout.h"
#include "rt_abi/flow_rt.h"
#include "types/types.h"

namespace flow::codegen {

/// `int32_t flow_fn_<id>(const uint8_t* event, FlowRtContext* ctx, void* result)`:
/// returns FLOW_RT_OK (0) after writing the result slot, or an error status
/// (a FlowRtStatus, or kInternalStatus) after writing ctx->error_site (and
/// ctx->error_detail for an index out of range); the result slot is then
/// unspecified. `event` is an instance in the layout of the function's event
/// (null for constants and field defaults).
using NativeFn = int32_t (*)(const uint8_t* event, FlowRtContext* ctx, void* result);

/// Status of a function whose IR had no body (a lowering bug); the same
/// number as eval::EvalErrorKind::Internal.
inline constexpr int32_t kInternalStatus = 100;

/// Bumped whenever generated code changes meaning or calling convention, so
/// cached machine code from an older compiler is never reused.
inline constexpr uint32_t kAbiVersion = 1;

/// The symbol of IR function `id`.
inline std::string native_symbol(uint32_t id) {
  return "flow_fn_" + std::to_string(id);
}

/// The result slot of a function returning `type`: the element-slot form of
/// docs/event-layout.md (a T? is boxed: presence byte, then the value at
/// optional_value_offset(T)), except that an event or record result is a
/// pointer to its bytes (a record R? is a presence byte, then the pointer at
/// 8), so every slot is small. The caller provides at least this many bytes,
/// aligned to `align`.
inline layout::Slot result_slot(const Type* type) {
  if (type->kind == TypeKind::Record) return {sizeof(void*), 8};
  if (type->is_optional() && type->element->kind == TypeKind::Record) return {8 + sizeof(void*), 8};
  return layout::element_slot(type);
}

}  // namespace flow::codegen
