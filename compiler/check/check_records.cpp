// Records (language.md §4.1): `...` inclusion expanded into each record's
// full field list, field types resolved, `key` rejected (a key names a
// process instance; only events have one), and records that contain
// themselves — through a field, a list, a map or an optional, directly or
// through other records — rejected, so every record has a finite layout.
// Also the field defaults of events and records, checked once all field
// types are known.
#include <algorithm>
#include <functional>

#include "check/checker.h"
#include "check/field_collector.h"

namespace flow::check {

using namespace ast;

bool is_record(const Decl* d) {
  return isa<RecordDecl>(d);
}

void Checker::expand_record(RecordDecl& record, std::vector<const RecordDecl*>& stack) {
  if (record.fields_ready) return;
  if (std::find(stack.begin(), stack.end(), &record) != stack.end()) return;  // reported by the includer
  stack.push_back(&record);
  const Module& module = *record.module;
  IncludeList<RecordDecl> includes;
  bool incomplete = false;
  FieldCollector<RecordField, RecordDecl> fields(record, diags_);
  for (auto& member : record.members) {
    if (!member.is_include) {
      FieldDecl& f = member.field;
      if (f.is_key) {
        diags_
            .report(DiagKind::InvalidKey,
                    f.range.file ? SourceRange{f.range.file, f.range.begin, f.range.begin + 3} : f.name_range,
                    "record '" + record.name + "' cannot have a key")
            .help = "a key names a process instance, and only events have one: drop `key`";
      }
      fields.add({f.name, resolve_type(module, f.type), &f, &record}, f.name_range, false);
      continue;
    }
    bool ambiguous = false;
    const Decl* found = find_visible(module, member.include.parts, &ambiguous);
    if (isa<EventDecl>(found)) {
      referenced_.insert(found);
      diags_
          .report(DiagKind::TypeMismatch, member.include.range,
                  "record '" + record.name + "' cannot include event '" + member.include.text() + "'")
          .help = "a record includes only records; to carry an event's data, declare its fields in a record";
      incomplete = true;
      continue;
    }
    auto* included = const_cast<RecordDecl*>(
        dyn_cast<RecordDecl>(lookup(module, member.include, DiagKind::UnknownType, "record", is_record)));
    if (!included) {
      incomplete = true;
      continue;
    }
    if (std::find(stack.begin(), stack.end(), included) != stack.end()) {
      diags_
          .report(DiagKind::RecursiveRecord, member.include.range,
                  "record '" + record.name + "' includes itself through '" + included->name + "'")
          .help = "a record can only include records that do not include it";
      incomplete = true;
      continue;
    }
    expand_record(*included, stack);
    if (incomplete_records_.count(&included->info)) incomplete = true;
    includes.add(included);
    for (const auto& field : included->fields) fields.add(field, member.include.range, true);
  }
  record.fields = fields.take();
  record.includes = includes.take();
  if (incomplete) incomplete_records_.insert(&record.info);
  record.fields_ready = true;
  publish_record_info(record);
  stack.pop_back();
}

void Checker::publish_record_info(RecordDecl& record) {
  RecordInfo& info = record.info;
  info.fields.clear();
  for (const RecordField& field : record.fields) {
    info.fields.push_back({field.name, field.type, false, field.decl && field.decl->default_value});
  }
  info.includes.clear();
  for (const RecordDecl* included : record.includes) info.includes.push_back(&included->info);
  info.index_fields();
}

namespace {

/// The records a value of type `t` holds directly: itself when t is a
/// record, the element's records for lists, maps and optionals.
const RecordInfo* record_within(const Type* t) {
  while (t && (t->kind == TypeKind::List || t->kind == TypeKind::Map || t->kind == TypeKind::Optional)) t = t->element;
  return t && t->kind == TypeKind::Record ? t->record_info : nullptr;
}

}  // namespace

void Checker::check_record_containment() {
  std::map<const RecordInfo*, const RecordDecl*> decls;
  for (const auto* r : program_.all<RecordDecl>()) decls[&r->info] = r;
  // Depth-first over "record holds record" edges; a back edge is a record
  // that contains itself, reported at the field of the cycle's first record.
  std::map<const RecordDecl*, int> state;  // 0 unvisited, 1 on the path, 2 done
  std::vector<std::pair<const RecordDecl*, const RecordField*>> path;
  std::set<const FieldDecl*> reported;
  std::function<void(const RecordDecl*)> visit = [&](const RecordDecl* record) {
    state[record] = 1;
    // Every field, those copied in by inclusion too: a record that includes
    // one holding it contains itself as surely.
    for (const auto& field : record->fields) {
      auto it = decls.find(record_within(field.type));
      if (it == decls.end()) continue;
      const RecordDecl* held = it->second;
      path.push_back({record, &field});
      if (state[held] == 1) {
        auto start = std::find_if(path.begin(), path.end(), [&](const auto& step) { return step.first == held; });
        const FieldDecl* site = start->second->decl;
        if (site && reported.insert(site).second) {
          std::string chain;
          for (auto step = start; step != path.end(); ++step) {
            chain += step->first->name + "." + step->second->name + " -> ";
          }
          chain += held->name;
          diags_
              .report(DiagKind::RecursiveRecord, site->type.range,
                      "record '" + held->name + "' contains itself: " + chain)
              .help =
              "records nest to a fixed depth: refer to the inner value by a key (a string or int field) instead";
        }
      } else if (state[held] == 0) {
        visit(held);
      }
      path.pop_back();
    }
    state[record] = 2;
  };
  for (const auto* r : program_.all<RecordDecl>()) {
    if (state[r] == 0) visit(r);
  }
}

void Checker::check_records() {
  std::vector<const RecordDecl*> stack;
  for (auto& module : program_.modules) {
    for (auto& decl : module->decls) {
      if (auto* r = dyn_cast<RecordDecl>(decl.get())) expand_record(*r, stack);
    }
  }
  check_record_containment();
}

void Checker::check_field_defaults() {
  auto check_default = [&](Module& module, Decl& owner, FieldDecl& field) {
    ExprScope scope;
    scope.module = &module;
    scope.constant_only = true;
    scope.owner = &owner;
    const Type* t = check_expr(*field.default_value, scope);
    const Type* expected = field.type.resolved;
    if (expected && !is_assignable(t, expected)) {
      auto& d = diags_.report(
          DiagKind::TypeMismatch, field.default_value->range,
          "default value has type " + t->to_string() + " but field '" + field.name + "' is " + expected->to_string());
      if (t->kind == TypeKind::Int && expected->kind == TypeKind::Float) d.help = "write a float literal, e.g. 1.0";
      if (t->kind == TypeKind::Int && expected->kind == TypeKind::Decimal)
        d.help = "write a decimal literal, e.g. 1.0d";
    }
    if (field.is_key && isa<EventDecl>(&owner)) {
      diags_.report(DiagKind::InvalidKey, field.default_value->range, "a key field cannot have a default").help =
          "every event of this type must name its instance";
    }
  };
  for (auto& module : program_.modules) {
    for (auto& decl : module->decls) {
      std::vector<EventMember>* members = nullptr;
      if (auto* e = dyn_cast<EventDecl>(decl.get())) members = &e->members;
      if (auto* r = dyn_cast<RecordDecl>(decl.get())) members = &r->members;
      if (!members) continue;
      for (auto& member : *members) {
        if (!member.is_include && member.field.default_value) check_default(*module, *decl, member.field);
      }
    }
  }
}

}  // namespace flow::check
