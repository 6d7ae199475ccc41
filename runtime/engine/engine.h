// The notification server's core (runtime.md §2–5): takes input events,
// assigns them to process instances, dispatches each through the compiled
// dispatch table (conditions evaluated, decisions journaled), runs the
// triggered services — built-in `emit` transforms in-process, `builtin`
// sinks, `exec` processes through the ExecRunner — dispatches what they
// publish, and appends everything to the journal.
//
// Single-threaded by design: one event loop owns the journal writer, the
// instance table and the runner, so there are no locks on the hot path and
// the journal's order is the dispatch order (causal per instance).
//
// The class is implemented over several files, one per responsibility:
// engine.cpp (start, ingress, the dispatch loop, deliveries, exec outcomes),
// conditions.cpp (conditions for the `decisions` record), emit_service.cpp
// (built-in `emit` transforms), redrive.cpp (deliveries left in flight by a
// crash) and input_reader.cpp (run_input).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <unordered_map>

#include "codegen/jit.h"
#include "engine/causal_chains.h"
#include "engine/decision_memo.h"
#include "engine/instances.h"
#include "engine/used_keys.h"
#include "engine/version_routes.h"
#include "eval/interpreter.h"
#include "ingress/cloudevent_decoder.h"
#include "ingress/event_catalog.h"
#include "ingress/event_encoder.h"
#include "journal/journal_writer.h"
#include "load/app_loader.h"
#include "records/journal_records.h"
#include "records/name_list.h"
#include "records/record_views.h"
#include "services/builtin_sinks.h"
#include "services/exec_runner.h"
#include "rt_abi/flow_rt.h"

namespace flow::runtime {

class ReasonMembers;

struct RunOptions {
  std::string journal_dir = "journal";
  journal::FsyncMode fsync = journal::FsyncMode::Batch;
  bool strict = false;
  bool progress = false;  // a progress line on stderr (a terminal)
  /// Stands for the root file's folder when exec services are started
  /// (load/app_loader.h service_folder); empty: the recorded folder.
  std::string services_dir;
  /// The most events one input may cause, itself included, transitively
  /// (runtime.md §4): the event past it is dead-lettered, not dispatched.
  uint64_t max_chain = 10000;
  /// Native code for conditions and emits; null: the reference interpreter.
  const codegen::CompiledProgram* jit = nullptr;
};

struct RunSummary {
  uint64_t lines = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t events_dispatched = 0;
  uint64_t deliveries = 0;
  uint64_t retries = 0;
  uint64_t failed_attempts = 0;
  uint64_t dead_lettered = 0;
  std::map<std::string, uint64_t> events_in;   // by type, from outside
  std::map<std::string, uint64_t> events_out;  // by type, emitted by services
  double seconds = 0;
};

class Engine {
 public:
  /// Opens the journal (recovering a torn tail and the running instances of
  /// earlier runs) and records the definition version when it is new.
  /// Throws std::runtime_error with a one-line reason when it cannot start.
  Engine(LoadedApp& app, RunOptions options, std::ostream& log);
  ~Engine();

  /// Processes one input line (1-based line number). With
  /// `readable_after` >= CloudEventDecoder::kPadding bytes of readable
  /// memory after the line, it is parsed in place (not copied).
  void ingest(std::string_view line, int64_t line_number, size_t readable_after = 0);
  /// Drives exec services until every delivery settled, then commits.
  void drain();
  const RunSummary& summary() const { return summary_; }
  void print_summary(std::ostream& out) const;

 private:
  /// An event waiting to be dispatched. Its text fields are short (ids,
  /// keys) and stay in the strings' inline storage; names of types and
  /// services point at stable strings, so queueing an event allocates
  /// nothing on the usual path.
  struct Work {
    const EventType* type = nullptr;
    const uint8_t* data = nullptr;
    std::string id;
    std::string instance;
    std::string key;
    std::string causation;                 // "" for ingress
    std::string delivery;                  // "" for ingress
    const std::string* service = nullptr;  // the emitting service's name; null for ingress
    std::string source;                    // CloudEvents source; "" means the emitting service
    std::string subject;
    int64_t time_us = 0;
    int64_t dispatched_us = 0;
    int64_t input_line = 0;
    /// Its `data` as JSON when known before dispatch (in the arena): an
    /// emitted event's text derived from its trigger's. Empty: encode it.
    std::string_view data_json;
    /// Else, per field, its value's text when known as the encoder would
    /// write it (DecodedEvent::verbatim), or null.
    const std::string_view* verbatim = nullptr;
    /// The input's causal chain it counts in (causal_chains.h).
    CausalChains::Id chain = CausalChains::kNone;
  };
  /// Names the dispatch loop journals, computed once per route: flows,
  /// services, and the rules a condition traces.
  struct RoutePlan {
    const std::string* flow = nullptr;
    std::vector<const std::string*> services;
  };
  struct EventPlan {
    const dispatch::EventRoutes* routes = nullptr;
    std::vector<RoutePlan> routes_named;
    std::vector<const std::string*> starts, ends;
    bool exec_routes = false;  // some route delivers to an exec service
    bool conditional = false;  // some route has a condition
  };
  /// How one target field of an emit is filled: most fields of a `...x`
  /// copy are a plain slot copy from the trigger event, done without the
  /// interpreter.
  struct FieldAction {
    enum Kind : uint8_t { Copy, Evaluate, Default, Absent, Constant } kind = Absent;
    eval::Value constant;        // Constant: a literal initialiser, evaluated once
    int function = -1;           // Evaluate, Default
    uint32_t source_offset = 0;  // Copy
    int source_field = 0;        // Copy
    uint32_t size = 0;           // Copy
  };
  /// Bytes copied from the trigger's instance to the target's: copied
  /// fields that sit next to each other on both sides make one run.
  struct SlotRun {
    uint32_t source_offset = 0;
    uint32_t target_offset = 0;
    uint32_t size = 0;
  };
  struct EmitProgram {
    const ir::EmitPlan* plan = nullptr;
    const EventType* target = nullptr;
    std::vector<FieldAction> actions;
    /// The target instance before the copies: constants in their slots
    /// (their strings and lists in constants_arena_) with their presence
    /// bits, every other byte zero.
    std::vector<uint8_t> initial;
    std::vector<SlotRun> copy_runs;
    uint32_t presence_bytes = 0;                       // leading bitmap bytes copied whole from the trigger
    std::vector<std::pair<int, int>> copied_presence;  // (trigger field, target field), the rest
    bool evaluates = false;                            // some field needs a compiled initialiser
    /// When the target's first fields are all of the trigger's fields, in
    /// order, copied as they are (`...x` plus new fields), the trigger's
    /// JSON text is the start of the target's: their number, else 0.
    size_t json_prefix_fields = 0;
    /// With a prefix: when every field after it is a constant or absent,
    /// the rest of the target's text (`,"band":"large"}`), written once.
    std::optional<std::string> json_constant_tail;
  };
  const EmitProgram* emit_program(const ast::ServiceDecl* service, int emit_index, const EventType& trigger);
  /// Fills the program's image, runs and presence copies from its actions.
  void plan_emit_image(EmitProgram& program);

  struct PendingDelivery {
    std::string event;
    std::string instance;
    std::string flow;
    const ast::ServiceDecl* service = nullptr;
    std::string event_type;  // qualified, of the event delivered
    CausalChains::Id chain = CausalChains::kNone;
  };

  void recover();
  /// Re-driving what a previous run left in flight (engine/redrive.cpp): an
  /// exec delivery whose event and decision are journaled but whose outcome
  /// is not (the run was killed mid-attempt) is delivered again on start,
  /// under whichever version runs now, so a crash never silently drops a
  /// delivery.
  struct InFlight {
    EventRecord event;
    std::string flow;      // qualified, in the version that started it
    std::string service;   // qualified
    int version = 0;       // of the definition that started it
    int64_t attempts = 0;  // failed attempts journaled
  };
  void note_definition(const DefinitionRecord& definition);
  const VersionRoutes* routes_of_version(std::string_view hash);
  void track_in_flight(RecordKind kind, std::string_view payload, const NameList* names);
  /// Lists the names records refer to by number, as every segment's first
  /// record (records/name_list.h).
  void list_names();
  void start_deliveries(const EventRecord& event, const VersionRoutes& routes, size_t route);
  void redrive_in_flight();
  std::map<std::string, InFlight> in_flight_at_start_;       // by delivery id
  std::unordered_map<std::string, VersionRoutes> versions_;  // by definition hash, during recovery
  bool other_versions_ = false;                              // the journal has versions but this one
  std::optional<EventRecord> last_event_;                    // with exec routes, awaiting its decisions
  const VersionRoutes* last_routes_ = nullptr;               // the version that dispatched it
  std::vector<DecisionView> decision_views_;
  void reject(int64_t line_number, std::string_view raw, const std::string& reason);
  void dead_letter(const DeadLetterRecord& dead, const std::string& event_type, CausalChains::Id chain);
  /// Dispatches an event of std.runtime (when the program imports it).
  /// It counts in `chain` when it has one (it is about an event of that
  /// chain), else it begins its own.
  void publish_runtime_event(const EventType& type, const uint8_t* data, const std::string& instance_id,
                             const std::string& causation, CausalChains::Id chain);
  /// Counts `events` emitted events into `chain` (a delivery's); false
  /// when that makes the chain too long.
  bool admit_to_chain(CausalChains::Id chain, size_t events) {
    return chain == CausalChains::kNone || chains_.admit(chain, events, options_.max_chain);
  }
  std::string chain_too_long() const;
  /// Dispatches until the queue is empty; `now_us` (when > 0) is a clock
  /// reading the caller just took.
  void run_queue(int64_t now_us = 0);
  void dispatch(Work& work);
  void deliver(const ast::ServiceDecl* service, const std::string& service_name, const std::string& flow, Work& work,
               const std::string& delivery_id);
  void run_emit_service(const ast::ServiceDecl* service, const std::string& service_name, const std::string& flow,
                        Work& work, const std::string& delivery_id);
  void handle_outcomes();
  /// The instance a start event from outside begins or joins; sets
  /// `work.instance`.
  Instance& start_instance(Work& work);
  void enter_flow(Instance& instance, const std::string& flow, std::string_view event_id, int64_t now);
  void set_status(Instance& instance, const std::string& flow, InstanceStatus status, std::string_view event_id,
                  int64_t now);
  std::string key_of(const EventType& type, const uint8_t* data) const;
  /// The same into `out` (keeping its storage).
  void assign_key(const EventType& type, const uint8_t* data, std::string& out) const;
  std::string new_event_id();
  /// The same into `out` (keeping its storage).
  void assign_new_event_id(std::string& out);
  void append(RecordKind kind, const std::string& payload);
  /// Encodes a hot record straight into the journal writer's buffer.
  template <class View>
  void write_record(RecordKind kind, const View& view) {
    const size_t bound = encoded_bound(view);
    if (bound <= writer_.max_reservable()) {
      auto* room = reinterpret_cast<char*>(writer_.reserve(bound));
      // Names by number (records/name_list.h).
      char* end = encode_to(room, view, name_refs_.get());
      writer_.append_reserved(static_cast<journal::RecordType>(kind), static_cast<size_t>(end - room));
      return;
    }
    record_.clear();
    encode_into(record_, view);
    append(kind, record_);
  }
  /// Evaluates with the JIT when there is one, else the interpreter: both
  /// give identical results, errors and traces (tests/codegen).
  eval::EvalResult evaluate(int function, const uint8_t* event, const eval::EvalContext& context) const {
    return options_.jit ? options_.jit->run(function, event, context) : interpreter_.run(function, event, context);
  }

  LoadedApp& app_;
  RunOptions options_;
  std::ostream& log_;
  eval::Interpreter interpreter_;
  std::unique_ptr<FieldDefaults> defaults_;
  std::unique_ptr<EventCatalog> catalog_;
  std::unique_ptr<CloudEventDecoder> decoder_;
  std::unique_ptr<CloudEventDecoder> emit_decoder_;
  std::unique_ptr<ExecRunner> runner_;
  std::unordered_map<const ast::ServiceDecl*, size_t> exec_index_;
  std::vector<const ast::ServiceDecl*> exec_services_;
  journal::JournalWriter writer_;
  JsonLinesSinks sinks_;  // `builtin "jsonl:PATH"` files, finished by drain()
  InstanceTable instances_;
  UsedKeys used_keys_;  // keys that named an instance, for start_instance
  CausalChains chains_;
  Arena arena_;
  // The dispatch queue holds events by address: a dispatch appends what it
  // causes while its own event stays put. Events are recycled (a deque of
  // these large structs allocated a block per event).
  std::deque<Work*> queue_;
  std::vector<std::unique_ptr<Work>> work_store_;
  std::vector<Work*> spare_work_;
  Work& push_work();
  /// Takes queued events from `position` on back, unprocessed.
  void drop_queued_from(size_t position);
  std::unordered_map<std::string, PendingDelivery> pending_;
  std::vector<AttemptOutcome> outcomes_;
  std::map<std::tuple<const ast::ServiceDecl*, int, const ast::EventDecl*>, EmitProgram> emit_programs_;
  Arena constants_arena_;
  std::unique_ptr<NameRefs> name_refs_;  // the listed names, for the encoders                               // the
                                         // strings and lists of emit constants, for the run
  std::unordered_map<const void*, std::string> names_;  // qualified names of declarations and functions
  const std::string& name_of(const ast::Decl* decl);
  /// Built once at start: a plan per event type, a name per IR function.
  void build_plans();
  const EventPlan& plan_of(const EventType& type) const { return plans_[static_cast<size_t>(type.index)]; }
  std::string_view source_of(const Work& work) const {
    return !work.source.empty() || !work.service ? std::string_view(work.source) : std::string_view(*work.service);
  }
  void journal_event(const Work& work);
  void count_event(std::vector<uint64_t>& counts, const EventType& type);
  std::vector<EventPlan> plans_;             // by EventType::index
  std::vector<std::string> function_names_;  // by ir::Function::id
  std::vector<uint8_t> returns_bool_;        // by ir::Function::id
  // A boolean rule value's text: always these strings, so that the
  // decisions record can refer to them by number (list_names).
  const std::string true_text_ = "true";
  const std::string false_text_ = "false";
  std::vector<uint64_t> events_in_, events_out_;  // by EventType::index
  std::vector<eval::TraceEntry> trace_;
  // The `decisions` record of the event being dispatched, built in reused
  // buffers: its flows, its distinct (rule, value) pairs, and per
  // conditional subscription its result and rule indexes.
  struct SetEntry {
    uint32_t flow = 0;
    int64_t subscription = 0, result = 0;
    std::string_view error;
    size_t first_rule = 0, rule_count = 0;
  };
  uint32_t flow_index(const std::string& flow);
  /// Evaluates a subscription's condition at `now`: 1 fired, 0 not, -1 an
  /// evaluation error (`error` says which). Appends the rules and decisions
  /// it called to set_rules_ (their values to set_values_).
  int64_t evaluate_condition(int function, const uint8_t* data, int64_t now, std::string_view& error);
  Arena condition_arena_;  // strings and lists made by native conditions
  static void trace_condition_call(FlowRtContext* context, uint32_t function_id, int32_t status,
                                   const void* result) noexcept;
  bool condition_trace_failed_ = false;
  uint32_t value_index(const std::string& name, std::string_view value);
  std::vector<int8_t> route_fired_;  // per route: 1 fired (or unconditional), 0 not, -1 error
  std::vector<std::string_view> set_flows_;
  std::vector<RuleValueView> set_values_;
  std::vector<uint32_t> set_rules_;
  std::vector<SetEntry> set_entries_;
  std::vector<SubscriptionDecisionView> set_decisions_;
  /// The `decisions` record of the tables above.
  DecisionSetView decision_set(std::string_view event_id);
  /// Evaluates the conditions of `work`'s routes into route_fired_ and
  /// writes its `decisions` record: remembered (decision_memos_) when an
  /// earlier event's conditions took the same path, else built in the
  /// tables above by evaluate_conditions.
  void decide(const EventPlan& plan, const Work& work, int64_t now);
  void evaluate_conditions(const EventPlan& plan, const Work& work, int64_t now);
  /// The conditions' walk through `memo` (results into route_fired_).
  void walk_conditions(const EventPlan& plan, const Work& work, int64_t now, DecisionMemo& memo);
  /// Writes a remembered record (encoded with an empty event id) for
  /// `event_id`; false when it does not fit the writer's buffer.
  bool write_remembered(const std::string& encoded, std::string_view event_id);
  std::vector<DecisionMemo> decision_memos_;  // by EventType::index
  DecisionMemo* memo_walk_ = nullptr;         // the memo a condition's trace walks, if any
  std::deque<std::string> value_texts_;       // texts of the dispatched event's decisions record (values, errors)
  std::string record_;                        // the record being encoded
  std::string_view data_json_;                // the `data` of the event being dispatched
  JsonBuffer data_buffer_;                    // data_json_ when it is encoded here
  int64_t cascade_now_us_ = 0;                // the clock when run_queue began
  JsonBuffer emit_json_;                      // scratch for an emitted event's derived `data`
  std::string delivery_id_;
  std::vector<std::string> emitted_ids_;
  bool running_queue_ = false;
  const EventType* dead_lettered_type_ = nullptr;  // std.runtime events, when imported
  std::unique_ptr<ReasonMembers> reason_members_;  // with dead_lettered_type_
  const EventType* input_rejected_type_ = nullptr;
  RunSummary summary_;
  uint64_t id_base_ = 0;
  uint64_t id_counter_ = 0;
  int64_t started_us_ = 0;
  int64_t last_progress_us_ = 0;
};

/// Reads JSON lines from the file descriptor `fd` into the engine, then
/// drains it. Throws std::runtime_error when reading fails.
void run_input(Engine& engine, int fd);

}  // namespace flow::runtime
