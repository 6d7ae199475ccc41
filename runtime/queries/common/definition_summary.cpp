// Summaries of definition versions for the queries (see the header).
#include "queries/common/definition_summary.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "artifact/artifact_file.h"
#include "ir/ir_printer.h"
#include "queries/common/record_access.h"

namespace flow::runtime::queries {

namespace {

using nlohmann::json;

/// The rules and decisions `node` calls, in evaluation order: operands are
/// evaluated left to right (If: condition, then one branch), so a pre-order
/// walk lists call sites in the order any evaluation can meet them.
void collect_calls(const ir::Module& module, const ir::Node& node, std::vector<std::string>& out) {
  if (node.op == ir::Op::Call) {
    const ir::Function& callee = module.function(node.index);
    if ((callee.kind == ir::FunctionKind::Rule || callee.kind == ir::FunctionKind::Decision) &&
        !callee.decl_name.empty()) {
      out.push_back(callee.decl_name);
    }
  }
  for (const auto& operand : node.operands) collect_calls(module, *operand, out);
}

/// Whether `node` (not the functions it calls) holds an `any` or `all`.
bool has_quantifier(const ir::Node& node) {
  if (node.op == ir::Op::ListAny || node.op == ir::Op::ListAll) return true;
  for (const auto& operand : node.operands) {
    if (has_quantifier(*operand)) return true;
  }
  return false;
}

/// A type as text, with the member names of enums (decoding maps names to
/// indexes, so the members matter, not only the enum's name) and the fields
/// of records (their layout and decoding follow them).
std::string type_text(const Type* type) {
  if (!type) return "?";
  std::string out = type->to_string();
  if (type->kind == TypeKind::Enum && type->enum_info) {
    out += "{";
    for (const auto& m : type->enum_info->members) out += m + ",";
    out += "}";
  } else if ((type->kind == TypeKind::List || type->kind == TypeKind::Optional || type->kind == TypeKind::Map) &&
             type->element) {
    out += "<" + type_text(type->element) + ">";
  } else if (type->kind == TypeKind::Record && type->record_info) {
    out += "{";
    for (const FieldInfo& f : type->record_info->fields) out += f.name + ":" + type_text(f.type) + ",";
    out += "}";
  }
  return out;
}

/// Canonical text of functions for fingerprints: function ids, which differ
/// between versions, are replaced by the callee's own canonical text, and
/// regex indexes by the regex.
class Canon {
 public:
  explicit Canon(const ir::Module& module) : module_(module) {}

  const std::string& of(int id) {
    auto it = done_.find(id);
    if (it != done_.end()) return it->second;
    const ir::Function& fn = module_.function(id);
    std::string text = std::string(ir::to_string(fn.kind)) + " " + type_text(fn.result) + " ";
    if (fn.body) node(*fn.body, text);
    return done_[id] = std::to_string(hash_text(text));
  }

 private:
  void node(const ir::Node& n, std::string& out) {
    out += "(";
    out += ir::to_string(n.op);
    out += ":" + type_text(n.type);
    switch (n.op) {
      case ir::Op::Call: out += " fn=" + of(n.index); break;
      case ir::Op::Matches: out += " re=" + module_.regexes.at(static_cast<size_t>(n.index)); break;
      case ir::Op::ConstEnum:
        out += " " + std::to_string(n.index);
        if (n.type && n.type->enum_info && n.index >= 0 &&
            static_cast<size_t>(n.index) < n.type->enum_info->members.size()) {
          out += "=" + n.type->enum_info->members[static_cast<size_t>(n.index)];
        }
        break;
      default: out += " i=" + std::to_string(n.index); break;
    }
    char number[64];
    std::snprintf(number, sizeof number, " %lld %a %u %d ", static_cast<long long>(n.int_value), n.float_value,
                  n.offset, n.flag ? 1 : 0);
    out += number;
    out += std::to_string(n.str_value.size()) + ":" + n.str_value;
    for (const auto& operand : n.operands) node(*operand, out);
    out += ")";
  }

  const ir::Module& module_;
  std::unordered_map<int, std::string> done_;
};

/// The defaults of the fields of the records `type` holds, at any depth.
void record_defaults_text(const Type* type, const ir::Module& module, Canon& canon, std::string& text) {
  while (type && (type->kind == TypeKind::List || type->kind == TypeKind::Optional || type->kind == TypeKind::Map))
    type = type->element;
  if (!type || type->kind != TypeKind::Record || !type->record_info) return;
  const RecordInfo& record = *type->record_info;
  for (size_t f = 0; f < record.fields.size(); ++f) {
    if (const ir::Function* d = module.field_default(&record, static_cast<int>(f)))
      text += "|" + record.name + "." + record.fields[f].name + "=" + canon.of(static_cast<int>(d->id));
    record_defaults_text(record.fields[f].type, module, canon, text);
  }
}

std::string event_fingerprint(const EventInfo& event, const ir::Module& module, Canon& canon) {
  std::string text = event.qualified_name;
  for (size_t f = 0; f < event.fields.size(); ++f) {
    const auto& field = event.fields[f];
    text += "|" + field.name + ":" + type_text(field.type) + (field.is_key ? ":key" : "");
    if (const ir::Function* d = module.field_default(&event, static_cast<int>(f)))
      text += "=" + canon.of(static_cast<int>(d->id));
    record_defaults_text(field.type, module, canon, text);
  }
  return std::to_string(hash_text(text));
}

}  // namespace

std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      space = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string short_name(const std::string& qualified) {
  auto dot = qualified.find_last_of('.');
  return dot == std::string::npos ? qualified : qualified.substr(dot + 1);
}

std::string condition_key(const std::string& flow, int subscription) {
  return flow + "#" + std::to_string(subscription);
}

const EventTypeInfo* DefinitionSummary::event(const std::string& type) const {
  auto it = events.find(type);
  return it == events.end() ? nullptr : &it->second;
}

const RouteInfo* DefinitionSummary::route(const std::string& type, const std::string& flow, int subscription) const {
  const EventTypeInfo* info = event(type);
  if (!info) return nullptr;
  for (const auto& r : info->routes) {
    if (r.flow == flow && r.subscription == subscription) return &r;
  }
  return nullptr;
}

void summarise(const LoadedApp& app, DefinitionSummary& out) {
  out.loaded = true;
  // The definitions JSON has no rule bodies: the IR text adds them.
  out.definitions_hash = artifact::sha256_hex(app.definitions_json + "\n" + ir::print_module(app.module()));
  out.events.clear();
  out.calls.clear();
  out.texts.clear();
  out.quantified.clear();
  const plan::Plan& plan = *app.plan;
  Canon canon(app.module());
  for (const auto& routes : plan.table.events) {
    EventTypeInfo info;
    info.type = routes.event->qualified_name;
    info.fingerprint = event_fingerprint(*routes.event, app.module(), canon);
    for (size_t r = 0; r < routes.routes.size(); ++r) {
      const plan::Route& route = routes.routes[r];
      const plan::Flow& flow = plan.flows[static_cast<size_t>(route.flow)];
      RouteInfo ri;
      ri.flow = flow.qualified_name;
      ri.subscription = route.subscription;
      ri.route = static_cast<int>(r);
      ri.conditional = route.condition >= 0;
      if (ri.conditional) ri.fingerprint = canon.of(route.condition);
      const plan::Subscription& sub = flow.subscriptions.at(static_cast<size_t>(route.subscription));
      ri.condition = one_line(sub.condition_text);
      ri.text = one_line(sub.text);
      for (int s : route.services) ri.services.push_back(plan.services[static_cast<size_t>(s)].qualified_name);
      info.routes.push_back(std::move(ri));
    }
    for (int f : routes.starts) info.starts.push_back(plan.flows[static_cast<size_t>(f)].qualified_name);
    for (int f : routes.accepts) info.accepts.push_back(plan.flows[static_cast<size_t>(f)].qualified_name);
    for (int f : routes.ends) info.ends.push_back(plan.flows[static_cast<size_t>(f)].qualified_name);
    out.events[info.type] = std::move(info);
  }
  const ir::Module& module = app.module();
  std::map<std::string, const std::string*> rule_texts;
  for (const auto& rule : plan.rules) rule_texts.emplace(rule.qualified_name, &rule.text);
  for (const auto& fn : module.functions) {
    if ((fn->kind != ir::FunctionKind::Rule && fn->kind != ir::FunctionKind::Decision) || fn->decl_name.empty() ||
        !fn->body) {
      continue;
    }
    const std::string& name = fn->decl_name;
    if (has_quantifier(*fn->body)) out.quantified.insert(name);
    // Every specialisation of a rule has the same call structure: one is enough.
    if (out.calls.count(name)) continue;
    collect_calls(module, *fn->body, out.calls[name]);
    auto text = rule_texts.find(name);
    out.texts[name] = text == rule_texts.end() ? "" : one_line(*text->second);
  }
  for (const auto& routes : plan.table.events) {
    for (const auto& route : routes.routes) {
      if (route.condition < 0) continue;
      const ir::Function& fn = module.function(route.condition);
      if (!fn.body) continue;
      collect_calls(
          module, *fn.body,
          out.calls[condition_key(plan.flows[static_cast<size_t>(route.flow)].qualified_name, route.subscription)]);
    }
  }
}

std::string to_json(const DefinitionSummary& s) {
  json events = json::object();
  for (const auto& [type, info] : s.events) {
    json routes = json::array();
    for (const auto& r : info.routes) {
      routes.push_back({{"flow", r.flow},
                        {"subscription", r.subscription},
                        {"route", r.route},
                        {"conditional", r.conditional},
                        {"condition", r.condition},
                        {"text", r.text},
                        {"services", r.services},
                        {"fingerprint", r.fingerprint}});
    }
    events[type] = {{"routes", routes},
                    {"fingerprint", info.fingerprint},
                    {"starts", info.starts},
                    {"accepts", info.accepts},
                    {"ends", info.ends}};
  }
  json j = {{"version", s.version},
            {"hash", s.hash},
            {"activated_us", s.activated_us},
            {"source", s.source},
            {"ordinal", s.ordinal},
            {"loaded", s.loaded},
            {"load_error", s.load_error},
            {"definitions_hash", s.definitions_hash},
            {"events", events},
            {"calls", s.calls},
            {"texts", s.texts},
            {"quantified", s.quantified}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool from_json(const std::string& text, DefinitionSummary& s) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  try {
    s.version = j.at("version").get<int>();
    s.hash = j.at("hash").get<std::string>();
    s.activated_us = j.at("activated_us").get<int64_t>();
    s.source = j.at("source").get<std::string>();
    s.ordinal = j.at("ordinal").get<uint64_t>();
    s.loaded = j.at("loaded").get<bool>();
    s.load_error = j.at("load_error").get<std::string>();
    s.definitions_hash = j.at("definitions_hash").get<std::string>();
    s.events.clear();
    for (const auto& [type, e] : j.at("events").items()) {
      EventTypeInfo info;
      info.type = type;
      for (const auto& r : e.at("routes")) {
        RouteInfo ri;
        ri.flow = r.at("flow").get<std::string>();
        ri.subscription = r.at("subscription").get<int>();
        ri.route = r.at("route").get<int>();
        ri.conditional = r.at("conditional").get<bool>();
        ri.condition = r.at("condition").get<std::string>();
        ri.text = r.at("text").get<std::string>();
        ri.services = r.at("services").get<std::vector<std::string>>();
        ri.fingerprint = r.at("fingerprint").get<std::string>();
        info.routes.push_back(std::move(ri));
      }
      info.fingerprint = e.at("fingerprint").get<std::string>();
      info.starts = e.at("starts").get<std::vector<std::string>>();
      info.accepts = e.at("accepts").get<std::vector<std::string>>();
      info.ends = e.at("ends").get<std::vector<std::string>>();
      s.events[type] = std::move(info);
    }
    s.calls = j.at("calls").get<std::map<std::string, std::vector<std::string>>>();
    s.texts = j.at("texts").get<std::map<std::string, std::string>>();
    s.quantified.clear();
    if (j.contains("quantified")) s.quantified = j.at("quantified").get<std::set<std::string>>();
  } catch (const json::exception&) {
    return false;
  }
  return true;
}

}  // namespace flow::runtime::queries
