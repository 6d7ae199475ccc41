// Plan <-> bytes (see plan_format.h).
#include "plan/plan_format.h"

#include <map>

#include "base/byte_codec.h"

namespace flow::plan {

namespace {

constexpr char kPlanMagic[] = "FLOWPLAN";
constexpr uint8_t kLastTypeKind = static_cast<uint8_t>(TypeKind::Map);
constexpr uint8_t kLastOp = static_cast<uint8_t>(ir::Op::DRem);
/// Version 1 plans end their types at Decimal and their ops at DRound.
constexpr uint8_t kLastTypeKindV1 = static_cast<uint8_t>(TypeKind::Decimal);
constexpr uint8_t kLastOpV1 = static_cast<uint8_t>(ir::Op::DRound);
constexpr uint8_t kLastFunctionKind = static_cast<uint8_t>(ir::FunctionKind::FieldDefault);
constexpr uint8_t kLastServiceKind = static_cast<uint8_t>(ServiceKind::Http);
/// Version 1 plans have no http services (and no URL field).
constexpr uint8_t kLastServiceKindV1 = static_cast<uint8_t>(ServiceKind::Exec);
/// Deeper IR than the front end ever produces (it limits nesting) is refused.
constexpr int kMaxNodeDepth = 10000;

// ---------------------------------------------------------------- writing

class PlanWriter {
 public:
  explicit PlanWriter(const Plan& plan) : plan_(plan) {}

  std::string write() {
    for (size_t i = 0; i < plan_.enums.size(); ++i) enum_ids_[plan_.enums[i]] = static_cast<int>(i);
    for (size_t i = 0; i < plan_.events.size(); ++i) event_ids_[plan_.events[i]] = static_cast<int>(i);
    for (size_t i = 0; i < plan_.records.size(); ++i) record_ids_[plan_.records[i]] = static_cast<int>(i);
    collect_types();
    body_.str(kPlanMagic);
    body_.u32(kPlanFormatVersion);
    write_enums();
    write_event_names();
    write_record_names();
    write_types();
    write_record_bodies();
    write_event_bodies();
    write_module();
    write_services();
    write_flows();
    write_table();
    return std::move(body_.bytes());
  }

 private:
  int event_id(const EventInfo* e) const {
    auto it = event_ids_.find(e);
    return it == event_ids_.end() ? -1 : it->second;
  }
  int type_id(const Type* t) const {
    auto it = type_ids_.find(t);
    return it == type_ids_.end() ? -1 : it->second;
  }

  /// Every type the plan mentions, components before what contains them.
  void add_type(const Type* t) {
    if (!t || type_ids_.count(t)) return;
    add_type(t->element);
    type_ids_[t] = static_cast<int>(types_.size());
    types_.push_back(t);
  }
  void add_node_types(const ir::Node& n) {
    add_type(n.type);
    for (const auto& operand : n.operands) add_node_types(*operand);
  }
  void collect_types() {
    for (const EventInfo* e : plan_.events) {
      for (const auto& f : e->fields) add_type(f.type);
    }
    for (const RecordInfo* r : plan_.records) {
      for (const auto& f : r->fields) add_type(f.type);
    }
    for (const auto& fn : plan_.module->functions) {
      add_type(fn->result);
      if (fn->body) add_node_types(*fn->body);
    }
  }

  void write_enums() {
    body_.u32(static_cast<uint32_t>(plan_.enums.size()));
    for (const EnumInfo* e : plan_.enums) {
      body_.str(e->name);
      body_.str(e->qualified_name);
      body_.u32(static_cast<uint32_t>(e->members.size()));
      for (const auto& m : e->members) body_.str(m);
    }
  }
  void write_event_names() {
    body_.u32(static_cast<uint32_t>(plan_.events.size()));
    for (const EventInfo* e : plan_.events) {
      body_.str(e->name);
      body_.str(e->qualified_name);
      body_.u8(e->is_stdlib ? 1 : 0);
    }
  }
  void write_record_names() {
    body_.u32(static_cast<uint32_t>(plan_.records.size()));
    for (const RecordInfo* r : plan_.records) {
      body_.str(r->name);
      body_.str(r->qualified_name);
      body_.u8(r->is_stdlib ? 1 : 0);
    }
  }
  void write_record_bodies() {
    for (const RecordInfo* r : plan_.records) {
      body_.u32(static_cast<uint32_t>(r->fields.size()));
      for (const auto& f : r->fields) {
        body_.str(f.name);
        body_.i32(type_id(f.type));
        body_.u8(f.has_default ? 2 : 0);
      }
      body_.u32(static_cast<uint32_t>(r->includes.size()));
      for (const RecordInfo* inc : r->includes) body_.i32(record_ids_.at(inc));
    }
  }
  void write_types() {
    body_.u32(static_cast<uint32_t>(types_.size()));
    for (const Type* t : types_) {
      body_.u8(static_cast<uint8_t>(t->kind));
      switch (t->kind) {
        case TypeKind::Enum: body_.i32(enum_ids_.at(t->enum_info)); break;
        case TypeKind::Event: body_.i32(event_id(t->event_info)); break;
        case TypeKind::Record: body_.i32(record_ids_.at(t->record_info)); break;
        case TypeKind::List:
        case TypeKind::Map:
        case TypeKind::Optional: body_.i32(type_id(t->element)); break;
        default: break;
      }
    }
  }
  void write_event_bodies() {
    for (const EventInfo* e : plan_.events) {
      body_.i32(e->key_index);
      body_.u32(static_cast<uint32_t>(e->fields.size()));
      for (const auto& f : e->fields) {
        body_.str(f.name);
        body_.i32(type_id(f.type));
        body_.u8(static_cast<uint8_t>((f.is_key ? 1 : 0) | (f.has_default ? 2 : 0)));
      }
      body_.u32(static_cast<uint32_t>(e->includes.size()));
      for (const EventInfo* inc : e->includes) body_.i32(event_id(inc));
      const layout::EventLayout& layout = plan_.module->layouts.of(e);
      body_.u32(layout.size);
      body_.u32(layout.align);
      body_.u32(layout.bitmap_offset);
      body_.u32(layout.bitmap_bytes);
      for (const auto& f : layout.fields) {
        body_.u32(f.offset);
        body_.u32(f.slot.size);
        body_.u32(f.slot.align);
      }
    }
  }
  void write_node(const ir::Node& n) {
    body_.u8(static_cast<uint8_t>(n.op));
    body_.i32(type_id(n.type));
    body_.i64(n.int_value);
    body_.f64(n.float_value);
    body_.str(n.str_value);
    body_.i32(n.index);
    body_.u32(n.offset);
    body_.u8(n.flag ? 1 : 0);
    body_.u32(static_cast<uint32_t>(n.operands.size()));
    for (const auto& operand : n.operands) write_node(*operand);
  }
  void write_module() {
    const ir::Module& m = *plan_.module;
    body_.u32(static_cast<uint32_t>(m.regexes.size()));
    for (const auto& r : m.regexes) body_.str(r);
    body_.u32(static_cast<uint32_t>(m.functions.size()));
    for (const auto& fn : m.functions) {
      body_.u8(static_cast<uint8_t>(fn->kind));
      body_.str(fn->name);
      body_.str(fn->decl_name);
      body_.i32(fn->event ? event_id(fn->event) : -1);
      body_.i32(type_id(fn->result));
      body_.u32(fn->local_count);
      body_.u8(fn->body ? 1 : 0);
      if (fn->body) write_node(*fn->body);
    }
    body_.u32(static_cast<uint32_t>(m.emits.size()));
    for (const auto& e : m.emits) {
      body_.str(e.service);
      body_.i32(e.emit_index);
      body_.i32(event_id(e.trigger));
      body_.i32(event_id(e.target));
      body_.i32(e.guard);
      body_.u32(static_cast<uint32_t>(e.fields.size()));
      for (const auto& f : e.fields) {
        body_.u8(static_cast<uint8_t>(f.kind));
        body_.i32(f.function);
      }
    }
    body_.u32(static_cast<uint32_t>(m.field_defaults.size()));
    for (const auto& [key, fn] : m.field_defaults) {
      body_.i32(event_id(key.first));
      body_.i32(key.second);
      body_.i32(fn);
    }
    body_.u32(static_cast<uint32_t>(m.record_field_defaults.size()));
    for (const auto& [key, fn] : m.record_field_defaults) {
      body_.i32(record_ids_.at(key.first));
      body_.i32(key.second);
      body_.i32(fn);
    }
  }
  void write_events(const std::vector<const EventInfo*>& list) {
    body_.u32(static_cast<uint32_t>(list.size()));
    for (const EventInfo* e : list) body_.i32(event_id(e));
  }
  void write_services() {
    body_.u32(static_cast<uint32_t>(plan_.services.size()));
    for (const auto& s : plan_.services) {
      body_.str(s.name);
      body_.str(s.qualified_name);
      body_.u8(static_cast<uint8_t>(s.kind));
      body_.i32(s.module);
      body_.i32(s.consumes ? event_id(s.consumes) : -1);
      write_events(s.publishes);
      body_.i32(s.emit_count);
      body_.str(s.builtin_name);
      body_.str(s.exec_command);
      body_.str(s.http_url);
      body_.i64(s.timeout_us);
      body_.i64(s.retry);
      body_.i64(s.backoff_us);
      body_.i64(s.concurrency);
    }
    body_.u32(static_cast<uint32_t>(plan_.rules.size()));
    for (const auto& r : plan_.rules) {
      body_.str(r.qualified_name);
      body_.str(r.text);
    }
  }
  void write_flows() {
    body_.u32(static_cast<uint32_t>(plan_.flows.size()));
    for (const auto& f : plan_.flows) {
      body_.str(f.name);
      body_.str(f.qualified_name);
      write_events(f.starts);
      write_events(f.accepts);
      write_events(f.ends);
      body_.u32(static_cast<uint32_t>(f.subscriptions.size()));
      for (const auto& s : f.subscriptions) {
        body_.i32(s.event ? event_id(s.event) : -1);
        body_.str(s.text);
        body_.str(s.condition_text);
      }
    }
  }
  void write_ints(const std::vector<int>& list) {
    body_.u32(static_cast<uint32_t>(list.size()));
    for (int v : list) body_.i32(v);
  }
  void write_table() {
    body_.u32(static_cast<uint32_t>(plan_.table.events.size()));
    for (const auto& e : plan_.table.events) {
      body_.i32(event_id(e.event));
      body_.u32(static_cast<uint32_t>(e.routes.size()));
      for (const auto& r : e.routes) {
        body_.i32(r.flow);
        body_.i32(r.subscription);
        body_.i32(r.condition);
        write_ints(r.services);
      }
      write_ints(e.starts);
      write_ints(e.accepts);
      write_ints(e.ends);
    }
  }

  const Plan& plan_;
  bytes::Writer body_;
  std::map<const EnumInfo*, int> enum_ids_;
  std::map<const EventInfo*, int> event_ids_;
  std::map<const RecordInfo*, int> record_ids_;
  std::map<const Type*, int> type_ids_;
  std::vector<const Type*> types_;
};

// ---------------------------------------------------------------- reading

class PlanReader {
 public:
  explicit PlanReader(std::string_view bytes) : in_(bytes) {}

  std::unique_ptr<Plan> read(std::string& error) {
    plan_ = std::make_unique<Plan>();
    plan_->owned_types = std::make_unique<TypeContext>();
    plan_->module = std::make_unique<ir::Module>();
    if (!header() || !enums() || !event_names() || !record_names() || !types() || !record_bodies() || !event_bodies() ||
        !module() || !services() || !flows() || !table()) {
      error = "malformed plan section: " + (problem_.empty() ? std::string("truncated") : problem_);
      return nullptr;
    }
    if (!in_.empty()) {
      error = "malformed plan section: trailing bytes";
      return nullptr;
    }
    return std::move(plan_);
  }

 private:
  bool fail(const std::string& why) {
    if (problem_.empty()) problem_ = why;
    return false;
  }
  bool index(int32_t& v, size_t size, bool allow_none, const char* what) {
    if (!in_.i32(v)) return false;
    if ((allow_none && v == -1) || (v >= 0 && static_cast<size_t>(v) < size)) return true;
    return fail(std::string("bad ") + what + " index " + std::to_string(v));
  }
  bool event_ref(const EventInfo*& out, bool allow_none = false) {
    int32_t i;
    if (!index(i, events_.size(), allow_none, "event")) return false;
    out = i < 0 ? nullptr : events_[static_cast<size_t>(i)];
    return true;
  }
  bool type_ref(const Type*& out, size_t limit) {
    int32_t i;
    if (!index(i, limit, false, "type")) return false;
    out = types_[static_cast<size_t>(i)];
    return true;
  }
  bool event_list(std::vector<const EventInfo*>& out) {
    uint32_t n;
    if (!in_.count(n, 4)) return false;
    out.resize(n);
    for (auto& e : out) {
      if (!event_ref(e)) return false;
    }
    return true;
  }
  bool int_list(std::vector<int>& out, size_t limit, const char* what) {
    uint32_t n;
    if (!in_.count(n, 4)) return false;
    out.resize(n);
    for (auto& v : out) {
      int32_t i;
      if (!index(i, limit, false, what)) return false;
      v = i;
    }
    return true;
  }

  bool header() {
    std::string magic;
    uint32_t version;
    if (!in_.str(magic) || magic != kPlanMagic) return fail("not a plan");
    if (!in_.u32(version)) return false;
    if (version != kPlanFormatVersion && version != 1) {
      return fail("plan format " + std::to_string(version) + ", this runtime reads 1 to " +
                  std::to_string(kPlanFormatVersion));
    }
    version_ = version;
    return true;
  }
  bool record_names() {
    if (version_ < 2) return true;
    uint32_t n;
    if (!in_.count(n, 9)) return false;
    for (uint32_t i = 0; i < n; ++i) {
      RecordInfo& r = plan_->owned_records.emplace_back();
      uint8_t stdlib;
      if (!in_.str(r.name) || !in_.str(r.qualified_name) || !in_.u8(stdlib)) return false;
      r.is_stdlib = stdlib != 0;
      plan_->records.push_back(&r);
    }
    return true;
  }
  bool record_bodies() {
    for (RecordInfo& r : plan_->owned_records) {
      uint32_t fields;
      if (!in_.count(fields, 6)) return false;
      r.fields.resize(fields);
      for (auto& f : r.fields) {
        uint8_t flags;
        if (!in_.str(f.name) || !type_ref(f.type, types_.size()) || !in_.u8(flags)) return false;
        f.has_default = flags & 2;
      }
      uint32_t includes;
      if (!in_.count(includes, 4)) return false;
      for (uint32_t i = 0; i < includes; ++i) {
        int32_t ref;
        if (!index(ref, plan_->records.size(), false, "record")) return false;
        r.includes.push_back(plan_->records[static_cast<size_t>(ref)]);
      }
      r.index_fields();
    }
    // A record that contains itself has no layout; the checker never lets
    // one through, so only a broken writer makes one.
    std::map<const RecordInfo*, int> state;  // 1: being visited, 2: done
    for (const RecordInfo* r : plan_->records) {
      if (!acyclic(r, state)) return fail("record '" + r->name + "' contains itself");
    }
    return true;
  }
  bool acyclic(const RecordInfo* r, std::map<const RecordInfo*, int>& state) {
    int& s = state[r];
    if (s == 2) return true;
    if (s == 1) return false;
    s = 1;
    for (const auto& f : r->fields) {
      for (const Type* t = f.type; t; t = t->element) {
        if (t->kind == TypeKind::Record && !acyclic(t->record_info, state)) return false;
      }
    }
    state[r] = 2;
    return true;
  }
  bool enums() {
    uint32_t n;
    if (!in_.count(n, 12)) return false;
    for (uint32_t i = 0; i < n; ++i) {
      EnumInfo& e = plan_->owned_enums.emplace_back();
      uint32_t members;
      if (!in_.str(e.name) || !in_.str(e.qualified_name) || !in_.count(members, 4)) return false;
      e.members.resize(members);
      for (auto& m : e.members) {
        if (!in_.str(m)) return false;
      }
      plan_->enums.push_back(&e);
    }
    return true;
  }
  bool event_names() {
    uint32_t n;
    if (!in_.count(n, 9)) return false;
    for (uint32_t i = 0; i < n; ++i) {
      EventInfo& e = plan_->owned_events.emplace_back();
      uint8_t stdlib;
      if (!in_.str(e.name) || !in_.str(e.qualified_name) || !in_.u8(stdlib)) return false;
      e.is_stdlib = stdlib != 0;
      events_.push_back(&e);
      plan_->events.push_back(&e);
    }
    return true;
  }
  bool types() {
    uint32_t n;
    if (!in_.count(n, 1)) return false;
    TypeContext& tc = *plan_->owned_types;
    for (uint32_t i = 0; i < n; ++i) {
      uint8_t kind;
      if (!in_.u8(kind)) return false;
      if (kind > (version_ < 2 ? kLastTypeKindV1 : kLastTypeKind)) return fail("bad type kind");
      const Type* t = nullptr;
      int32_t ref;
      switch (static_cast<TypeKind>(kind)) {
        case TypeKind::Error: t = tc.error(); break;
        case TypeKind::Never: t = tc.never(); break;
        case TypeKind::NoneType: t = tc.none(); break;
        case TypeKind::Bool: t = tc.boolean(); break;
        case TypeKind::Int: t = tc.integer(); break;
        case TypeKind::Float: t = tc.floating(); break;
        case TypeKind::String: t = tc.string(); break;
        case TypeKind::Timestamp: t = tc.timestamp(); break;
        case TypeKind::Duration: t = tc.duration(); break;
        case TypeKind::Enum:
          if (!index(ref, plan_->enums.size(), false, "enum")) return false;
          t = tc.enumeration(plan_->enums[static_cast<size_t>(ref)]);
          break;
        case TypeKind::Event:
          if (!index(ref, events_.size(), false, "event")) return false;
          t = tc.event(events_[static_cast<size_t>(ref)]);
          break;
        case TypeKind::List:
        case TypeKind::Map:
        case TypeKind::Optional: {
          const Type* element;
          if (!type_ref(element, types_.size())) return false;  // components come first
          auto k = static_cast<TypeKind>(kind);
          t = k == TypeKind::List ? tc.list(element) : k == TypeKind::Map ? tc.map(element) : tc.optional(element);
          break;
        }
        case TypeKind::Decimal: t = tc.decimal(); break;
        case TypeKind::Record:
          if (!index(ref, plan_->records.size(), false, "record")) return false;
          t = tc.record(plan_->records[static_cast<size_t>(ref)]);
          break;
      }
      types_.push_back(t);
    }
    return true;
  }
  bool event_bodies() {
    for (EventInfo& e : plan_->owned_events) {
      uint32_t fields;
      if (!in_.i32(e.key_index) || !in_.count(fields, 9)) return false;
      e.fields.resize(fields);
      for (auto& f : e.fields) {
        uint8_t flags;
        if (!in_.str(f.name) || !type_ref(f.type, types_.size()) || !in_.u8(flags)) return false;
        f.is_key = flags & 1;
        f.has_default = flags & 2;
      }
      if (e.key_index < -1 || e.key_index >= static_cast<int32_t>(fields)) return fail("bad key index");
      if (!event_list(e.includes)) return false;
      e.index_fields();
      layout::EventLayout layout;
      layout.event = &e;
      if (!in_.u32(layout.size) || !in_.u32(layout.align) || !in_.u32(layout.bitmap_offset) ||
          !in_.u32(layout.bitmap_bytes)) {
        return false;
      }
      if (layout.bitmap_bytes != (fields + 7) / 8 || layout.bitmap_offset + layout.bitmap_bytes > layout.size) {
        return fail("bad layout of " + e.name);
      }
      layout.fields.resize(fields);
      for (uint32_t i = 0; i < fields; ++i) {
        layout::FieldLayout& f = layout.fields[i];
        f.name = e.fields[i].name;
        f.type = e.fields[i].type;
        f.optional = f.type->is_optional();
        if (!in_.u32(f.offset) || !in_.u32(f.slot.size) || !in_.u32(f.slot.align)) return false;
        const layout::Slot expected = layout::field_slot(f.type);
        if (f.slot.size != expected.size || f.slot.align != expected.align ||
            static_cast<uint64_t>(f.offset) + f.slot.size > layout.bitmap_offset) {
          return fail("bad layout of " + e.name + "." + f.name);
        }
      }
      plan_->module->layouts.set(&e, std::move(layout));
    }
    return true;
  }
  bool node(ir::NodePtr& out, int depth) {
    if (depth > kMaxNodeDepth) return fail("IR nested too deeply");
    uint8_t op, flag;
    const Type* type;
    if (!in_.u8(op)) return false;
    if (op > (version_ < 2 ? kLastOpV1 : kLastOp)) return fail("bad IR op");
    if (!type_ref(type, types_.size())) return false;
    out = std::make_unique<ir::Node>(static_cast<ir::Op>(op), type);
    uint32_t operands;
    if (!in_.i64(out->int_value) || !in_.f64(out->float_value) || !in_.str(out->str_value) || !in_.i32(out->index) ||
        !in_.u32(out->offset) || !in_.u8(flag) || !in_.count(operands, 27)) {
      return false;
    }
    out->flag = flag != 0;
    out->operands.resize(operands);
    for (auto& operand : out->operands) {
      if (!node(operand, depth + 1)) return false;
    }
    return true;
  }
  bool module() {
    ir::Module& m = *plan_->module;
    uint32_t n;
    if (!in_.count(n, 4)) return false;
    m.regexes.resize(n);
    for (auto& r : m.regexes) {
      if (!in_.str(r)) return false;
    }
    if (!in_.count(n, 20)) return false;
    for (uint32_t i = 0; i < n; ++i) {
      auto fn = std::make_unique<ir::Function>();
      fn->id = i;
      uint8_t kind, has_body;
      if (!in_.u8(kind)) return false;
      if (kind > kLastFunctionKind) return fail("bad function kind");
      fn->kind = static_cast<ir::FunctionKind>(kind);
      if (!in_.str(fn->name) || !in_.str(fn->decl_name) || !event_ref(fn->event, true) ||
          !type_ref(fn->result, types_.size()) || !in_.u32(fn->local_count) || !in_.u8(has_body)) {
        return false;
      }
      if (has_body && !node(fn->body, 0)) return false;
      m.functions.push_back(std::move(fn));
    }
    if (!in_.count(n, 20)) return false;
    for (uint32_t i = 0; i < n; ++i) {
      ir::EmitPlan e;
      uint32_t fields;
      if (!in_.str(e.service) || !in_.i32(e.emit_index) || !event_ref(e.trigger) || !event_ref(e.target) ||
          !index(e.guard, m.functions.size(), true, "function") || !in_.count(fields, 5)) {
        return false;
      }
      if (fields != e.target->fields.size()) return fail("emit plan does not match its target");
      e.fields.resize(fields);
      for (auto& f : e.fields) {
        uint8_t kind;
        if (!in_.u8(kind) || !index(f.function, m.functions.size(), true, "function")) return false;
        if (kind > ir::EmitPlan::Source::Absent) return fail("bad emit source");
        f.kind = static_cast<ir::EmitPlan::Source::Kind>(kind);
      }
      m.emit_index[{e.service, e.emit_index, e.trigger}] = m.emits.size();
      m.emits.push_back(std::move(e));
    }
    if (!in_.count(n, 12)) return false;
    for (uint32_t i = 0; i < n; ++i) {
      const EventInfo* event;
      int32_t field, fn;
      if (!event_ref(event) || !index(field, event->fields.size(), false, "field") ||
          !index(fn, m.functions.size(), false, "function")) {
        return false;
      }
      m.field_defaults[{event, field}] = fn;
    }
    if (version_ < 2) return true;
    if (!in_.count(n, 12)) return false;
    for (uint32_t i = 0; i < n; ++i) {
      int32_t record, field, fn;
      if (!index(record, plan_->records.size(), false, "record")) return false;
      const RecordInfo* info = plan_->records[static_cast<size_t>(record)];
      if (!index(field, info->fields.size(), false, "field") || !index(fn, m.functions.size(), false, "function")) {
        return false;
      }
      m.record_field_defaults[{info, field}] = fn;
    }
    return true;
  }
  bool services() {
    uint32_t n;
    if (!in_.count(n, 40)) return false;
    plan_->services.resize(n);
    for (auto& s : plan_->services) {
      uint8_t kind;
      if (!in_.str(s.name) || !in_.str(s.qualified_name) || !in_.u8(kind)) return false;
      if (kind > (version_ < 2 ? kLastServiceKindV1 : kLastServiceKind)) return fail("bad service kind");
      s.kind = static_cast<ServiceKind>(kind);
      if (!in_.i32(s.module) || !event_ref(s.consumes, true) || !event_list(s.publishes) || !in_.i32(s.emit_count) ||
          !in_.str(s.builtin_name) || !in_.str(s.exec_command) || (version_ >= 2 && !in_.str(s.http_url)) ||
          !in_.i64(s.timeout_us) || !in_.i64(s.retry) || !in_.i64(s.backoff_us) || !in_.i64(s.concurrency)) {
        return false;
      }
    }
    if (!in_.count(n, 8)) return false;
    plan_->rules.resize(n);
    for (auto& r : plan_->rules) {
      if (!in_.str(r.qualified_name) || !in_.str(r.text)) return false;
    }
    return true;
  }
  bool flows() {
    uint32_t n;
    if (!in_.count(n, 24)) return false;
    plan_->flows.resize(n);
    for (auto& f : plan_->flows) {
      uint32_t subs;
      if (!in_.str(f.name) || !in_.str(f.qualified_name) || !event_list(f.starts) || !event_list(f.accepts) ||
          !event_list(f.ends) || !in_.count(subs, 12)) {
        return false;
      }
      f.subscriptions.resize(subs);
      for (auto& s : f.subscriptions) {
        if (!event_ref(s.event, true) || !in_.str(s.text) || !in_.str(s.condition_text)) return false;
      }
    }
    return true;
  }
  bool table() {
    uint32_t n;
    if (!in_.count(n, 20)) return false;
    plan_->table.events.resize(n);
    const size_t functions = plan_->module->functions.size();
    for (auto& e : plan_->table.events) {
      uint32_t routes;
      if (!event_ref(e.event) || !in_.count(routes, 16)) return false;
      e.routes.resize(routes);
      for (auto& r : e.routes) {
        if (!index(r.flow, plan_->flows.size(), false, "flow") || !in_.i32(r.subscription) ||
            !index(r.condition, functions, true, "function") ||
            !int_list(r.services, plan_->services.size(), "service")) {
          return false;
        }
        const auto& subs = plan_->flows[static_cast<size_t>(r.flow)].subscriptions;
        if (r.subscription < 0 || static_cast<size_t>(r.subscription) >= subs.size()) {
          return fail("bad subscription index");
        }
      }
      if (!int_list(e.starts, plan_->flows.size(), "flow") || !int_list(e.accepts, plan_->flows.size(), "flow") ||
          !int_list(e.ends, plan_->flows.size(), "flow")) {
        return false;
      }
    }
    return true;
  }

  bytes::Reader in_;
  std::unique_ptr<Plan> plan_;
  std::vector<const EventInfo*> events_;
  std::vector<const Type*> types_;
  std::string problem_;
  uint32_t version_ = 0;
};

}  // namespace

std::string write_plan(const Plan& plan) {
  return PlanWriter(plan).write();
}

std::unique_ptr<Plan> read_plan(std::string_view bytes, std::string& error) {
  return PlanReader(bytes).read(error);
}

}  // namespace flow::plan
