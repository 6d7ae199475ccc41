// EmitPrograms: how each built-in `emit` (language.md §8) fills its target
// event, worked out once per (service, emit, trigger type) from the IR's
// emit plan and cached: which fields are plain slot copies from the
// trigger (most of a `...x`), which are literals (evaluated once, stored
// in an image of the target), which need their compiled initialiser; and
// when the trigger's JSON text can start the target's.
//
// Why a part of its own: this is the transforms' hot-path trick, and the
// one place the engine reads the IR's emit plans (ir::Module::emit, keyed
// by declarations) and the shape of initialiser bodies.
//
// Limits: a literal whose evaluation fails is left to run per event (and
// fail there, with the event's context); programs live as long as the run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/evaluator.h"
#include "engine/route_table.h"
#include "eval/value.h"
#include "ingress/event_catalog.h"
#include "rt_abi/arena.h"

namespace flow::runtime {

/// How one target field of an emit is filled.
struct FieldAction {
  enum Kind : uint8_t { Copy, Evaluate, Default, Absent, Constant } kind = Absent;
  eval::Value constant;        // Constant: a literal initialiser, evaluated once
  int function = -1;           // Evaluate, Default
  uint32_t source_offset = 0;  // Copy
  int source_field = 0;        // Copy
  uint32_t size = 0;           // Copy
};

/// Bytes copied from the trigger's instance to the target's: copied fields
/// that sit next to each other on both sides make one run.
struct SlotRun {
  uint32_t source_offset = 0;
  uint32_t target_offset = 0;
  uint32_t size = 0;
};

struct EmitProgram {
  int guard = -1;  // IR function; -1 when the emit is unconditional
  const EventType* target = nullptr;
  std::vector<FieldAction> actions;
  /// The target instance before the copies: constants in their slots
  /// (their strings and lists in the programs' arena) with their presence
  /// bits, every other byte zero.
  std::vector<uint8_t> initial;
  std::vector<SlotRun> copy_runs;
  uint32_t presence_bytes = 0;                       // leading bitmap bytes copied whole from the trigger
  std::vector<std::pair<int, int>> copied_presence;  // (trigger field, target field), the rest
  bool evaluates = false;                            // some field needs a compiled initialiser
  /// When the target's first fields are all of the trigger's fields, in
  /// order, copied as they are (`...x` plus new fields), the trigger's JSON
  /// text is the start of the target's: their number, else 0.
  size_t json_prefix_fields = 0;
  /// With a prefix: when every field after it is a constant or absent, the
  /// rest of the target's text (`,"band":"large"}`), written once.
  std::optional<std::string> json_constant_tail;
};

class EmitPrograms {
 public:
  EmitPrograms(const Evaluator& evaluator, const EventCatalog& catalog) : evaluator_(evaluator), catalog_(catalog) {}

  /// The program of emit `emit_index` of `service` on a `trigger` event, or
  /// null when the IR has no plan for it.
  const EmitProgram* find(const ServiceSpec& service, int emit_index, const EventType& trigger);

 private:
  /// Fills the program's image, runs and presence copies from its actions.
  void plan_image(EmitProgram& program);

  const Evaluator& evaluator_;
  const EventCatalog& catalog_;
  std::map<std::tuple<const plan::Service*, int, const EventInfo*>, EmitProgram> programs_;
  Arena constants_;  // the strings and lists of emit constants, for the run
};

}  // namespace flow::runtime
