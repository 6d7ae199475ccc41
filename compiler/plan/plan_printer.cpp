// The plan dump (see plan_printer.h).
#include "plan/plan_printer.h"

#include "base/time_format.h"
#include "ir/ir_printer.h"

namespace flow::plan {

namespace {

std::string event_names(const std::vector<const EventInfo*>& events) {
  std::string out;
  for (const EventInfo* e : events) out += (out.empty() ? "" : ", ") + (e ? e->qualified_name : "?");
  return out;
}

const char* kind_name(ServiceKind kind) {
  switch (kind) {
    case ServiceKind::None: return "no implementation";
    case ServiceKind::Emit: return "emit";
    case ServiceKind::Builtin: return "builtin";
    case ServiceKind::Exec: return "exec";
    case ServiceKind::Http: return "http";
  }
  return "?";
}

std::string duration_option(int64_t micros) {
  return micros < 0 ? "default" : format_duration(micros);
}
std::string count_option(int64_t count) {
  return count < 0 ? "default" : std::to_string(count);
}

class PlanWriter {
 public:
  explicit PlanWriter(const Plan& plan) : plan_(plan) {}

  std::string out;

  void write() {
    for (const EnumInfo* e : plan_.enums) {
      std::string members;
      for (const auto& m : e->members) members += (members.empty() ? "" : ", ") + m;
      out += "enum " + e->qualified_name + " { " + members + " }\n";
    }
    for (const RecordInfo* r : plan_.records) record(*r);
    for (const EventInfo* e : plan_.events) event(*e);
    for (const Service& s : plan_.services) service(s);
    for (const Flow& f : plan_.flows) flow(f);
    dispatch_table();
    for (const Rule& r : plan_.rules) out += "rule " + r.qualified_name + " " + ir::quote(r.text) + "\n";
    if (plan_.module) {
      out += "module " + std::to_string(plan_.module->functions.size()) + " functions, " +
             std::to_string(plan_.module->emits.size()) + " emit plans, " +
             std::to_string(plan_.module->regexes.size()) + " regexes\n";
    }
  }

 private:
  void line(int indent, const std::string& text) { out += std::string(static_cast<size_t>(indent), ' ') + text + "\n"; }

  void record(const RecordInfo& r) {
    const layout::StructLayout& layout = layout::record_layout(r);
    out += "record " + r.qualified_name + (r.is_stdlib ? " (standard library)" : "") + ": " +
           std::to_string(layout.size) + " bytes, align " + std::to_string(layout.align) + ", presence bitmap @" +
           std::to_string(layout.bitmap_offset) + "\n";
    for (size_t i = 0; i < r.fields.size(); ++i) {
      const FieldInfo& f = r.fields[i];
      const layout::FieldLayout& at = layout.fields[i];
      std::string text = "#" + std::to_string(i) + " " + f.name + ": " + f.type->to_string() + " @" +
                         std::to_string(at.offset) + " size " + std::to_string(at.slot.size);
      if (f.has_default) {
        const ir::Function* fn = plan_.module ? plan_.module->field_default(&r, static_cast<int>(i)) : nullptr;
        text += fn ? " default fn" + std::to_string(fn->id) : " default";
      }
      line(2, text);
    }
  }

  void event(const EventInfo& e) {
    std::string head = "event " + e.qualified_name + (e.is_stdlib ? " (standard library)" : "");
    const layout::EventLayout* layout = nullptr;
    if (plan_.module) {
      try {
        layout = &plan_.module->layouts.of(&e);
      } catch (const std::out_of_range&) {
        layout = nullptr;
      }
    }
    if (layout) {
      head += ": " + std::to_string(layout->size) + " bytes, align " + std::to_string(layout->align) +
              ", presence bitmap @" + std::to_string(layout->bitmap_offset) + " (" +
              std::to_string(layout->bitmap_bytes) + (layout->bitmap_bytes == 1 ? " byte)" : " bytes)");
    }
    out += head + "\n";
    if (!e.includes.empty()) line(2, "includes " + event_names(e.includes));
    for (size_t i = 0; i < e.fields.size(); ++i) {
      const FieldInfo& f = e.fields[i];
      std::string text = "#" + std::to_string(i) + " " + (f.is_key ? "key " : "") + f.name + ": " +
                         (f.type ? f.type->to_string() : "?");
      if (layout && i < layout->fields.size()) {
        const layout::FieldLayout& at = layout->fields[i];
        text += " @" + std::to_string(at.offset) + " size " + std::to_string(at.slot.size) + " align " +
                std::to_string(at.slot.align);
      }
      if (f.has_default && plan_.module) {
        const ir::Function* fn = plan_.module->field_default(&e, static_cast<int>(i));
        text += fn ? " default fn" + std::to_string(fn->id) : " default";
      }
      line(2, text);
    }
  }

  void service(const Service& s) {
    std::string head = "service " + s.qualified_name + ": " + kind_name(s.kind);
    switch (s.kind) {
      case ServiceKind::Emit:
        head += " (" + std::to_string(s.emit_count) + (s.emit_count == 1 ? " clause)" : " clauses)");
        break;
      case ServiceKind::Builtin: head += " " + s.builtin_name; break;
      case ServiceKind::Exec: head += " " + ir::quote(s.exec_command); break;
      case ServiceKind::Http: head += " " + ir::quote(s.http_url); break;
      case ServiceKind::None: break;
    }
    out += head + "\n";
    line(2, "module #" + std::to_string(s.module));
    line(2, "consumes " + (s.consumes ? s.consumes->qualified_name : std::string("nothing")));
    if (!s.publishes.empty()) line(2, "publishes " + event_names(s.publishes));
    if (s.kind == ServiceKind::Exec || s.kind == ServiceKind::Http) {
      line(2, "timeout " + duration_option(s.timeout_us) + ", retry " + count_option(s.retry) + ", backoff " +
                  duration_option(s.backoff_us) + ", concurrency " + count_option(s.concurrency));
    }
  }

  void flow(const Flow& f) {
    out += "flow " + f.qualified_name + "\n";
    if (!f.starts.empty()) line(2, "start " + event_names(f.starts));
    if (!f.accepts.empty()) line(2, "accepts " + event_names(f.accepts));
    if (!f.ends.empty()) line(2, "end " + event_names(f.ends));
    for (size_t i = 0; i < f.subscriptions.size(); ++i) {
      const Subscription& sub = f.subscriptions[i];
      line(2,
           "on#" + std::to_string(i) + " " + (sub.event ? sub.event->qualified_name : "?") + " " + ir::quote(sub.text));
    }
  }

  std::string flow_names(const std::vector<int>& flows) const {
    std::string out;
    for (int f : flows) out += (out.empty() ? "" : ", ") + flow_name(f);
    return out;
  }

  std::string flow_name(int flow) const {
    return flow >= 0 && static_cast<size_t>(flow) < plan_.flows.size()
               ? plan_.flows[static_cast<size_t>(flow)].qualified_name
               : "flow#" + std::to_string(flow);
  }

  std::string condition_name(int condition) const {
    std::string id = "fn" + std::to_string(condition);
    if (!plan_.module || condition < 0 || static_cast<size_t>(condition) >= plan_.module->functions.size()) return id;
    return id + " " + ir::quote(plan_.module->function(condition).name);
  }

  void dispatch_table() {
    out += "dispatch\n";
    for (const EventRoutes& entry : plan_.table.events) {
      if (entry.routes.empty() && entry.starts.empty() && entry.accepts.empty() && entry.ends.empty()) continue;
      line(2, entry.event ? entry.event->qualified_name : "?");
      if (!entry.starts.empty()) line(4, "starts " + flow_names(entry.starts));
      if (!entry.accepts.empty()) line(4, "accepted by " + flow_names(entry.accepts));
      if (!entry.ends.empty()) line(4, "ends " + flow_names(entry.ends));
      for (const Route& route : entry.routes) {
        std::string text = "route " + flow_name(route.flow) + " on#" + std::to_string(route.subscription);
        if (route.condition >= 0) text += " when " + condition_name(route.condition);
        text += " ->";
        for (size_t i = 0; i < route.services.size(); ++i) {
          int s = route.services[i];
          text += (i ? ", " : " ") + (s >= 0 && static_cast<size_t>(s) < plan_.services.size()
                                          ? plan_.services[static_cast<size_t>(s)].qualified_name
                                          : "service#" + std::to_string(s));
        }
        line(4, text);
      }
    }
  }

  const Plan& plan_;
};

}  // namespace

std::string print_plan(const Plan& plan) {
  PlanWriter writer(plan);
  writer.write();
  return writer.out;
}

}  // namespace flow::plan
