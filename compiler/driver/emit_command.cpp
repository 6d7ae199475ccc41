// `flowc build --emit STAGE` (see emit_command.h).
#include "driver/emit_command.h"

#include <iostream>

#include "ast/ast_printer.h"
#include "check/checked_printer.h"
#include "codegen/bitcode.h"
#include "codegen/llvm_codegen.h"
#include "driver/build_command.h"
#include "ir/ir_printer.h"
#include "plan/plan_printer.h"

namespace flow {

std::optional<EmitStage> emit_stage_named(const std::string& name) {
  if (name == "ast") return EmitStage::Ast;
  if (name == "checked") return EmitStage::Checked;
  if (name == "ir") return EmitStage::Ir;
  if (name == "plan") return EmitStage::Plan;
  if (name == "llvm") return EmitStage::Llvm;
  return std::nullopt;
}

int run_emit(Program& program, EmitStage stage, std::ostream& out) {
  if (stage == EmitStage::Ast) {
    for (const auto& m : program.modules) {
      out << (m->is_stdlib ? "module " + m->name + " (standard library, not shown)\n" : ast::print_module_syntax(*m));
    }
    return 0;
  }
  if (stage == EmitStage::Checked) {
    out << print_checked_program(program);
    return 0;
  }
  std::unique_ptr<plan::Plan> plan = lower_to_plan(program);
  if (!plan) return 1;
  switch (stage) {
    case EmitStage::Ir: out << ir::print_module(*plan->module); break;
    case EmitStage::Plan: out << plan::print_plan(*plan); break;
    case EmitStage::Llvm: try { out << codegen::write_llvm_text(*plan->module);
      } catch (const std::exception& e) {
        std::cerr << "flowc: error: cannot generate native code: " << e.what() << "\n";
        return 1;
      }
      break;
    default: break;
  }
  return 0;
}

}  // namespace flow
