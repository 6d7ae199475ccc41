// Events: `...` inclusion expanded into each event's full field list, field
// types resolved, keys and defaults checked. Also enum members, and field
// types as written (resolve_type) for events, records and constants.
#include <algorithm>

#include "check/checker.h"
#include "check/field_collector.h"

namespace flow::check {

using namespace ast;

const Type* Checker::resolve_type(const Module& module, TypeRef& ref) {
  TypeContext& types = program_.types;
  const Type* base = nullptr;
  std::string name = ref.name.text();
  if (name == "list") {
    if (ref.arguments.empty()) {
      diags_.report(DiagKind::UnknownType, ref.range, "'list' needs an element type").help = "write list<string>";
      return ref.resolved = types.error();
    }
    if (ref.arguments.size() > 1) {
      diags_.report(DiagKind::UnknownType, ref.range, "'list' takes one type argument").help = "write list<string>";
      return ref.resolved = types.error();
    }
    const Type* element = resolve_type(module, ref.arguments[0]);
    base = element->is_error() ? types.error() : types.list(element);
  } else if (name == "map") {
    base = resolve_map_type(module, ref);
  } else {
    if (!ref.arguments.empty()) {
      diags_.report(DiagKind::UnknownType, ref.range, "type '" + name + "' takes no type argument");
      return ref.resolved = types.error();
    }
    base = types.builtin_named(name);
    if (!base) {
      bool ambiguous = false;
      const Decl* decl = find_visible(module, ref.name.parts, &ambiguous);
      if (auto* e = dyn_cast<EnumDecl>(decl)) {
        ref.name.resolved = e;
        referenced_.insert(e);
        base = types.enumeration(&e->info);
      } else if (auto* r = dyn_cast<RecordDecl>(decl)) {
        ref.name.resolved = r;
        referenced_.insert(r);
        base = types.record(&r->info);
      } else if (decl) {
        diags_
            .report(DiagKind::UnknownType, ref.name.range,
                    "'" + name + "' is " + with_article(to_string(decl->kind)) + ", not a field type")
            .help = is_event(decl) ? "to carry another event's data, include it: ..." + name : "";
        return ref.resolved = types.error();
      } else if (!ambiguous && may_come_from_unresolved_import(module, ref.name.parts)) {
        return ref.resolved = types.error();
      } else {
        std::vector<std::string> candidates = {"bool",     "int",  "float", "string", "timestamp",
                                               "duration", "list", "map",   "decimal"};
        for (auto& n : visible_names(module, is_type_decl)) candidates.push_back(n);
        auto& d = diags_.report(ambiguous ? DiagKind::AmbiguousName : DiagKind::UnknownType, ref.name.range,
                                (ambiguous ? "ambiguous type '" : "unknown type '") + name + "'");
        std::string nearest = nearest_name(name, candidates);
        if (ambiguous)
          d.help = "qualify it with its module name";
        else if (!nearest.empty())
          d.help = "did you mean '" + nearest + "'?";
        return ref.resolved = types.error();
      }
    }
  }
  if (ref.optional && !base->is_error()) base = types.optional(base);
  return ref.resolved = base;
}

const Type* Checker::resolve_map_type(const Module& module, TypeRef& ref) {
  TypeContext& types = program_.types;
  if (ref.arguments.size() != 2) {
    diags_.report(DiagKind::InvalidMapType, ref.range, "'map' takes two type arguments, the key and the value").help =
        "write map<string, T>";
    return types.error();
  }
  const Type* key = resolve_type(module, ref.arguments[0]);
  const Type* value = resolve_type(module, ref.arguments[1]);
  if (key->is_error() || value->is_error()) return types.error();
  if (key->kind != TypeKind::String) {
    diags_.report(DiagKind::InvalidMapType, ref.arguments[0].range, "a map's keys are strings, not " + key->to_string())
        .help = "a map is a JSON object, whose keys are strings: map<string, " + value->to_string() + ">";
    return types.error();
  }
  if (value->is_optional()) {
    diags_
        .report(DiagKind::InvalidMapType, ref.arguments[1].range,
                "a map's values cannot be optional, found " + value->to_string())
        .help = "a key that is not there already reads as none (m[\"k\"] is " + value->to_string() +
                "): write map<string, " + value->element->to_string() + ">";
    return types.error();
  }
  return types.map(value);
}

void Checker::expand_event(EventDecl& event, std::vector<const EventDecl*>& stack) {
  if (event.fields_ready) return;
  if (std::find(stack.begin(), stack.end(), &event) != stack.end()) return;  // reported by the includer
  stack.push_back(&event);
  const Module& module = *event.module;
  IncludeList<EventDecl> includes;
  bool incomplete = false;
  FieldCollector<EventField, EventDecl> fields(event, diags_);
  auto add_field = [&](const EventField& field, SourceRange where, bool included) {
    if (EventField* existing = fields.add(field, where, included)) existing->is_key = existing->is_key || field.is_key;
  };
  for (auto& member : event.members) {
    if (member.is_include) {
      auto* included = const_cast<EventDecl*>(lookup_event(module, member.include, EventUse::Inclusion));
      if (!included) {
        incomplete = true;
        continue;
      }
      if (std::find(stack.begin(), stack.end(), included) != stack.end()) {
        diags_
            .report(DiagKind::InclusionCycle, member.include.range,
                    "event '" + event.name + "' includes itself through '" + included->name + "'")
            .help = "an event can only include events that do not include it";
        incomplete = true;
        continue;
      }
      expand_event(*included, stack);
      if (incomplete_events_.count(&included->info)) incomplete = true;
      includes.add(included);
      for (const auto& field : included->fields) add_field(field, member.include.range, true);
    } else {
      FieldDecl& f = member.field;
      EventField field;
      field.name = f.name;
      field.type = resolve_type(module, f.type);
      field.is_key = f.is_key;
      field.decl = &f;
      field.owner = &event;
      add_field(field, f.name_range, false);
    }
  }
  event.fields = fields.take();
  event.includes = includes.take();
  if (incomplete) incomplete_events_.insert(&event.info);
  for (size_t i = 0; i < event.fields.size(); ++i)
    event.field_indices.emplace(event.fields[i].name, static_cast<int>(i));
  // Keys: at most one after inclusion, string or int, never optional.
  event.key_index = -1;
  for (size_t i = 0; i < event.fields.size(); ++i) {
    const EventField& field = event.fields[i];
    if (!field.is_key) continue;
    SourceRange where = field.owner == &event ? field.decl->range : event.name_range;
    if (event.key_index >= 0) {
      // Both keys may come from an included event that was reported already.
      bool inherited = std::any_of(event.includes.begin(), event.includes.end(), [&](const EventDecl* inc) {
        return inc->field_index(field.name) >= 0 && inc->field_index(event.fields[event.key_index].name) >= 0 &&
               inc->fields[inc->field_index(field.name)].is_key &&
               inc->fields[inc->field_index(event.fields[event.key_index].name)].is_key;
      });
      if (inherited) continue;
      diags_
          .report(DiagKind::InvalidKey, where,
                  "event '" + event.name + "' has more than one key ('" + event.fields[event.key_index].name +
                      "' and '" + field.name + "')")
          .help = "an event has at most one key: the field that names its process instance";
      continue;
    }
    event.key_index = static_cast<int>(i);
    if (field.owner == &event && !field.type->is_error() && field.type->kind != TypeKind::String &&
        field.type->kind != TypeKind::Int) {
      diags_
          .report(DiagKind::InvalidKey, field.decl->type.range,
                  "key field '" + field.name + "' has type " + field.type->to_string() + "; a key is string or int")
          .help = "use a string or int identifier as the key";
    }
  }
  event.fields_ready = true;
  publish_event_info(event);
  stack.pop_back();
}

void Checker::name_type_infos() {
  for (auto& module : program_.modules) {
    for (auto& decl : module->decls) {
      if (auto* e = dyn_cast<EnumDecl>(decl.get())) {
        e->info.name = e->name;
        e->info.qualified_name = e->qualified_name();
        e->info.members.clear();
        for (const auto& member : e->members) e->info.members.push_back(member.name);
      } else if (auto* e = dyn_cast<EventDecl>(decl.get())) {
        e->info.name = e->name;
        e->info.qualified_name = e->qualified_name();
        e->info.is_stdlib = module->is_stdlib;
      } else if (auto* r = dyn_cast<RecordDecl>(decl.get())) {
        r->info.name = r->name;
        r->info.qualified_name = r->qualified_name();
        r->info.is_stdlib = module->is_stdlib;
      }
    }
  }
}

void Checker::publish_event_info(EventDecl& event) {
  EventInfo& info = event.info;
  info.fields.clear();
  for (const EventField& field : event.fields) {
    info.fields.push_back({field.name, field.type, field.is_key, field.decl && field.decl->default_value});
  }
  info.includes.clear();
  for (const EventDecl* included : event.includes) info.includes.push_back(&included->info);
  info.key_index = event.key_index;
  info.index_fields();
}

void Checker::check_events() {
  for (auto& module : program_.modules) {
    for (auto& decl : module->decls) {
      if (auto* e = dyn_cast<EnumDecl>(decl.get())) {
        for (size_t i = 0; i < e->members.size(); ++i) {
          for (size_t j = 0; j < i; ++j) {
            if (e->members[j].name == e->members[i].name) {
              diags_.report(DiagKind::DuplicateName, e->members[i].range,
                            "enum member '" + e->members[i].name + "' is declared twice");
              break;
            }
          }
        }
      }
    }
  }
  for (auto& module : program_.modules) {
    for (auto& decl : module->decls) {
      if (auto* e = dyn_cast<EventDecl>(decl.get())) {
        std::vector<const EventDecl*> stack;
        expand_event(*e, stack);
      }
    }
  }
  check_field_defaults();
}

}  // namespace flow::check
