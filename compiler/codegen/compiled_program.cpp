// The calls on a compiled program that need no LLVM: running a function
// through its native entry point like the interpreter would (value, error,
// trace), and releasing the machine code. jit.cpp builds programs; this
// file is what a process that only runs them (flowrt, through its JIT
// module) links.
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "codegen/jit.h"
#include "codegen/llvm_codegen.h"
#include "codegen/native_abi.h"
#include "eval/value_io.h"
#include "rt_abi/arena.h"

namespace flow::codegen {

eval::Value read_result(const Type* type, const void* slot) {
  const auto* bytes = static_cast<const uint8_t*>(slot);
  auto pointer_at = [&](size_t offset) {
    const uint8_t* instance = nullptr;
    std::memcpy(&instance, bytes + offset, sizeof instance);
    return instance;
  };
  if (type->kind == TypeKind::Event) return eval::Value::event(pointer_at(0));
  if (type->kind == TypeKind::Record) return eval::read_slot(type, pointer_at(0));
  if (type->is_optional() && type->element->kind == TypeKind::Record) {
    return bytes[0] ? eval::read_slot(type->element, pointer_at(8)) : eval::Value::none();
  }
  return eval::read_element(type, bytes);
}

namespace {

/// What the trace hook appends to: EvalContext::trace.
struct TraceState {
  const ir::Module* module;
  std::vector<eval::TraceEntry>* trace;
  bool failed = false;  // out of memory while recording
};

/// The FlowRtTraceHook of run(): one TraceEntry per rule or decision call.
/// Called from generated code, so nothing may unwind out of it.
void record_trace(FlowRtContext* ctx, uint32_t function_id, int32_t status, const void* slot) noexcept {
  auto* state = static_cast<TraceState*>(ctx->trace_data);
  try {
    const ir::Function& fn = state->module->function(static_cast<int>(function_id));
    bool ok = status == FLOW_RT_OK;
    state->trace->push_back({&fn, ok, ok ? read_result(fn.result, slot) : eval::Value()});
  } catch (...) {
    state->failed = true;
  }
}

}  // namespace

MachineCode::~MachineCode() = default;

CompiledProgram::CompiledProgram(const ir::Module& module) : module_(module), sites_(module) {}

CompiledProgram::~CompiledProgram() {
  entries_.clear();
  machine_code_.reset();  // frees the machine code
  flow_rt_regex_table_destroy(regexes_);
}

void CompiledProgram::prepare() {
  for (const auto& fn : module_.functions) {
    if (fn->result && result_slot(fn->result).size > kResultSlotBytes) {
      throw CodegenError("the result of '" + fn->name + "' does not fit a result slot");
    }
  }
  const auto& patterns = module_.regexes;
  std::vector<FlowStr> views;
  for (const auto& p : patterns) views.push_back(FlowStr{p.data(), p.size()});
  uint32_t bad = 0;
  regexes_ = flow_rt_regex_table_create(views.data(), static_cast<uint32_t>(views.size()), &bad);
  if (!regexes_) {
    throw CodegenError(bad < patterns.size() ? "invalid regular expression: " + patterns[bad]
                                             : std::string("cannot build the regex table"));
  }
}

const eval::Interpreter& CompiledProgram::interpreter() const {
  std::call_once(interpreter_once_, [this] { interpreter_ = std::make_unique<eval::Interpreter>(module_); });
  return *interpreter_;
}

eval::EvalResult CompiledProgram::run(const ir::Function& function, const uint8_t* event,
                                      const eval::EvalContext& context) const {
  if (function.id >= entries_.size() || &module_.function(static_cast<int>(function.id)) != &function) {
    throw std::invalid_argument("'" + function.name + "' is not a function of this program");
  }
  // An absent event fails only if the body reads it, which only the
  // interpreter can tell without crashing; and native code records no
  // quantifier witnesses (explain's), so a run that wants them is the
  // interpreter's too.
  if ((function.event && !event) || context.witnesses) return interpreter().run(function, event, context);
  static thread_local Arena scratch;
  FlowRtContext native = this->context(context.now_us, scratch.get());
  TraceState state{&module_, context.trace};
  if (context.trace) {
    native.trace = &record_trace;
    native.trace_data = &state;
  }
  alignas(16) uint8_t slot[kResultSlotBytes] = {};
  int32_t status = entries_[function.id](event, &native, slot);
  eval::EvalResult result = status == FLOW_RT_OK ? eval::EvalResult::success(read_result(function.result, slot))
                                                 : eval::EvalResult::failure(error(status, native));
  // The interpreter traces the called function itself too, last.
  bool traced = function.kind == ir::FunctionKind::Rule || function.kind == ir::FunctionKind::Decision;
  if (context.trace && traced)
    context.trace->push_back({&function, result.ok(), result.ok() ? result.value() : eval::Value()});
  scratch.reset();
  if (state.failed)
    return eval::EvalResult::failure({eval::EvalErrorKind::OutOfMemory, "out of memory", {}, function.name});
  return result;
}

}  // namespace flow::codegen
