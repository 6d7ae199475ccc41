// The rule IR: the single input of both back ends (the reference interpreter
// in compiler/eval and the LLVM JIT). docs/ir.md describes it.
//
// A Function is a typed expression tree. Every Node has an explicit result
// type and an Op that is specific about its operand types (IAdd is int64
// arithmetic, FAdd double arithmetic), so a back end never re-derives the
// semantics from the front end's types. Everything implicit in the surface
// language is explicit here: int -> float and int -> decimal promotion
// (IntToFloat, IntToDecimal), wrapping a
// value into an optional (WrapSome), short-circuit evaluation (And, Or, If),
// decision arms (a chain of If), `??` (Let + IsSome + Unwrap + If), rule
// application (Call of a specialisation for the concrete event type) and the
// byte offset of every field read (LoadField).
//
// Evaluation is strict and left to right; any error (division by zero,
// overflow, ...) aborts the whole function with an evaluation error, which
// the caller of the function receives (there is no catching inside the IR).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "layout/event_layout.h"
#include "source/source_file.h"
#include "types/types.h"

namespace flow::ir {

enum class Op : uint8_t {
  // ---- Leaves
  ConstBool,       // int_value 0/1
  ConstInt,        // int_value
  ConstFloat,      // float_value
  ConstString,     // str_value (UTF-8 bytes)
  ConstTimestamp,  // int_value: µs since the epoch
  ConstDuration,   // int_value: µs
  ConstEnum,       // index: member index (type: the enum)
  ConstNone,       // the absent value of `type` (T? or none)
  EventParam,      // the function's event argument (type: the concrete event)
  Now,             // the dispatch time from the evaluation context (timestamp)
  Local,           // the value bound by the enclosing Let with the same `index`

  // ---- Structure and control (operands evaluated lazily where noted)
  Let,  // bind operands[0] to local `index`, then yield operands[1]
  If,   // operands[0] ? operands[1] : operands[2]; only one branch is evaluated
  And,  // short-circuit: operands[1] evaluated only when operands[0] is true
  Or,   // short-circuit: operands[1] evaluated only when operands[0] is false
  Not,
  MakeList,   // operands are the elements, already of the element type
  LoadField,  // operands[0]: an event or a record; `index` = field index in
              // the concrete event (record), `offset` = its byte offset in
              // that event's layout (layout::record_layout for a record);
              // optional fields yield T? (presence from the bitmap)
  Call,       // `index` = callee function id; operands: the event argument
              // for rules and decisions, none for constants

  // ---- Conversions
  IntToFloat,
  WrapSome,     // T -> T?
  IsSome,       // T? -> bool
  Unwrap,       // T? -> T; an absent value is an AbsentValue error
  ConvertList,  // list<A> -> list<B> where each A is assignable to B (T -> T?,
                // or elements of an empty list<never>); identity for the
                // interpreter, a re-layout of the slots for native code

  // ---- Int64 arithmetic: int, timestamp and duration (checked)
  IAdd,
  ISub,
  IMul,
  IDiv,
  IMod,
  INeg,
  IAbs,
  // ---- Double arithmetic (IEEE; FDiv/FMod by zero are errors)
  FAdd,
  FSub,
  FMul,
  FDiv,
  FMod,
  FNeg,
  FAbs,

  // ---- Comparisons: both operands have the same type (operands[0]->type).
  // Eq/Ne work on every type (structural: optionals, lists); the ordering
  // ones on int, float, string (bytewise), timestamp and duration.
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,

  // ---- Builtins
  Concat,  // string + string
  StrLen,  // code points
  Lower,
  Upper,
  StartsWith,
  EndsWith,
  StrContains,
  Matches,  // operands[0] matches regex `index` of Module::regexes
  ListLen,
  ListIndex,     // operands[0][operands[1]]; IndexOutOfRange outside 0..len-1
  ListContains,  // operands[1] (the needle) in operands[0]; when `flag` is set
                 // the list is list<int> and the needle a float: elements are
                 // converted to float before comparing; otherwise the needle
                 // has the element type
  Min,
  Max,  // same-type operands: int, float, string, timestamp, duration
  Round,
  Floor,
  Ceil,  // float -> int; NaN, inf and out-of-range are errors
  Hour,
  Weekday,
  Date,

  // ---- Decimals (rt_abi/flow_rt_decimal.h). Eq/Ne/Lt/Le/Gt/Ge and Min/Max
  // also take two decimals (by value: 1.0 == 1.00; Min/Max keep the first on
  // ties), and Round, Floor and Ceil a decimal (to an int, Round half-even;
  // InvalidNumber outside int64).
  ConstDecimal,    // str_value: the literal's text (at most 34 digits)
  IntToDecimal,    // exact, exponent 0
  FloatToDecimal,  // `decimal(f)`: the shortest text; NaN and inf are InvalidNumber
  DecimalToFloat,  // `float(d)`: the nearest double
  DAdd,
  DSub,
  DMul,
  DDiv,  // rounds half-even to 34 digits (decimal `%` is DRem, at the end)
  DNeg,
  DAbs,
  DRound,  // round(operands[0], operands[1] places): a decimal with that exponent

  // ---- Records and maps (language.md §4.1). A record value is its inline
  // bytes (layout::record_layout): in native code a pointer to them, like an
  // event. `a?.f` lowers to Let/IsSome/Unwrap/LoadField/If; no op of its own.
  MakeRecord,  // operands: one per field of the record `type`, in
               // RecordInfo::fields order, of the field's declared type (T?
               // for optional fields: ConstNone when absent)
  MakeMap,     // operands alternate key (string) and value (the element
               // type); the result is sorted by key, a repeated key keeps
               // its last value
  MapIndex,    // operands[0][operands[1]]: the value for the key, T? (none
               // when missing; for map<string, U?>, none also when stored none)
  MapHas,      // has(operands[0], operands[1] key) -> bool
  MapLen,      // len(map) -> int
  MapKeys,     // keys(map) -> list<string>, sorted

  // ---- List functions with a lambda (quantifiers). operands[0] is the list,
  // operands[1] the body, evaluated once per element, in order, with the
  // element bound to local `index` (the lambda's parameter). Evaluation
  // stops early where the result is known (Any at the first true, All at the
  // first false); an error in the body is the whole function's error.
  ListAny,     // bool: some element's body is true (false when empty)
  ListAll,     // bool: every element's body is true (true when empty)
  ListCount,   // int: how many bodies are true
  ListSum,     // int, float or decimal (the body's type): 0 when empty; int
               // overflow is an error; floats add left to right
  ListMinOf,   // T?: the least body value (none when empty), the first on ties;
               // T is int, float, string, timestamp, duration or decimal
  ListMaxOf,   // T?: the greatest body value, the first on ties
  ListFilter,  // list<E>: the elements whose body is true, in order
  ListMap,     // list<T>: the body's value for each element

  // ---- An op's number is its byte in plans (plan/plan_format.cpp): a new
  // op goes last, so plans already written keep their meaning.
  DRem,  // decimal `%`: exact, with the sign of operands[0]; InvalidNumber
         // when the integer quotient needs more than 34 digits
};

const char* to_string(Op op);
/// ListAny .. ListMap: the ops with a lambda (a body and a local per element).
bool is_list_function(Op op);

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Node {
  Op op;
  const Type* type;  // the result type
  std::vector<NodePtr> operands;
  int64_t int_value = 0;
  double float_value = 0;
  std::string str_value;
  int32_t index = -1;   // see Op
  uint32_t offset = 0;  // LoadField
  bool flag = false;    // ListContains
  SourceRange range;    // the source expression (for evaluation error messages)

  Node(Op o, const Type* t, SourceRange r = {}) : op(o), type(t), range(r) {}
};

enum class FunctionKind : uint8_t {
  Rule,          // bool, over one event
  Decision,      // any type, over one event
  Const,         // no event
  Condition,     // a flow subscription's `when`: bool, over the subscribed event
  EmitInit,      // the value of one target field of an `emit`, over the trigger event
  EmitGuard,     // an `emit ... when` guard: bool, over the trigger event
  FieldDefault,  // a field's default value: no event
};
const char* to_string(FunctionKind kind);

/// One compiled unit: `fn(event) -> result` or `fn() -> result`.
struct Function {
  uint32_t id = 0;
  FunctionKind kind = FunctionKind::Rule;
  std::string name;                  // unique, readable: "rule m.HighValue[OrderApproved]"
  std::string decl_name;             // qualified name of the rule/decision/const/flow/service/event it comes from
  const EventInfo* event = nullptr;  // the concrete event argument; null when none
  const Type* result = nullptr;
  uint32_t local_count = 0;  // Let/Local slots 0..local_count-1
  NodePtr body;
};

/// How the runtime builds the event one `emit` produces from one trigger
/// event type: per target field, where its value comes from.
struct EmitPlan {
  std::string service;  // qualified name
  int emit_index = 0;
  const EventInfo* trigger = nullptr;  // the dispatched event (includes the consumed type)
  const EventInfo* target = nullptr;
  int guard = -1;  // EmitGuard function id, or -1 when unconditional
  struct Source {
    enum Kind : uint8_t { Init, Default, Absent } kind = Absent;
    int function = -1;  // EmitInit (explicit or copied by `...x`) or FieldDefault
  };
  std::vector<Source> fields;  // one per target field
};

/// The lowered program: functions, the regex table, event layouts, the
/// emit plans, and the indexes the runtime looks things up by. (Lookups by
/// front-end declaration are ir::DeclIndex, lowering's own.)
struct Module {
  std::vector<std::unique_ptr<Function>> functions;  // id = index
  std::vector<std::string> regexes;                  // Matches index = position
  layout::LayoutTable layouts;
  std::vector<EmitPlan> emits;

  /// (event, field index) -> FieldDefault function, for every field of every
  /// event that has a default (declared there or in an included event).
  std::map<std::pair<const EventInfo*, int>, int> field_defaults;
  /// (record, field index) -> FieldDefault function, for every field of
  /// every record that has a default (declared there or in an included
  /// record): record literals call them, decoders fill absent fields.
  std::map<std::pair<const RecordInfo*, int>, int> record_field_defaults;
  /// (service, emit index, trigger) -> index into `emits`.
  std::map<std::tuple<std::string, int, const EventInfo*>, size_t> emit_index;

  const Function& function(int id) const { return *functions.at(static_cast<size_t>(id)); }
  /// The default of field `field` of `event` (possibly declared in an included event).
  const Function* field_default(const EventInfo* event, int field) const;
  /// The default of field `field` of `record`; null when it has none.
  const Function* field_default(const RecordInfo* record, int field) const;
  const EmitPlan* emit(const std::string& service, int emit_index, const EventInfo* trigger) const;
};

/// A deep copy of a node tree.
NodePtr clone(const Node& node);

}  // namespace flow::ir
